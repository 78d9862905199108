"""
Indicator rows: the one place where a value (from the indicators registry) meets its target.
Every row carries the value, the target, the value expected by that day along the project
timeline, and a status. An indicator whose app does not exist yet is "not_measured" (value
None), never zero.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Min, Sum
from django.utils import timezone

from hubs.indicator_registry import REGISTRY, sharing

from ..models import Target
from ..status import NO_TARGET, expected_value, status_of
from .targets import plan_get


def _json_safe(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


def compared_value(value, part: str = "") -> float | None:
    """The number set against a target: value[part] of a breakdown, its sum without a part."""
    if value is None:
        return None
    if isinstance(value, dict):
        if part:
            return float(value.get(part) or 0)
        return float(sum(v for v in value.values() if isinstance(v, int | float | Decimal)))
    return float(value)


def _targets(hub) -> list[dict]:
    """The hub's targets, or (hub=None) the sum of the active hubs' targets per indicator and part."""
    if hub is not None:
        return [
            {
                "key": t.indicator_key,
                "part": t.part,
                "action": t.action,
                "title": t.title,
                "value": float(t.value),
            }
            for t in Target.objects.for_hub(hub)
        ]
    rows = (
        Target.objects.filter(hub__is_active=True)
        .values("indicator_key", "part")
        .annotate(total=Sum("value"), action=Min("action"), title=Min("title"), position=Min("position"))
        .order_by("action", "position", "indicator_key", "part")
    )
    return [
        {
            "key": r["indicator_key"],
            "part": r["part"],
            "action": r["action"],
            "title": r["title"],
            "value": float(r["total"]),
        }
        for r in rows
    ]


def indicator_rows(*, hub, as_of: date | None = None) -> list[dict]:
    """
    Every indicator against its target for the hub (None: the whole network), over the period
    from the start of the project timeline to `as_of` (default today).

    One row per target (ordered by action and position), then one row per registered
    indicator without a target. A row is a JSON-safe dict:
    key, part, action, title (str), unit, personal, link (URL name or None),
    value (number, dict or None when not measured), measured, target, expected,
    compared (the number set against the target), status.

    Queries: the indicator functions' own, plus the plan and the targets.
    """
    as_of = as_of or timezone.localdate()
    plan = plan_get(hub=hub)
    start = plan.starts_on
    values: dict[str, object] = {}

    def value_of(key):
        if key not in values:
            item = REGISTRY.get(key)
            values[key] = None if item is None else _json_safe(item.compute(hub, start, as_of))
        return values[key]

    with sharing():  # indicators reading the same grouped query run it once
        return _rows(hub, plan, as_of, value_of)


def _rows(hub, plan, as_of, value_of) -> list[dict]:
    rows, targeted = [], set()
    for target in _targets(hub):
        key, part = target["key"], target["part"]
        targeted.add(key)
        item = REGISTRY.get(key)
        value = value_of(key)
        compared = compared_value(value, part)
        expected = round(
            expected_value(
                target=target["value"], starts_on=plan.starts_on, ends_on=plan.ends_on, as_of=as_of
            ),
            2,
        )
        rows.append(
            {
                "key": key,
                "part": part,
                "action": target["action"],
                "title": str(target["title"]),
                "unit": item.unit if item else "count",
                "personal": bool(item and item.personal),
                "link": item.link if item else None,
                "value": value,
                "measured": item is not None,
                "target": target["value"],
                "expected": expected,
                "compared": compared,
                "status": status_of(value=compared, target=target["value"], expected=expected),
            }
        )
    extra = sorted(
        (item for key, item in REGISTRY.items() if key not in targeted),
        key=lambda item: (item.action, item.key),
    )
    for item in extra:
        value = value_of(item.key)
        rows.append(
            {
                "key": item.key,
                "part": "",
                "action": item.action,
                "title": str(item.title),
                "unit": item.unit,
                "personal": item.personal,
                "link": item.link,
                "value": value,
                "measured": True,
                "target": None,
                "expected": None,
                "compared": compared_value(value),
                "status": NO_TARGET,
            }
        )
    return rows
