"""
The hub's events that other systems can subscribe to (webhooks, hubs/restapi/webhooks.py), in
the shared layer so that apps emit them without knowing who listens:

    from hubs.events import emit

    emit(booking.hub, "booking.created", booking)

`emit` is called inside the service's transaction: the deliveries are rows written with the
change, and they are sent only once it commits (a rolled-back change sends nothing). The
payload is minimal (ids and the type, never personal data): the receiver reads the rest through
the API with its token.
"""

from django.utils.translation import gettext_lazy as _

# type → what it means, shown where a coordinator picks the events of a hook
EVENTS = {
    "booking.created": _("A desk booking is made"),
    "booking.cancelled": _("A desk booking is cancelled"),
    "booking.attended": _("A young person attended a desk booking"),
    "fair.registration.created": _("Someone registers for a job fair"),
    "fair.checked_in": _("A job fair check-in"),
    "referral.status_changed": _("A referral changes status"),
    "report.generated": _("A monitoring report is ready"),
}
PING = "ping"  # the back office's test event, sent to one hook only


def emit(hub, event: str, obj, **ids) -> int:
    """
    Queue `event` about `obj` for the hub's active hooks that subscribe to it; `ids` adds other
    ids to the payload (e.g. `fair=3`). Returns how many deliveries were queued.
    """
    if event not in EVENTS:
        raise ValueError(f"Unknown event {event!r}: add it to hubs.events.EVENTS.")
    if hub is None:
        return 0
    from hubs.restapi.webhooks import event_queue

    return event_queue(hub=hub, event=event, obj=obj, ids=ids)
