"""
The export for the regional observatory (LR Lombardia 4/2022, art. 4): per-hub aggregates of the
network's indicators, as JSON (valid against SCHEMA, published at /rete/osservatorio/schema.json)
and as CSV (one row per hub and indicator). It holds no direct identifier: hubs are named, people
never; counts of people from 1 to 4 read "< 5", as on the comparison page (hubs/masking.py).
"""

from datetime import date

from django.utils import timezone

from hubs import exports
from hubs.indicator_registry import REGISTRY
from hubs.links import absolute_url

from .selectors import NETWORK_ONLY, comparison

VERSION = "1.0"

VALUE = {"oneOf": [{"type": "number"}, {"type": "string", "enum": ["< 5"]}, {"type": "null"}]}

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "young-in-progress/observatory/1.0",
    "title": "Young in Progress – per-hub aggregates for the regional youth observatory",
    "type": "object",
    "additionalProperties": False,
    "required": ["schema_version", "network", "period", "generated_at", "indicators", "hubs"],
    "properties": {
        "schema_version": {"const": VERSION},
        "network": {"type": "string", "description": "The network's slug."},
        "period": {
            "type": "object",
            "additionalProperties": False,
            "required": ["start", "end"],
            "properties": {
                "start": {"type": "string", "format": "date"},
                "end": {"type": "string", "format": "date"},
            },
        },
        "generated_at": {"type": "string", "format": "date-time"},
        "indicators": {
            "type": "array",
            "description": "The data dictionary: one entry per indicator key used in `hubs`.",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["key", "title", "action", "unit", "counts_people"],
                "properties": {
                    "key": {"type": "string", "pattern": "^[a-z0-9_]+\\.[a-z0-9_]+$"},
                    "title": {"type": "string"},
                    "action": {"type": "integer", "minimum": 1, "maximum": 7},
                    "unit": {"enum": ["count", "hours", "percent"]},
                    "counts_people": {"type": "boolean"},
                },
            },
        },
        "hubs": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["hub", "name", "young_residents", "values"],
                "properties": {
                    "hub": {"type": "string", "description": "The hub's slug."},
                    "name": {"type": "string"},
                    "young_residents": {"type": ["integer", "null"]},
                    "values": {
                        "type": "object",
                        "additionalProperties": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["value", "per_1000"],
                            "properties": {"value": VALUE, "per_1000": {"type": ["number", "null"]}},
                        },
                    },
                },
            },
        },
    },
}


def dictionary(keys=None) -> list[dict]:
    """The data dictionary: each indicator's key, title, action, unit, and whether it counts people."""
    keys = keys if keys is not None else sorted(k for k in REGISTRY if k not in NETWORK_ONLY)
    return [
        {
            "key": key,
            "title": str(REGISTRY[key].title),
            "action": REGISTRY[key].action,
            "unit": REGISTRY[key].unit,
            "counts_people": REGISTRY[key].personal,
        }
        for key in keys
    ]


def build(*, network, start: date, end: date) -> dict:
    table = comparison(network=network, start=start, end=end)
    keys = [row["key"] for row in table["rows"]]
    hubs = []
    for index, member in enumerate(table["members"]):
        hubs.append(
            {
                "hub": member.hub.slug,
                "name": member.hub.name,
                "young_residents": member.young_residents,
                "values": {row["key"]: row["cells"][index] for row in table["rows"]},
            }
        )
    return {
        "schema_version": VERSION,
        "network": network.slug,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "generated_at": timezone.now().isoformat(),
        "indicators": dictionary(keys),
        "hubs": hubs,
    }


CSV_HEADERS = ["network", "hub", "period_start", "period_end", "indicator", "value", "per_1000"]


def csv_dataset(data: dict):
    sheet = exports.dataset(CSV_HEADERS, title="observatory")
    for hub in data["hubs"]:
        for key, cell in hub["values"].items():
            sheet.append(
                [
                    data["network"],
                    hub["hub"],
                    data["period"]["start"],
                    data["period"]["end"],
                    key,
                    cell["value"],
                    cell["per_1000"],
                ]
            )
    return sheet


def schema_url() -> str:
    return absolute_url("observatory_schema")
