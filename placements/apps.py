from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = _("Together We Work")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (models.Path, models.PlannedActivity, models.Activity, models.FollowUp):
            auditlog.register(model)
