from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = _("Online desk")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.Service,
            models.AvailabilityRule,
            models.Closure,
            models.Booking,
            models.Enquiry,
            models.DeskSettings,
        ):
            auditlog.register(model)
