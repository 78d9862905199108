"""What every write of Together We Work shares: hours in words, quarter hours, the grants of a
cooperative on its paths."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from hubs.models import Organization
from hubs.permissions import grant, organization_group, revoke

from ..models import (
    QUARTER,
    Path,
)
from ..selectors import CHANGE, VIEW

CONFIRM_SALT = "placements.activity.confirm"
CONFIRM_MAX_AGE = 60 * 60 * 24 * 30  # a confirmation link works for 30 days
FOLLOW_UP_MONTHS = (3, 6)


def hours_text(hours) -> str:
    """1.5 → "1,5" in Italian, 24.00 → "24": hours as people write them."""
    text = f"{Decimal(hours).quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return number_format(Decimal(text))


# --- Who reaches which path ---------------------------------------------------------------------


def grant_to(path: Path, cooperative: Organization) -> None:
    group = organization_group(cooperative)
    grant(group, VIEW, path)
    grant(group, CHANGE, path)


def revoke_from(path: Path, cooperative: Organization) -> None:
    group = organization_group(cooperative)
    revoke(group, VIEW, path)
    revoke(group, CHANGE, path)


def check_quarter_hours(hours, field: str = "hours") -> Decimal:
    """Hours as a Decimal: positive and in quarter hours, or a ValidationError for `field`."""
    try:
        hours = Decimal(hours)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Write the hours as a number, e.g. 1.5.")}) from None
    if not hours.is_finite():  # NaN, inf
        raise ValidationError({field: _("Write the hours as a number, e.g. 1.5.")})
    if hours <= 0:
        raise ValidationError({field: _("The hours must be more than zero.")})
    quarters = hours / QUARTER  # not `hours % QUARTER`: Decimal refuses it past 28 digits (1e40)
    if quarters != quarters.to_integral_value():
        raise ValidationError({field: _("Count the hours in quarter hours (0.25, 0.5, 0.75…).")})
    return hours
