from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobclubConfig(AppConfig):
    name = "jobclub"
    verbose_name = _("At Nine: Job Club")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (models.Path, models.Session, models.Attendance, models.Certificate):
            auditlog.register(model)
