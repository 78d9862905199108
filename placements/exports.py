"""
Exports of Together We Work (CSV or XLSX, written by `hubs.exports`): the paths, or the logged
activities, of the paths a member may reach. Facts and statistical fields only — no name,
e-mail, phone, note or goal — so the file can travel to whoever compiles the funders' reports.
Each export is a fixed number of queries, whatever the number of paths.
"""

import tablib
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from hubs import exports
from hubs.models import SubArea

from .models import Activity, ActivityKind, FollowUp, Path, Situation

FILE_NAMES = {"paths": "percorsi", "activities": "attivita_percorsi"}


def _hours(value) -> float:
    return float(value or 0)


def _day(value):
    """A day as a date cell (hubs.exports writes it as a date), or empty."""
    return value or None


def paths_dataset(*, hub, paths) -> tablib.Dataset:
    """One row per path of `paths` (already the member's reach)."""
    sub_area = SubArea.objects.filter(
        hub=OuterRef("hub"), municipalities=OuterRef("person__municipality")
    ).values("name")[:1]
    rows = paths.select_related("person", "cooperative").annotate(sub_area=Subquery(sub_area)).order_by("pk")
    follow_ups = {
        (path_id, months): situation
        for path_id, months, situation in FollowUp.objects.for_hub(hub)
        .filter(path__in=paths, recorded_on__isnull=False)
        .values_list("path_id", "months", "situation")
    }
    situations, statuses = dict(Situation.choices), dict(Path.Status.choices)
    data = exports.dataset(
        [
            _("Path"),
            _("Cooperative"),
            _("NEET"),
            _("Low schooling"),
            _("Lost work in the pandemic"),
            _("Age at intake"),
            _("Gender"),
            _("Education"),
            _("Months out"),
            _("Sub-area"),
            _("Start date"),
            _("Planned hours"),
            _("Delivered hours"),
            _("Confirmed hours"),
            _("Status"),
            _("Outcome"),
            _("Closing date"),
            _("Situation at 3 months"),
            _("Situation at 6 months"),
        ],
        title=_("Paths"),
    )
    yes, no = _("yes"), _("no")
    for path in rows:
        data.append(
            [
                path.pk,
                path.cooperative.name,
                yes if path.is_neet else no,
                yes if path.is_low_schooling else no,
                yes if path.is_pandemic_unemployed else no,
                path.age_at_intake,
                path.person.get_gender_display(),
                path.get_education_display(),
                path.months_out,
                path.sub_area or "",
                _day(path.starts_on),
                _hours(path.planned_hours),
                _hours(path.delivered_hours),
                _hours(path.confirmed_hours),
                str(statuses.get(path.status, path.status)),
                str(situations.get(path.outcome, "")) if path.outcome else "",
                _day(path.closed_on),
                str(situations.get(follow_ups.get((path.pk, 3)), "")),
                str(situations.get(follow_ups.get((path.pk, 6)), "")),
            ]
        )
    return data


def activities_dataset(*, hub, paths) -> tablib.Dataset:
    """One row per logged activity of `paths` (already the member's reach)."""
    kinds = dict(ActivityKind.choices)
    data = exports.dataset(
        [
            _("Path"),
            _("Date"),
            _("Activity"),
            _("Hours"),
            _("Confirmed by the young person"),
        ],
        title=_("Activities"),
    )
    yes, no = _("yes"), _("no")
    rows = Activity.objects.for_hub(hub).filter(path__in=paths).order_by("path_id", "date", "pk")
    for path_id, day, kind, hours, confirmed_at in rows.values_list(
        "path_id", "date", "kind", "hours", "confirmed_at"
    ):
        data.append(
            [path_id, _day(day), str(kinds.get(kind, kind)), _hours(hours), yes if confirmed_at else no]
        )
    return data
