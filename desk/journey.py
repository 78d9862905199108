"""The desk's entries in a young person's journey (hubs/journey_registry.py): their sessions."""

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from hubs.journey_registry import Entry, first_contact, source

from .models import Booking


@source("desk.sessions", capability="desk.manage")
def sessions(person, hub) -> list[Entry]:
    bookings = Booking.objects.filter(person=person).select_related("service", "slot", "hub")
    if hub is not None:
        bookings = bookings.for_hub(hub)
    return [
        Entry(
            day=timezone.localdate(booking.slot.starts_at),
            action=2,
            title=_("Desk session: %(service)s") % {"service": booking.service.name},
            detail=f"{booking.hub.name} · {booking.get_status_display()}",
        )
        for booking in bookings[:200]
    ]


@first_contact(2)
def desk_first(hub, start, end) -> dict:
    """Each person's first session booked in the period (cancelled ones aside)."""
    rows = Booking.objects.filter(
        status__in=Booking.HOLDING_STATUSES, slot__starts_at__date__range=(start, end)
    )
    if hub is not None:
        rows = rows.for_hub(hub)
    firsts = rows.values("person_id").annotate(first=Min("slot__starts_at"))
    return {row["person_id"]: timezone.localdate(row["first"]) for row in firsts}
