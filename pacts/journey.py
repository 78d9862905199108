"""
The youth pacts' entries in a young person's journey (hubs/journey_registry.py): joining a
pact's group (proposer or co-author who accepted) and the co-design meetings they came to.
Members and self-registered young people are linked to their record (people.Person) by the
services; rows from before that link show nothing here.
"""

from datetime import date

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from hubs.journey_registry import Entry, first_contact, source

from .models import MeetingAttendance, PactMember


@source("pacts.participation", capability="pacts.manage")
def participation(person, hub) -> list[Entry]:
    members = PactMember.objects.filter(person=person, accepted_at__isnull=False).select_related(
        "pact", "hub"
    )
    meetings = MeetingAttendance.objects.filter(attended=True).select_related("meeting__pact", "hub")
    meetings = meetings.filter(person=person) | meetings.filter(member__person=person)
    if hub is not None:
        members, meetings = members.for_hub(hub), meetings.for_hub(hub)
    entries = [
        Entry(
            day=timezone.localdate(member.accepted_at),
            action=3,
            title=_("Youth pact: joined the group of “%(title)s”") % {"title": member.pact.title},
            detail=member.hub.name,
        )
        for member in members[:50]
    ]
    entries += [
        Entry(
            day=row.meeting.date,
            action=3,
            title=_("Youth pact: co-design meeting of “%(title)s”") % {"title": row.meeting.pact.title},
            detail=f"{row.hub.name} · {row.meeting.place}",
        )
        for row in meetings.distinct()[:100]
    ]
    return entries


@first_contact(3)
def pacts_first(hub, start, end) -> dict:
    """Each person's first day in a pact in the period: joining a group, or coming to a meeting."""
    members = PactMember.objects.filter(person__isnull=False, accepted_at__date__range=(start, end))
    guests = MeetingAttendance.objects.filter(
        person__isnull=False, attended=True, meeting__date__range=(start, end)
    )
    if hub is not None:
        members, guests = members.for_hub(hub), guests.for_hub(hub)
    firsts: dict[int, date] = {}
    for row in members.values("person_id").annotate(first=Min("accepted_at")):
        firsts[row["person_id"]] = timezone.localdate(row["first"])
    for row in guests.values("person_id").annotate(first=Min("meeting__date")):
        pid = row["person_id"]
        firsts[pid] = min(firsts.get(pid, row["first"]), row["first"])
    return firsts
