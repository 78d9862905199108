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
from django.utils.translation import pgettext_lazy

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


class Webhook(HubOwned):
    """
    A hub's webhook: the portal POSTs a small JSON event to `url` when one of `events` happens
    in the hub, signed with `secret` (HMAC-SHA256, `X-YIP-Signature`). The secret is kept as is
    (signing needs it) and shown to the coordinator once, when the hook is made.
    """

    url = models.URLField(
        _("address"), max_length=500, help_text=_("An https address of the receiving system.")
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(max_length=64, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    disabled_reason = models.CharField(_("why it was disabled"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.url


class WebhookDelivery(HubOwned):
    """
    One event for one hook: sent until the receiver answers 2xx (at least once), with back-off,
    for at most YIP_WEBHOOK_RETRY_FOR; `delivery_id` goes in every attempt's `X-YIP-Delivery` so
    the receiver can drop a repeat. `body` is the exact bytes signed and sent. Kept 30 days.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        DELIVERED = "delivered", pgettext_lazy("webhook delivery", "Delivered")
        FAILED = "failed", _("Given up")
        GONE = "gone", _("Receiver gone (410): hook disabled")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    delivery_id = models.UUIDField(unique=True, editable=False)
    event = models.CharField(_("event"), max_length=60)
    body = models.TextField()
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due")]

    def __str__(self):
        return f"{self.event} → {self.webhook_id} ({self.status})"
