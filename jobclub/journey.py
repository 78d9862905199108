"""
The job club's entries in a young person's journey (hubs/journey_registry.py). A student of a
roster is not a Person record: the entries are those of the rosters whose student record the
person's account claimed (Student.user), with the hours the registers give them.
"""

from django.db.models import Min, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from hubs.journey_registry import Entry, first_contact, source

from .models import Attendance, Session, Student, hours_text


@source("jobclub.paths", capability="jobclub.view_paths")
def paths(person, hub) -> list[Entry]:
    if not person.user_id:
        return []
    first_session = Session.objects.filter(path=OuterRef("path")).order_by("starts_at")
    students = (
        Student.objects.filter(user_id=person.user_id, erased_at__isnull=True)
        .select_related("path__school", "hub")
        .annotate(minutes=Sum("attendances__minutes"), first=Subquery(first_session.values("starts_at")[:1]))
    )
    if hub is not None:
        students = students.for_hub(hub)
    return [
        Entry(
            day=timezone.localdate(student.first)
            if student.first
            else timezone.localdate(student.path.created_at),
            action=4,
            title=_("Job club path: %(path)s") % {"path": student.path.title},
            detail=_("%(school)s · %(hours)s attended")
            % {"school": student.path.school.name, "hours": hours_text(student.minutes or 0)},
        )
        for student in students[:50]
    ]


@first_contact(4)
def jobclub_first(hub, start, end) -> dict:
    """Each person (through their account's student record) at their first session attended in the period."""
    rows = Attendance.objects.filter(
        ~Q(status=Attendance.Status.ABSENT),
        student__user__person__isnull=False,
        session__starts_at__date__range=(start, end),
    )
    if hub is not None:
        rows = rows.for_hub(hub)
    firsts = rows.values("student__user__person").annotate(first=Min("session__starts_at"))
    return {row["student__user__person"]: timezone.localdate(row["first"]) for row in firsts}
