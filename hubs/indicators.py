"""Indicators of the territory (actions 1 and 2)."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from hubs.indicator_registry import indicator

from .models import Antenna, Hub


@indicator("hubs.hubs_in_network", action=1, title=_("Hubs in the regional network"))
def hubs_in_network(hub, start, end):
    return Hub.objects.filter(is_active=True).count() if hub is None else 1


@indicator(
    "hubs.antennas_active", action=2, labels=Antenna.Kind.choices, title=_("Antennas and local points active")
)
def antennas_active(hub, start, end):
    antennas = Antenna.objects.filter(is_active=True, hub__is_active=True)
    if hub is not None:
        antennas = antennas.for_hub(hub)
    rows = antennas.values("kind").annotate(n=Count("pk", filter=Q(is_active=True)))
    return {row["kind"]: row["n"] for row in rows}
