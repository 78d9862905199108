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
            models.Enquiry,
            models.DeskSettings,
        ):
            auditlog.register(model)
        # A booking's waiting-list entry points at it (the entry's own field): reading the
        # reverse side for every log entry costs a query per booking written, and tells nothing.
        auditlog.register(models.Booking, exclude_fields=["waitlist_entry"])
