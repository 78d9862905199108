"""The job club's sessions as iCalendar (.ics) files, per class and per trainer (icalendar)."""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event


def sessions_ics(sessions, *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.PORTAL_NAME}//Job Club//IT")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    host = settings.SITE_URL.split("//")[-1].split("/")[0] or "localhost"
    stamp = timezone.now()
    for session in sessions:
        event = Event()
        event.add("uid", f"jobclub-session-{session.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", f"Job Club · {session.topic}")
        event.add("location", session.path.school.name)
        details = [session.path.title, ", ".join(session.path.class_list)]
        if session.young_worker_id:
            details.append(f"{session.young_worker.job} ({session.young_worker.get_sector_display()})")
        event.add("description", "\n".join(details))
        calendar.add_component(event)
    return calendar.to_ical()
