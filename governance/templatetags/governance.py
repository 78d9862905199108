"""How the Cabina di Regia's pages write an indicator's number, breakdown and status."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hubs import indicator_registry

register = template.Library()

STATUS_LABELS = {
    "on_track": gettext_lazy("On track"),
    "at_risk": gettext_lazy("At risk"),
    "behind": gettext_lazy("Behind"),
    "not_measured": gettext_lazy("Not yet measured"),
    "no_target": gettext_lazy("No target"),
}
STATUS_ICONS = {
    "on_track": "it-check-circle",
    "at_risk": "it-warning-circle",
    "behind": "it-error",
    "not_measured": "it-clock",
    "no_target": "it-minus-circle",
}


def number(value, unit: str = "count") -> str:
    """12, 12.5, "< 5" as given; hours "12 h", percent "45%"; None "—"."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        return value
    value = float(value)
    text = number_format(value, 0 if value.is_integer() else 1, use_l10n=True, force_grouping=True)
    if unit == "hours":
        return _("%(n)s h") % {"n": text}
    if unit == "percent":
        return f"{text}%"
    return text


@register.filter
def amount(value, unit="count"):
    return number(value, unit)


@register.filter
def label(key) -> str:
    """A breakdown's entry as written by its indicator ("low_schooling" → "low schooling")."""
    return indicator_registry.label(key)


@register.filter
def status_label(status) -> str:
    return str(STATUS_LABELS.get(status, status))


@register.filter
def status_icon(status) -> str:
    return STATUS_ICONS.get(status, "it-info-circle")


@register.filter
def is_breakdown(value) -> bool:
    return isinstance(value, dict)
