"""The desk's entries in a young person's journey (hubs/journey_registry.py): their sessions."""

from django.utils import timezone
from django.utils.translation import gettext as _

from hubs.journey_registry import Entry, source

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
