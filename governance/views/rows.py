"""
Indicator rows as the pages show them: grouped by action, masked for aggregate-only viewers,
with month labels, drill-down links and charts.
"""

from datetime import date

from django.urls import NoReverseMatch, reverse
from django.utils import formats

from .. import services
from ..templatetags.governance import number
from .base import ACTION_TITLES


def month_label(month: str) -> str:
    """ "2023-04" → "Apr 2023" in the current language."""
    year, number_of_month = (int(part) for part in month.split("-"))
    return formats.date_format(date(year, number_of_month, 1), "M Y")


def drill_down_url(row: dict, hub) -> str | None:
    if not row.get("link"):
        return None
    name, _sep, query = row["link"].partition("?")  # "app:list?status=completed": a filtered list
    try:
        url = reverse(name, kwargs={"hub_slug": hub.slug})
    except NoReverseMatch:  # the list's app is not there yet
        return None
    return f"{url}?{query}" if query else url


def present(
    rows: list[dict], *, masked: bool, hub=None, links: bool = False, series: dict | None = None
) -> tuple[list[dict], dict]:
    """
    The rows grouped by action, each with what the page writes: `main` (the number set against
    the target, masked when asked), `breakdown` (a masked mapping, for breakdowns), `url` (the
    staff's list it counts, when `links`) and `chart` (its trend, when `series` has one).
    `series` comes from `services.trends` with the same `masked`.
    Returns the groups and the charts' data for the page's JSON.
    """
    groups: dict[int, list] = {}
    charts = {}
    for index, row in enumerate(rows):
        item = dict(row)
        if masked:
            item["main"], item["breakdown"] = services.mask_row(row)
        else:
            item["main"] = row.get("compared")
            item["breakdown"] = row["value"] if isinstance(row.get("value"), dict) else None
        item["url"] = drill_down_url(row, hub) if links and hub is not None else None
        target, compared = row.get("target"), row.get("compared")
        if target and compared is not None and not isinstance(item["main"], str):
            # how far along, for the progress bar; never for a masked count (it would tell it)
            item["share"] = round(compared / target * 100)
            item["expected_share"] = round((row.get("expected") or 0) / target * 100)
        points = (series or {}).get(services.series_key(row)) or []
        # a masked count ("< 5", "*") has no place on a line: it is left out (a gap)
        drawn = [value if not isinstance(value, str) else None for _month, value in points]
        if any(value is not None for value in drawn):
            chart_id = f"trend-{index}"
            charts[chart_id] = {
                "labels": [month_label(month) for month, _value in points],
                "values": drawn,
                "unit": row.get("unit", "count"),
            }
            item["chart"] = {
                "id": chart_id,
                "span": f"{month_label(points[0][0])} – {month_label(points[-1][0])}",
                "text": "; ".join(
                    f"{month_label(month)}: {number(value, row.get('unit', 'count'))}"
                    for month, value in points
                ),
            }
        groups.setdefault(row["action"], []).append(item)
    return [
        {
            "number": action,
            "title": ACTION_TITLES.get(action, ""),
            "rows": items,
            "targeted": [item for item in items if item.get("target") is not None],
            "others": [item for item in items if item.get("target") is None],
        }
        for action, items in sorted(groups.items())
    ], charts
