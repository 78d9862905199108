from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.utils.translation import gettext_lazy as _


def settings_check(app_configs, **kwargs):
    """SPID/CIE switched on without the key of the fiscal codes' hash: refuse to start."""
    if settings.YIP_EID_ENABLED and not settings.YIP_FISCAL_CODE_KEY:
        return [
            checks.Error(
                "YIP_EID_ENABLED is on but YIP_FISCAL_CODE_KEY is empty.",
                hint="Set YIP_FISCAL_CODE_KEY to a long random secret, and never change it (README).",
                id="spid.E001",
            )
        ]
    return []


class SpidConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "spid"
    verbose_name = _("SPID and CIE sign-in")

    def ready(self):
        checks.register(settings_check)
