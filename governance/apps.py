from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance and monitoring")

    def ready(self):
        # Every app declares its indicators in <app>/indicators.py.
        autodiscover_modules("indicators")
