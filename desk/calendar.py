"""
The .ics of a booking (icalendar, RFC 5545 with iTIP's METHOD, RFC 5546), and the layout of the
back office's time grid (`time_grid`, at the end).

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


# --- The back office's time grid -----------------------------------------------------------------

GRID_STEP = 15  # minutes a row of the grid stands for
GRID_MAX_LANES = 9  # side-by-side sessions of one day at most (more share the last lane)


def time_grid(slots: list[dict], days: list) -> dict:
    """
    Place the day's or week's sessions on a grid of rows (GRID_STEP minutes each, from the hour
    of the first session to the hour after the last) and columns (one per day, split into lanes
    where sessions overlap). Each slot dict (with local `start` and `end` datetimes and `day`)
    gains `row`, `span` and `col`: the CSS classes of desk/backoffice.css place it, so the
    page needs no inline style (the CSP forbids it). Row 1 and column 1 hold the headers.
    """
    if slots:
        first = min(slot["start"].hour for slot in slots)
        last = max(
            24 if slot["end"].date() > slot["day"] else slot["end"].hour + (1 if slot["end"].minute else 0)
            for slot in slots
        )
        last = max(last, first + 1)
    else:
        first, last = 9, 18
    rows = (last - first) * 60 // GRID_STEP
    lanes_by_day: dict = {}
    for slot in slots:  # sorted by start: the first lane free when the session starts
        begin = (slot["start"].hour - first) * 60 + slot["start"].minute
        finish = (
            (24 - first) * 60
            if slot["end"].date() > slot["day"]
            else ((slot["end"].hour - first) * 60 + slot["end"].minute)
        )
        slot["row"] = 2 + begin // GRID_STEP
        slot["span"] = max(1, min(rows + 2, 2 + -(-finish // GRID_STEP)) - slot["row"])
        lanes = lanes_by_day.setdefault(slot["day"], [])
        lane = next((i for i, busy_until in enumerate(lanes) if busy_until <= slot["row"]), None)
        if lane is None:
            lane = min(len(lanes), GRID_MAX_LANES - 1)
            if lane == len(lanes):
                lanes.append(0)
        lanes[lane] = max(lanes[lane], slot["row"] + slot["span"])
        slot["lane"] = lane
    columns, col = [], 2
    for day in days:
        width = max(1, len(lanes_by_day.get(day, ())))
        columns.append({"day": day, "col": col, "width": width})
        col += width
    first_col = {column["day"]: column["col"] for column in columns}
    for slot in slots:
        slot["col"] = first_col[slot["day"]] + slot["lane"]
    hours = [
        {"label": f"{hour:02d}:00", "row": 2 + (hour - first) * 60 // GRID_STEP, "span": 60 // GRID_STEP}
        for hour in range(first, last)
    ]
    return {"columns": columns, "hours": hours, "width": col - 1, "rows": rows}
