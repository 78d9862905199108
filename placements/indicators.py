"""
Indicators of Together We Work (action 5). Paths count in the period they started (opened) or
closed (completed, outcomes); hours by the day they were delivered; follow-ups by the day they
were recorded. Every function is one or two aggregate queries.
"""

from django.db.models import Case, CharField, Count, OuterRef, Q, Subquery, Sum, Value, When
from django.utils.translation import gettext_lazy as _

from hubs.indicator_registry import indicator
from hubs.models import SubArea

from .models import MAX_HOURS, MIN_HOURS, Activity, FollowUp, Path, Situation

PATHS = "placementsbo:path_list"  # the list a number drills down to (hub staff)
BOUNDS = [("within", _("within 3–24 hours")), ("under_3", _("under 3 hours"))]
GROUPS = [
    ("neet", _("NEET")),
    ("low_schooling", _("low schooling")),
    ("pandemic_unemployed", _("lost work in the pandemic")),
]


def _scoped(queryset, hub):
    return queryset.for_hub(hub) if hub is not None else queryset


def _opened(hub, start, end):
    return _scoped(Path.objects.filter(starts_on__gte=start, starts_on__lte=end), hub)


def _closed(hub, start, end):
    return _scoped(Path.objects.filter(closed_on__gte=start, closed_on__lte=end), hub)


def _by(queryset, field: str) -> dict[str, int]:
    rows = queryset.values(field).annotate(n=Count("pk")).order_by(field)
    return {str(row[field] or "-"): row["n"] for row in rows}


@indicator("placements.paths_opened", action=5, link=PATHS, title=_("Paths opened"))
def paths_opened(hub, start, end):
    return _opened(hub, start, end).count()


@indicator(
    "placements.paths_completed",
    action=5,
    link=f"{PATHS}?status=completed",
    title=_("Paths completed (3 to 24 hours)"),
)
def paths_completed(hub, start, end):
    return _closed(hub, start, end).filter(status=Path.Status.COMPLETED).count()


@indicator(
    "placements.paths_within_bounds",
    action=5,
    link=PATHS,
    labels=BOUNDS,
    title=_("Closed paths within and outside the 3–24 hour bounds"),
)
def paths_within_bounds(hub, start, end):
    return _closed(hub, start, end).aggregate(
        within=Count("pk", filter=Q(delivered_hours__gte=MIN_HOURS, delivered_hours__lte=MAX_HOURS)),
        under_3=Count("pk", filter=Q(delivered_hours__lt=MIN_HOURS)),
    )


@indicator("placements.hours_delivered", action=5, link=PATHS, title=_("Hours delivered"), unit="hours")
def hours_delivered(hub, start, end):
    activities = _scoped(Activity.objects.filter(date__gte=start, date__lte=end), hub)
    return float(activities.aggregate(total=Sum("hours"))["total"] or 0)


@indicator(
    "placements.hours_confirmed_share",
    action=5,
    link=PATHS,
    title=_("Share of the hours confirmed by the young person"),
    unit="percent",
)
def hours_confirmed_share(hub, start, end):
    activities = _scoped(Activity.objects.filter(date__gte=start, date__lte=end), hub)
    totals = activities.aggregate(
        total=Sum("hours"), confirmed=Sum("hours", filter=Q(confirmed_at__isnull=False))
    )
    if not totals["total"]:
        return 0
    return round(float((totals["confirmed"] or 0) / totals["total"] * 100), 1)


@indicator(
    "placements.hours_per_path",
    action=5,
    link=PATHS,
    title=_("Hours delivered per path (closed paths, average)"),
    unit="hours",
)
def hours_per_path(hub, start, end):
    totals = _closed(hub, start, end).aggregate(hours=Sum("delivered_hours"), paths=Count("pk"))
    return round(float(totals["hours"] / totals["paths"]), 2) if totals["paths"] else 0


@indicator(
    "placements.outcomes_at_closing",
    action=5,
    link=PATHS,
    labels=Situation.choices,
    title=_("Outcomes at closing"),
    personal=True,
)
def outcomes_at_closing(hub, start, end):
    return _by(_closed(hub, start, end), "outcome")


def _follow_ups(hub, start, end, months):
    return _scoped(FollowUp.objects.filter(months=months, recorded_on__gte=start, recorded_on__lte=end), hub)


@indicator(
    "placements.outcomes_3_months",
    action=5,
    link=PATHS,
    title=_("Situation 3 months after closing"),
    personal=True,
)
def outcomes_3_months(hub, start, end):
    return _by(_follow_ups(hub, start, end, 3), "situation")


@indicator(
    "placements.outcomes_6_months",
    action=5,
    link=PATHS,
    title=_("Situation 6 months after closing"),
    personal=True,
)
def outcomes_6_months(hub, start, end):
    return _by(_follow_ups(hub, start, end, 6), "situation")


@indicator(
    "placements.reach_by_target_group",
    action=5,
    link=PATHS,
    labels=GROUPS,
    title=_("Young people on a path, by target group"),
    personal=True,
)
def reach_by_target_group(hub, start, end):
    return _opened(hub, start, end).aggregate(
        neet=Count("person", distinct=True, filter=Q(is_neet=True)),
        low_schooling=Count("person", distinct=True, filter=Q(is_low_schooling=True)),
        pandemic_unemployed=Count("person", distinct=True, filter=Q(is_pandemic_unemployed=True)),
    )


@indicator(
    "placements.reach_by_age",
    action=5,
    link=PATHS,
    title=_("Young people on a path, by age band at intake"),
    personal=True,
)
def reach_by_age(hub, start, end):
    band = Case(
        When(age_at_intake__lt=18, then=Value("<18")),
        When(age_at_intake__lt=25, then=Value("18-24")),
        When(age_at_intake__lt=30, then=Value("25-29")),
        default=Value("30+"),
        output_field=CharField(),
    )
    return _by(_opened(hub, start, end).annotate(band=band), "band")


@indicator(
    "placements.reach_by_gender",
    action=5,
    link=PATHS,
    title=_("Young people on a path, by gender"),
    personal=True,
)
def reach_by_gender(hub, start, end):
    return _by(_opened(hub, start, end), "person__gender")


@indicator(
    "placements.reach_by_sub_area",
    action=5,
    link=PATHS,
    title=_("Young people on a path, by sub-area of residence"),
    personal=True,
)
def reach_by_sub_area(hub, start, end):
    sub_area = SubArea.objects.filter(
        hub=OuterRef("hub"), municipalities=OuterRef("person__municipality")
    ).values("name")[:1]
    return _by(_opened(hub, start, end).annotate(sub_area=Subquery(sub_area)), "sub_area")
