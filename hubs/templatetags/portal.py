"""Template helpers shared by every app's templates."""

from django import forms, template
from django.conf import settings

from hubs import capabilities

register = template.Library()


@register.simple_tag
def consent_age() -> int:
    """The age below which a parent or guardian consents (`settings.YIP_CONSENT_AGE`), for texts."""
    return settings.YIP_CONSENT_AGE


@register.filter
def bootstrap(field):
    """Render a bound field's widget with Bootstrap Italia's class and ARIA links to its help/error."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    attrs = {"class": " ".join(filter(None, [widget.attrs.get("class"), css]))}
    described = []
    if field.help_text:
        described.append(f"{field.id_for_label or field.auto_id}-help")
    if field.errors:
        described.append(f"{field.id_for_label or field.auto_id}-error")
        attrs["aria-invalid"] = "true"
        attrs["class"] += " is-invalid"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def choice_group(field) -> bool:
    """Radio buttons or a list of checkboxes: one fieldset, its legend the field's label."""
    widget = field.field.widget
    return isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


@register.filter
def parts_group(field) -> bool:
    """A field drawn as several inputs (day, month, year): one fieldset, each part labelled."""
    return isinstance(field.field.widget, forms.MultiWidget)


@register.filter
def can(membership, capability: str) -> bool:
    """`{% if membership|can:"desk.configure" %}`: the capability table (hubs/capabilities.py)."""
    return capabilities.can(membership, capability)
