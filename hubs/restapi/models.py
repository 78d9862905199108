"""
API tokens: a hub's key for another system, tied to a role (and, for partners and schools, to
the organization they act for) exactly as a membership is, so that the capability table and the
organization's object grants decide what the token may do. Only a SHA-256 hash of the token is
stored; the token itself is shown once, when it is made.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hubs.models import HubOwned, HubQuerySet, Organization, Role


class ApiTokenQuerySet(HubQuerySet):
    def usable(self, *, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(HubOwned):
    """A hub's API token. It stands in for a membership: `role`, `organization`, `can()`."""

    name = models.CharField(
        _("name"), max_length=100, help_text=_("Who uses it, e.g. the school's register.")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    prefix = models.CharField(_("beginning"), max_length=12, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    # --- what makes it stand in for a membership (hubs.capabilities.can, the apps' selectors)

    user = None  # no person: object grants are read through the organization's group

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def can(self, capability: str) -> bool:
        from hubs.capabilities import can

        return can(self, capability)


class IdempotentRequest(models.Model):
    """
    A write sent with an `Idempotency-Key` header: while it runs, the same key gets 409; once
    it has answered, the same key gets the same answer again, for a day, without running twice.
    """

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)  # method, path and body: a key names one request
    created_at = models.DateTimeField(auto_now_add=True)
    status_code = models.PositiveSmallIntegerField(null=True)  # null: still in flight
    content_type = models.CharField(max_length=60, blank=True)
    body = models.JSONField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="one_request_per_idempotency_key")
        ]

    def __str__(self):
        return f"{self.key} ({self.status_code or 'in flight'})"
