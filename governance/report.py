"""
The monthly monitoring report as a PDF (WeasyPrint, A4), rendered from a frozen Snapshot only:
the values are never recomputed. The trends come from the hub's MONTHLY snapshots up to this
one; the open decisions are read when the report is made. Personal counts are masked
(`masking.mask_row`: "< 5", and "*" where a total would give one away), since the report goes
to the steering committee.

Italian by default (the portal's language, `settings.LANGUAGE_CODE`).
"""

from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from hubs import pdf
from hubs.indicator_registry import label as breakdown_label
from hubs.navigation import ACTIONS

from . import charts, masking, selectors, status
from .models import Report

TREND_MONTHS = 12


def format_number(value, unit: str = "count") -> str:
    """A number as the report prints it: Italian grouping, at most one decimal, its unit."""
    if value is None:
        return "—"
    if isinstance(value, str):  # masked: "< 5"
        return value
    value = float(value)
    if value.is_integer():
        text = number_format(int(value), force_grouping=True)
    else:
        text = number_format(Decimal(str(round(value, 1))), 1, force_grouping=True)
    if unit == "percent":
        return f"{text} %"
    if unit == "hours":
        return f"{text} h"
    return text


def status_labels() -> dict[str, tuple[str, str]]:
    """Status → (symbol, text): the status reads without colour."""
    return {
        status.ON_TRACK: ("✔", _("On track")),
        status.AT_RISK: ("▲", _("At risk")),
        status.BEHIND: ("✖", _("Behind")),
        status.NOT_MEASURED: ("○", _("Not yet measured")),
        status.NO_TARGET: ("", _("No target")),
    }


def _breakdown(row: dict, value) -> list[tuple[str, str]]:
    """The entries of a breakdown, masked, as (label, formatted value); [] for a number."""
    if not isinstance(value, dict):
        return []
    return [(breakdown_label(label), format_number(number, row["unit"])) for label, number in value.items()]


def _decorate(row: dict, series: dict, labels: dict) -> dict:
    shown, masked = masking.mask_row(row)
    symbol, text = labels[row["status"]]
    # masked counts of people ("< 5", "*") are gaps in the line
    points = [
        (month, None if isinstance(value, str) else value)
        for month, value in series.get(selectors.series_key(row), [])
    ]
    return {
        **row,
        "shown_value": format_number(shown, row["unit"]) if row["measured"] else _("not yet measured"),
        "breakdown": _breakdown(row, masked),
        "shown_target": format_number(row["target"], row["unit"]) if row["target"] is not None else "",
        "shown_expected": (
            format_number(row["expected"], row["unit"]) if row["expected"] is not None else ""
        ),
        "symbol": symbol,
        "status_text": text,
        "chart": charts.trend_chart(
            points,
            target=row["target"],
            label=row["title"],
            fmt=lambda number: format_number(number, row["unit"]),
        )
        if len([p for p in points if p[1] is not None]) > 1
        else "",
    }


def css_string(text: str) -> str:
    """Text as a quoted CSS string, safe inside <style> (a raw-text element: no entities)."""
    escaped = "".join(
        f"\\{ord(char):x} " if char in '"\\<>&' or ord(char) < 32 else char for char in str(text)
    )
    return mark_safe(f'"{escaped}"')


def report_context(report: Report) -> dict:
    snapshot = report.snapshot
    hub = report.hub
    plan = selectors.plan_of(hub)
    labels = status_labels()
    series = selectors.trends(hub=hub, months=TREND_MONTHS, as_of=snapshot.as_of, masked=True)
    rows = [_decorate(row, series, labels) for row in snapshot.rows]
    sections = []
    for action in ACTIONS:
        action_rows = [row for row in rows if row["action"] == action.number]
        sections.append(
            {
                "number": action.number,
                "title": action.title,
                "summary": action.summary,
                "targets": [row for row in action_rows if row["target"] is not None],
                "others": [row for row in action_rows if row["target"] is None],
            }
        )
    counts = status.status_counts(snapshot.rows)
    span = (plan.ends_on - plan.starts_on).days or 1
    elapsed = min(max((snapshot.as_of - plan.starts_on).days, 0), span)
    decisions = list(selectors.decisions_open(hub)) if hub is not None else []
    return {
        "report": report,
        "snapshot": snapshot,
        "hub": hub,
        "scope": hub.name if hub else _("Regional network"),
        "month": snapshot.month,
        "as_of": snapshot.as_of,
        "plan": plan,
        "progress": round(100 * elapsed / span),
        "today": timezone.localdate(),
        "counts": counts,
        "targets_total": sum(counts.values()),
        "status_rows": [
            (labels[key][0], labels[key][1], counts[key], key)
            for key in (status.ON_TRACK, status.AT_RISK, status.BEHIND, status.NOT_MEASURED)
        ],
        "target_rows": [row for row in rows if row["target"] is not None],
        "sections": sections,
        "decisions": decisions,
        "portal": settings.PORTAL_NAME,
        "kind": snapshot.get_kind_display(),
        "footer": css_string(
            " · ".join(
                [
                    str(hub.name if hub else _("Regional network")),
                    _("monitoring report"),
                    date_format(snapshot.month, "F Y"),
                ]
            )
        ),
    }


def render_html(report: Report) -> str:
    return pdf.render_html("governance/report/report.html", report_context(report))


def render_report(report: Report) -> bytes:
    """The report's PDF (bytes), from its snapshot."""
    return pdf.render_pdf("governance/report/report.html", report_context(report), tagged=True)
