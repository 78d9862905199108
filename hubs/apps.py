from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubsConfig(AppConfig):
    name = "hubs"
    verbose_name = _("Territory and hubs")

    def ready(self):
        from auditlog.registry import auditlog
        from django.utils.module_loading import autodiscover_modules

        # Every app declares the personal data it holds in <app>/personal_data.py (the registry
        # is hubs/personal_data.py; people's export and erasure walk it).
        autodiscover_modules("personal_data")

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
