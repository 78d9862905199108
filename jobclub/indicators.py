"""
Indicators of the job club (action 4). Paths count in a period when one of their sessions falls
in it or they were created in it; hours and attendance by the day of the signed sessions;
certificates by the day they were issued. Every function is one or two aggregate queries.
"""

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from hubs.indicator_registry import indicator

from . import selectors
from .models import Attendance, Certificate, Path, PathKind, RegisterStatus, Sector, Session

HOME = "jobclubbo:home"
TAKEN = [RegisterStatus.SIGNED, RegisterStatus.VALIDATED]


def _scoped(queryset, hub):
    return queryset.for_hub(hub) if hub is not None else queryset


def _paths(hub, start, end):
    active = Q(sessions__starts_at__date__gte=start, sessions__starts_at__date__lte=end) | Q(
        created_at__date__gte=start, created_at__date__lte=end
    )
    return _scoped(Path.objects.filter(pk__in=Path.objects.filter(active).values("pk")), hub)


def _sessions(hub, start, end):
    return _scoped(
        Session.objects.filter(
            starts_at__date__gte=start, starts_at__date__lte=end, register_status__in=TAKEN
        ),
        hub,
    )


def _lines(hub, start, end):
    return _scoped(
        Attendance.objects.filter(
            session__starts_at__date__gte=start,
            session__starts_at__date__lte=end,
            session__register_status__in=TAKEN,
        ),
        hub,
    )


def _by(queryset, field: str, count: str = "pk") -> dict[str, int]:
    rows = queryset.values(field).annotate(n=Count(count, distinct=True)).order_by(field)
    return {str(row[field] or "-"): row["n"] for row in rows}


@indicator(
    "jobclub.paths_technical",
    action=4,
    link=HOME,
    title=_("Job Club paths in technical and vocational schools"),
)
def paths_technical(hub, start, end):
    return _paths(hub, start, end).filter(kind=PathKind.TECHNICAL).count()


@indicator("jobclub.paths_licei", action=4, link=HOME, title=_("Job Club paths for mixed licei groups"))
def paths_licei(hub, start, end):
    return _paths(hub, start, end).filter(kind=PathKind.LICEI).count()


@indicator("jobclub.hours_delivered", action=4, link=HOME, title=_("Job Club hours delivered"), unit="hours")
def hours_delivered(hub, start, end):
    minutes = _sessions(hub, start, end).aggregate(total=Sum("duration_minutes"))["total"] or 0
    return round(minutes / 60, 2)


@indicator(
    "jobclub.hours_per_path",
    action=4,
    link=HOME,
    title=_("Job Club hours delivered per path (average, against 20)"),
    unit="hours",
)
def hours_per_path(hub, start, end):
    totals = _sessions(hub, start, end).aggregate(
        minutes=Sum("duration_minutes"), paths=Count("path", distinct=True)
    )
    return round(totals["minutes"] / 60 / totals["paths"], 2) if totals["paths"] else 0


@indicator(
    "jobclub.students_reached",
    action=4,
    link=HOME,
    title=_("Students reached by the Job Club"),
    personal=True,
)
def students_reached(hub, start, end):
    return _lines(hub, start, end).filter(minutes__gt=0).values("student").distinct().count()


@indicator(
    "jobclub.students_by_school",
    action=4,
    link=HOME,
    title=_("Students reached by the Job Club, by school"),
    personal=True,
)
def students_by_school(hub, start, end):
    return _by(_lines(hub, start, end).filter(minutes__gt=0), "student__path__school__name", "student")


@indicator(
    "jobclub.students_by_year",
    action=4,
    link=HOME,
    title=_("Students reached by the Job Club, by class year"),
    personal=True,
)
def students_by_year(hub, start, end):
    lines = _lines(hub, start, end).filter(minutes__gt=0).annotate(year=Substr("student__class_name", 1, 1))
    return _by(lines, "year", "student")


@indicator(
    "jobclub.students_by_gender",
    action=4,
    link=HOME,
    labels=[("female", _("Female")), ("male", _("Male")), ("other", _("Other or not said"))],
    title=_("Students reached by the Job Club, by gender"),
    personal=True,
)
def students_by_gender(hub, start, end):
    return _by(_lines(hub, start, end).filter(minutes__gt=0), "student__gender", "student")


@indicator(
    "jobclub.attendance_rate", action=4, link=HOME, title=_("Job Club attendance rate"), unit="percent"
)
def attendance_rate(hub, start, end):
    totals = _lines(hub, start, end).aggregate(
        attended=Sum("minutes"), expected=Sum("session__duration_minutes")
    )
    if not totals["expected"]:
        return 0
    return round(totals["attended"] * 100 / totals["expected"], 1)


@indicator(
    "jobclub.certificates_issued", action=4, link=HOME, title=_("Job Club certificates issued"), personal=True
)
def certificates_issued(hub, start, end):
    return _scoped(
        Certificate.objects.filter(issued_at__date__gte=start, issued_at__date__lte=end), hub
    ).count()


@indicator(
    "jobclub.sessions_with_young_worker",
    action=4,
    link=HOME,
    labels=Sector.choices,
    title=_("Job Club sessions with a young worker, by sector"),
)
def sessions_with_young_worker(hub, start, end):
    sessions = _scoped(
        Session.objects.filter(
            starts_at__date__gte=start, starts_at__date__lte=end, young_worker__isnull=False
        ),
        hub,
    )
    return _by(sessions, "young_worker__sector")


@indicator(
    "jobclub.self_assessment_change",
    action=4,
    link=HOME,
    labels=[("knowledge", _("knowledge of the jobs")), ("readiness", _("readiness to choose"))],
    title=_("Job Club self-assessment: change from before to after (scale 1 to 5)"),
)
def self_assessment_change(hub, start, end):
    """Empty until at least 5 students answered before and after: small groups are never shown."""
    paths = _scoped(Path.objects.all(), hub).filter(
        self_assessments__created_at__date__gte=start, self_assessments__created_at__date__lte=end
    )
    results = selectors.self_assessment_results(paths.distinct())
    if results is None:
        return {}
    return {"knowledge": results["knowledge_change"], "readiness": results["readiness_change"]}
