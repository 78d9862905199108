"""
Reads of governance: the trends of the monthly snapshots, and the querysets the views list.
"""

from datetime import date

from django.db.models import Count, Q

from .masking import mask_row
from .models import Decision, Meeting, MonitoringPlan, Report, Snapshot


def series_key(row: dict) -> str:
    return f"{row['key']}:{row['part']}" if row.get("part") else row["key"]


def trends(
    *, hub, months: int = 12, as_of: date | None = None, masked: bool = False
) -> dict[str, list[tuple[str, float | str | None]]]:
    """
    The compared value of every indicator in the last `months` MONTHLY snapshots of the hub
    (None: the network) up to `as_of`, oldest first: {"<key>" or "<key>:<part>": [("YYYY-MM",
    value or None), …]}. A key missing from a snapshot (or not measured then) gives None.
    `masked`: each value as aggregate-only viewers see it (`mask_row`), e.g. "< 5".
    """
    snapshots = Snapshot.objects.filter(hub=hub, kind=Snapshot.Kind.MONTHLY)
    if as_of is not None:
        snapshots = snapshots.filter(as_of__lte=as_of)
    snapshots = list(snapshots.order_by("-month").only("month", "rows")[:months])[::-1]
    columns = [
        (
            snapshot.month.strftime("%Y-%m"),
            {series_key(row): mask_row(row)[0] if masked else row.get("compared") for row in snapshot.rows},
        )
        for snapshot in snapshots
    ]
    keys = dict.fromkeys(key for _label, values in columns for key in values)
    return {key: [(label, values.get(key)) for label, values in columns] for key in keys}


def plan_of(hub) -> MonitoringPlan:
    """
    The hub's project timeline as stored, or (not stored yet, or the network: hub=None) an
    unsaved plan with the project's default dates. Unlike `services.plan_get`, never writes.
    """
    if hub is not None:
        plan = MonitoringPlan.objects.filter(hub=hub).first()
        if plan is not None:
            return plan
    return MonitoringPlan(hub=hub)


def decisions_open(hub, *, limit: int = 50):
    """The hub's open decisions, soonest due first, with their owner and meeting."""
    return (
        Decision.objects.for_hub(hub)
        .filter(status=Decision.Status.OPEN)
        .select_related("owner", "meeting")
        .order_by("due_on", "pk")[:limit]
    )


def snapshots_listed(hub):
    """The hub's snapshots, newest first, each with how many meetings it served."""
    return (
        Snapshot.objects.for_hub(hub)
        .select_related("created_by")
        .annotate(meeting_count=Count("meetings"))
        .order_by("-as_of", "-pk")
    )


def reports_visible(hub, *, network: bool):
    """The hub's reports, and the network's when `network` (who may see the network)."""
    reports = Report.objects.for_hub(hub)
    if network:
        reports = reports | Report.objects.network()
    return reports.select_related("snapshot", "requested_by")


def meetings_listed(hub):
    """The hub's meetings, newest first, with their count of decisions and of open ones."""
    return (
        Meeting.objects.for_hub(hub)
        .select_related("snapshot")
        .annotate(
            decision_count=Count("decisions"),
            open_count=Count("decisions", filter=Q(decisions__status=Decision.Status.OPEN)),
        )
        .order_by("-date", "-pk")
    )
