"""
Reads of the job club: the paths a member may open (the only way to a path and to what hangs
from it: sessions, students, registers, certificates), and the minutes counted from registers.
Every function here is a bounded number of queries, whatever the number of rows.
"""

from django.db.models import Count, Q, Sum

from hubs.models import Hub, Membership, Organization
from hubs.permissions import objects_for_client

from .models import (
    Attendance,
    Certificate,
    Path,
    PathKind,
    RegisterStatus,
    SelfAssessment,
    Session,
    Student,
    hours_text,
)

# The object permission a school's group holds on the paths of that school.
VIEW = "jobclub.view_path"
# The object permission a trainer holds on each session assigned to them: how a partner trainer
# (who sees no path) reaches the register of their own sessions and nothing else.
TRAIN = "jobclub.change_session"


def paths_for(*, hub: Hub, membership: Membership):
    """
    The paths a member of the hub may open: the hub's staff ("jobclub.manage") all of them; a
    school referent those their school's group holds a grant on (django-guardian) and that
    belong to the school they act for; nobody else any (the steering committee reads counts).
    `membership` may be an API token (hubs/restapi): it reads through its school's grants.
    """
    paths = Path.objects.for_hub(hub)
    if membership.can("jobclub.manage"):
        return paths
    if membership.can("jobclub.view_paths") and membership.organization_id:
        return objects_for_client(membership, VIEW, paths).filter(school_id=membership.organization_id)
    return paths.none()


def sessions_for(*, hub: Hub, membership: Membership):
    """
    The sessions a member may open: those of the paths within reach ("jobclub.view_paths"), or
    for a trainer who reaches no path (a partner organization's) the sessions assigned to them
    (their grant `TRAIN`, kept by `services.session_save`); nobody else any.
    """
    sessions = Session.objects.for_hub(hub)
    if membership.can("jobclub.view_paths"):
        sessions = sessions.filter(path__in=paths_for(hub=hub, membership=membership))
    elif membership.can("jobclub.take_register") and getattr(membership, "user", None) is None:
        # an API token of a partner organization: the sessions its own trainers lead
        sessions = sessions.filter(
            trainer__memberships__hub=hub,
            trainer__memberships__organization_id=membership.organization_id,
            trainer__memberships__organization__isnull=False,
        ).distinct()
    elif membership.can("jobclub.take_register"):
        sessions = objects_for_client(membership, TRAIN, sessions)
    else:
        sessions = sessions.none()
    return sessions.select_related("path__school", "young_worker", "trainer")


def students_for(*, hub: Hub, membership: Membership):
    return Student.objects.for_hub(hub).filter(path__in=paths_for(hub=hub, membership=membership))


def schools_for(hub: Hub):
    return Organization.objects.for_hub(hub).filter(kind=Organization.Kind.SCHOOL)


def paths_by_kind(hub: Hub | None) -> dict[str, int]:
    """How many paths of each type the hub (None: the network) runs: "12/12, 3/3" on the page."""
    paths = Path.objects.all() if hub is None else Path.objects.for_hub(hub)
    counts = dict(paths.values_list("kind").annotate(n=Count("pk")))
    return {kind: counts.get(kind, 0) for kind in PathKind.values}


def delivered_minutes(path: Path) -> int:
    """The minutes of the path's sessions whose register the trainer signed."""
    total = path.sessions.filter(
        register_status__in=[RegisterStatus.SIGNED, RegisterStatus.VALIDATED]
    ).aggregate(total=Sum("duration_minutes"))["total"]
    return total or 0


def delivered_by_path(paths) -> dict[int, int]:
    """Delivered minutes for many paths in one query (the list page)."""
    rows = (
        Session.objects.filter(
            path__in=paths, register_status__in=[RegisterStatus.SIGNED, RegisterStatus.VALIDATED]
        )
        .values_list("path_id")
        .annotate(total=Sum("duration_minutes"))
    )
    return dict(rows)


def student_minutes(path: Path) -> dict[int, int]:
    """Student id → minutes attended, over the path's taken registers (one query)."""
    rows = (
        Attendance.objects.filter(
            session__path=path, session__register_status__in=[RegisterStatus.SIGNED, RegisterStatus.VALIDATED]
        )
        .values_list("student_id")
        .annotate(total=Sum("minutes"))
    )
    return dict(rows)


def students_with_minutes(path: Path) -> list[Student]:
    """The roster with each student's `minutes`, `percent` and `certificate` (a fixed number of queries)."""
    minutes = student_minutes(path)
    certificates = dict(Certificate.objects.filter(student__path=path).values_list("student_id", "code"))
    students = list(path.students.all())
    for student in students:
        student.minutes = minutes.get(student.pk, 0)
        student.hours_text = hours_text(student.minutes)
        student.percent = round(student.minutes * 100 / path.planned_minutes) if path.planned_minutes else 0
        student.eligible = student.minutes >= path.threshold_minutes
        student.certificate_code = certificates.get(student.pk)
    return students


def sectors_met(path: Path) -> list[str]:
    """The sectors of the path's sessions that had a young worker, for the certificate."""
    sectors = (
        path.sessions.filter(~Q(sector=""), young_worker__isnull=False)
        .values_list("sector", flat=True)
        .distinct()
    )
    return sorted(set(sectors))


def certificate_by_code(code: str) -> Certificate | None:
    code = (code or "").strip().upper()
    if not code:
        return None
    return Certificate.objects.select_related("student__path__school", "hub").filter(code=code).first()


def self_assessment_results(paths, min_answers: int = 5) -> dict | None:
    """
    Average answers before and after, over `paths`, or None when either phase has fewer than
    `min_answers` answers (small groups are never shown).
    """
    from django.db.models import Avg

    rows = {
        row["phase"]: row
        for row in SelfAssessment.objects.filter(path__in=paths)
        .values("phase")
        .annotate(n=Count("pk"), knowledge=Avg("knowledge"), readiness=Avg("readiness"))
    }
    before, after = rows.get("before"), rows.get("after")
    if not before or not after or min(before["n"], after["n"]) < min_answers:
        return None
    return {
        "before": before,
        "after": after,
        "knowledge_change": round(after["knowledge"] - before["knowledge"], 2),
        "readiness_change": round(after["readiness"] - before["readiness"], 2),
    }
