from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubsConfig(AppConfig):
    name = "hubs"
    verbose_name = _("Territory and hubs")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.Hub,
            models.SubArea,
            models.Antenna,
            models.Organization,
            models.Membership,
            models.Invitation,
        ):
            auditlog.register(model, exclude_fields=["token_hash"])
