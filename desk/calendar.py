"""The .ics attached to confirmations (icalendar, RFC 5545)."""

from django.utils import timezone
from icalendar import Calendar, Event


def booking_ics(booking) -> bytes:
    slot = booking.slot
    calendar = Calendar()
    calendar.add("prodid", "-//Young in Progress//Desk//IT")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"booking-{booking.pk}@younginprogress")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", slot.starts_at)
    event.add("dtend", slot.ends_at)
    event.add("summary", f"{slot.service.name} · {slot.hub.name}")
    event.add("location", slot.video_url or slot.place)
    description = [slot.service.name, slot.hub.name]
    if slot.video_url:
        description.append(slot.video_url)
    event.add("description", "\n".join(description))
    calendar.add_component(event)
    return calendar.to_ical()
