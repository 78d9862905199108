"""
The .ics of a booking (icalendar, RFC 5545 with iTIP's METHOD, RFC 5546).

One event per booking for its whole life: the UID never changes, SEQUENCE grows at each move,
so a calendar updates the event it has; a cancellation is METHOD:CANCEL with the same UID.
"""

from datetime import UTC, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone
from icalendar import Alarm, Calendar, Event, vCalAddress, vText

from .models import Booking


def booking_uid(booking) -> str:
    return f"booking-{booking.pk}@younginprogress"


def booking_ics(booking, *, manage_url: str = "", cancel: bool = False) -> bytes:
    slot = booking.slot
    calendar = Calendar()
    calendar.add("prodid", "-//Young in Progress//Desk//IT")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = Event()
    event.add("uid", booking_uid(booking))
    event.add("sequence", booking.sequence + (1 if cancel else 0))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", slot.starts_at)
    event.add("dtend", slot.ends_at)
    event.add("summary", f"{slot.service.name} · {slot.hub.name}")
    if cancel:
        status = "CANCELLED"
    elif booking.status == Booking.Status.CONFIRMED:
        status = "CONFIRMED"
    else:
        status = "TENTATIVE"
    event.add("status", status)
    video = booking.video_url or slot.video_url
    event.add("location", video or slot.place)
    organizer = vCalAddress(f"mailto:{slot.hub.email or settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText(slot.hub.name)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{booking.person.email}")
    attendee.params["cn"] = vText(str(booking.person))
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("DECLINED" if cancel else "ACCEPTED")
    attendee.params["rsvp"] = vText("FALSE")
    event.add("attendee", attendee)
    if manage_url:
        event.add("url", manage_url)
    description = [slot.service.name, slot.hub.name]
    if video:
        description.append(video)
    if manage_url:
        description.append(manage_url)
    event.add("description", "\n".join(description))
    if not cancel:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{slot.service.name} · {slot.hub.name}")
        alarm.add("trigger", timedelta(hours=-1))
        event.add_component(alarm)
    calendar.add_component(event)
    return calendar.to_ical()


def slot_uid(slot) -> str:
    return f"slot-{slot.pk}@younginprogress"


def operator_feed_ics(slots, *, hub, day_url) -> bytes:
    """
    An operator's subscription calendar: one event per booked session, named by the service
    and the first names of the people booked (nothing more of them), at its place or video
    room; `day_url(slot)` links the back office's day. Free sessions are left out.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//Young in Progress//Operator feed//IT")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{hub.name} · Sportello")
    calendar.add("x-published-ttl", "PT1H")
    now = timezone.now()
    for slot in slots:
        names = ", ".join(
            booking.person.first_name for booking in slot.live_bookings if booking.person.first_name
        )
        event = Event()
        event.add("uid", slot_uid(slot))
        event.add("dtstamp", now)
        event.add("dtstart", slot.starts_at)
        event.add("dtend", slot.ends_at)
        event.add("summary", f"{slot.service.name} · {names}" if names else slot.service.name)
        video = slot.video_url or next((b.video_url for b in slot.live_bookings if b.video_url), "")
        event.add("location", video or slot.place)
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
        event.add("url", day_url(slot))
        calendar.add_component(event)
    return calendar.to_ical()


def calendar_links(booking, *, manage_url: str) -> dict:
    """ "Add to calendar" links for Google Calendar and Outlook (the .ics serves Apple and others)."""
    slot = booking.slot
    title = f"{slot.service.name} · {slot.hub.name}"
    where = booking.video_url or slot.video_url or slot.place
    details = f"{title}\n{manage_url}"
    utc = "%Y%m%dT%H%M%SZ"
    google = "https://calendar.google.com/calendar/render?" + urlencode(
        {
            "action": "TEMPLATE",
            "text": title,
            "dates": f"{slot.starts_at.astimezone(UTC):{utc}}/{slot.ends_at.astimezone(UTC):{utc}}",
            "details": details,
            "location": where,
        }
    )
    outlook = "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(
        {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": title,
            "startdt": slot.starts_at.astimezone(UTC).isoformat(),
            "enddt": slot.ends_at.astimezone(UTC).isoformat(),
            "body": details,
            "location": where,
        }
    )
    return {"google": google, "outlook": outlook}
