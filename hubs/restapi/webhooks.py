"""
Webhooks: writes and the delivery of hub events (hubs/events.py) to other systems.

- A delivery is a row (WebhookDelivery) written in the transaction of the change it reports,
  and sent by Celery once it commits: at least once, with exponential back-off
  (YIP_WEBHOOK_FIRST_RETRY doubled each time, at most YIP_WEBHOOK_MAX_RETRY apart) for up to
  YIP_WEBHOOK_RETRY_FOR (3 days), then given up. The beat's sweep sends what is due again if a
  task was lost, and forgets deliveries after YIP_WEBHOOK_LOG_DAYS.
- Every attempt of a delivery carries the same `X-YIP-Delivery` id, for the receiver to drop a
  repeat; `X-YIP-Signature: sha256=<hex>` is HMAC-SHA256 of the raw body with the hook's secret;
  `X-YIP-Timestamp` the time of the attempt (Unix seconds).
- An attempt holds its row locked (skip locked): two workers never send the same row at once,
  and a row already delivered is never sent again.
- A receiver answering 410 Gone disables the hook. 2xx is success; anything else, a timeout or
  a refused address is retried.
- No request to a private, loopback or link-local address (SSRF), checked when the hook is saved
  and again when sending (the name may resolve elsewhere later), unless
  YIP_WEBHOOK_ALLOW_PRIVATE (tests, a developer's machine). Redirects are not followed.
"""

import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hubs.events import EVENTS, PING

from .models import Webhook, WebhookDelivery

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-YIP-Signature"
TIMESTAMP_HEADER = "X-YIP-Timestamp"
DELIVERY_HEADER = "X-YIP-Delivery"
EVENT_HEADER = "X-YIP-Event"


def sign(secret: str, body: bytes) -> str:
    """The X-YIP-Signature value of `body`: "sha256=" and the hex HMAC-SHA256 with `secret`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def url_check(url: str) -> None:
    """A ValidationError unless `url` is http(s) to a host whose every address is public."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValidationError(_("Give an http or https address."), code="scheme")
    if settings.YIP_WEBHOOK_ALLOW_PRIVATE:
        return
    if parts.scheme != "https":
        raise ValidationError(_("Give an https address."), code="scheme")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise ValidationError(_("This address's host name cannot be found."), code="dns") from error
    if not infos or not all(_public(info[4][0]) for info in infos):
        raise ValidationError(
            _("This address leads to a private or local network: webhooks go to public addresses only."),
            code="private",
        )


def _events_check(events: list[str]) -> list[str]:
    unknown = set(events) - set(EVENTS)
    if unknown or not events:
        raise ValidationError(_("Pick at least one event."), code="events")
    return [event for event in EVENTS if event in events]


@transaction.atomic
def webhook_create(
    *, hub, url: str, events: list[str], description: str = "", by=None
) -> tuple[Webhook, str]:
    """A new hook and its secret (shown once by the back office)."""
    url_check(url)
    secret = "whsec_" + secrets.token_urlsafe(32)
    hook = Webhook.objects.create(
        hub=hub,
        url=url,
        events=_events_check(events),
        description=description,
        secret=secret,
        created_by=by,
    )
    return hook, secret


@transaction.atomic
def webhook_update(
    *, hook: Webhook, url: str, events: list[str], description: str, is_active: bool
) -> Webhook:
    """Change a hook; turning it on again clears why it was turned off."""
    url_check(url)
    hook.url, hook.events, hook.description = url, _events_check(events), description
    hook.is_active = is_active
    hook.disabled_reason = "" if is_active else hook.disabled_reason or _("Disabled by the hub.")
    hook.save(update_fields=["url", "events", "description", "is_active", "disabled_reason"])
    return hook


def _body(*, event: str, hub, obj=None, ids: dict | None = None) -> str:
    data = {}
    if obj is not None:
        data = {"object": obj._meta.model_name, "id": obj.pk}
    data |= ids or {}
    payload = {
        "id": str(uuid.uuid4()),
        "type": event,
        "hub": hub.slug,
        "occurred_at": timezone.now().isoformat(timespec="seconds").replace("+00:00", "Z"),
        "data": data,
    }
    return json.dumps(payload, separators=(",", ":"), sort_keys=True)


def _queue(deliveries: list[WebhookDelivery]) -> None:
    from .tasks import webhook_deliver

    for delivery in deliveries:
        webhook_deliver.delay_on_commit(delivery_id=delivery.pk)


def event_queue(*, hub, event: str, obj, ids: dict) -> int:
    """hubs.events.emit's work: one delivery per active hook of the hub subscribed to `event`."""
    hooks = [hook for hook in Webhook.objects.for_hub(hub).filter(is_active=True) if event in hook.events]
    if not hooks:
        return 0
    body = _body(event=event, hub=hub, obj=obj, ids=ids)
    now = timezone.now()
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            hub=hub, webhook=hook, delivery_id=uuid.uuid4(), event=event, body=body, next_attempt_at=now
        )
        for hook in hooks
    )
    _queue(deliveries)
    return len(deliveries)


@transaction.atomic
def webhook_ping(*, hook: Webhook) -> WebhookDelivery:
    """A test event to this hook (even a disabled one: the coordinator checks the receiver)."""
    delivery = WebhookDelivery.objects.create(
        hub=hook.hub,
        webhook=hook,
        delivery_id=uuid.uuid4(),
        event=PING,
        body=_body(event=PING, hub=hook.hub, ids={"webhook": hook.pk}),
        next_attempt_at=timezone.now(),
    )
    _queue([delivery])
    return delivery


def retry_delay(attempts: int) -> timedelta:
    """After the n-th failed attempt: the first delay doubled n-1 times, capped."""
    first, most = settings.YIP_WEBHOOK_FIRST_RETRY, settings.YIP_WEBHOOK_MAX_RETRY
    return min(first * 2 ** min(attempts - 1, 20), most)


def _post(hook: Webhook, delivery: WebhookDelivery) -> requests.Response:
    url_check(hook.url)
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": f"{settings.PORTAL_NAME} webhooks",
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: str(delivery.delivery_id),
        TIMESTAMP_HEADER: str(int(timezone.now().timestamp())),
        SIGNATURE_HEADER: sign(hook.secret, body),
    }
    return requests.post(
        hook.url, data=body, headers=headers, timeout=settings.YIP_WEBHOOK_TIMEOUT, allow_redirects=False
    )


def delivery_attempt(*, delivery_id: int, now=None) -> str | None:
    """
    Send the delivery if it is still pending and due; returns its status afterwards, or None if
    there was nothing to do (delivered already, not due yet, or another worker holds it).
    """
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("webhook")
            .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
            .first()
        )
        now = now or timezone.now()
        if delivery is None or (delivery.next_attempt_at and delivery.next_attempt_at > now):
            return None
        hook = delivery.webhook
        if not hook.is_active and delivery.event != PING:
            delivery.status, delivery.last_error = WebhookDelivery.Status.FAILED, _("The hook is disabled.")
            delivery.save(update_fields=["status", "last_error"])
            return delivery.status
        delivery.attempts += 1
        try:
            response = _post(hook, delivery)
        except (requests.RequestException, ValidationError) as error:
            delivery.response_code = None
            delivery.last_error = (
                " ".join(error.messages) if isinstance(error, ValidationError) else type(error).__name__
            )[:200]
        else:
            delivery.response_code, delivery.last_error = response.status_code, ""
        code = delivery.response_code
        if code is not None and 200 <= code < 300:
            delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
                WebhookDelivery.Status.DELIVERED,
                timezone.now(),
                None,
            )
        elif code == 410:
            delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.GONE, None
            Webhook.objects.filter(pk=hook.pk).update(
                is_active=False, disabled_reason=_("The receiver answered 410 Gone.")[:200]
            )
        elif now + retry_delay(delivery.attempts) - delivery.created_at > settings.YIP_WEBHOOK_RETRY_FOR:
            delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.FAILED, None
        else:
            delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        delivery.save()
    if delivery.status == WebhookDelivery.Status.PENDING:
        from .tasks import webhook_deliver

        webhook_deliver.apply_async(
            kwargs={"delivery_id": delivery.pk},
            countdown=(delivery.next_attempt_at - timezone.now()).total_seconds(),
        )
    return delivery.status


def deliveries_due(*, hub, now=None):
    """The hub's pending deliveries whose next attempt is due (the sweep sends them again)."""
    now = now or timezone.now()
    return WebhookDelivery.objects.for_hub(hub).filter(
        status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
    )


def deliveries_purge(*, hub, now=None) -> int:
    """Forget the hub's deliveries older than YIP_WEBHOOK_LOG_DAYS."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.YIP_WEBHOOK_LOG_DAYS)
    deleted, _by_model = WebhookDelivery.objects.for_hub(hub).filter(created_at__lt=cutoff).delete()
    return deleted
