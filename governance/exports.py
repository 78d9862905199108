"""
The indicator table as a file (CSV or XLSX, with tablib), for whoever compiles the funders'
reports: one row per indicator, its number against the target, masked like the dashboard
(`services.mask_row`: counts of 1 to 4 people as "< 5", and "*" where a total would give one
away) for the steering committee, regional members and the network. The file is written by
`hubs.exports`.
"""

from datetime import date

import tablib
from django.http import HttpResponse
from django.utils.translation import gettext as _

from hubs import exports
from hubs.navigation import ACTIONS

from . import services
from .templatetags.governance import STATUS_LABELS

UNITS = {"count": "", "hours": "h", "percent": "%"}


def _cell(value):
    """A number stays a number (spreadsheets sum it); None is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def indicators_dataset(rows: list[dict], *, masked: bool) -> tablib.Dataset:
    titles = {action.number: str(action.title) for action in ACTIONS}
    data = exports.dataset(
        [
            _("Action"),
            _("Action title"),
            _("Indicator"),
            _("Key"),
            _("Part"),
            _("Value"),
            _("Unit"),
            _("Breakdown"),
            _("Target"),
            _("Expected today"),
            _("Status"),
        ],
        title=_("Indicators"),
    )
    for row in rows:
        if masked:
            main, entries = services.mask_row(row)
        else:
            main, entries = row.get("compared"), row.get("value")
        breakdown = ""
        if isinstance(entries, dict):
            breakdown = "; ".join(f"{label}: {_cell(number)}" for label, number in entries.items())
        data.append(
            [
                row["action"],
                titles.get(row["action"], ""),
                row["title"],
                row["key"],
                row.get("part", ""),
                _cell(main) if row.get("measured", True) else "",
                UNITS.get(row.get("unit", "count"), ""),
                breakdown,
                _cell(row.get("target")),
                _cell(row.get("expected")),
                str(STATUS_LABELS.get(row["status"], row["status"])),
            ]
        )
    return data


def indicators_response(
    rows: list[dict], *, masked: bool, format: str, scope: str, as_of: date
) -> HttpResponse:
    return exports.response(
        indicators_dataset(rows, masked=masked),
        format=format,
        filename=f"indicatori_{scope}_{as_of.isoformat()}",
    )
