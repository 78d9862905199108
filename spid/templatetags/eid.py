from django import template

from ..selectors import providers_for_buttons

register = template.Library()


@register.inclusion_tag("spid/buttons.html", takes_context=True)
def eid_buttons(context):
    """The "Entra con SPID" / "Entra con CIE" buttons, for the sign-in page."""
    providers = providers_for_buttons(next_url=context.get("redirect_field_value") or "")
    return {"spid": providers.get("spid", []), "cie": providers.get("cie", [])}
