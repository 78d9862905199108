from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PactsConfig(AppConfig):
    name = "pacts"
    verbose_name = _("Youth pacts")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.Pact,
            models.PactMember,
            models.PactAction,
            models.Signature,
            models.Variation,
            models.BudgetLine,
            models.Expense,
        ):
            auditlog.register(model, exclude_fields=["token_hash"])
