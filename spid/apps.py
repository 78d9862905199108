from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpidConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "spid"
    verbose_name = _("SPID and CIE sign-in")
