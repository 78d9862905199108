from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobfairConfig(AppConfig):
    name = "jobfair"
    verbose_name = _("Job fair")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (models.Fair, models.Exhibitor, models.Stand, models.Workshop, models.HelpRequest):
            auditlog.register(model)
