"""Indicators of the territory (actions 1 and 2)."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from hubs.indicator_registry import indicator

from .models import Antenna, Hub
from .network.models import Adoption, CatalogueHandoff, NetworkMembership, QualityAssessment, Referral


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


# --- The network level (action 1) ----------------------------------------------------------


def _network_rows(model, hub, **filters):
    rows = model.objects.filter(**filters)
    return rows.for_hub(hub) if hub is not None else rows


@indicator("hubs.hubs_approved", action=1, title=_("Hubs approved as members of the network"))
def hubs_approved(hub, start, end):
    return _network_rows(NetworkMembership, hub, approved_at__date__lte=end, hub__is_active=True).count()


@indicator("hubs.hubs_with_label", action=1, title=_("Hubs holding the network's quality label"))
def hubs_with_label(hub, start, end):
    assessments = _network_rows(QualityAssessment, hub, submitted_at__date__lte=end, label_until__gte=end)
    return assessments.values("hub").distinct().count()


@indicator("hubs.catalogue_handoffs", action=1, title=_("Bookings started from the regional catalogue"))
def catalogue_handoffs(hub, start, end):
    rows = _network_rows(CatalogueHandoff, hub, created_at__date__range=(start, end))
    return rows.count()


REFERRAL_STAGES = [
    ("proposed", _("proposed")),
    ("consented", _("consented")),
    ("accepted", _("accepted")),
    ("completed", _("completed")),
]


@indicator("hubs.referrals", action=1, labels=REFERRAL_STAGES, title=_("Referrals to other hubs, by stage"))
def referrals(hub, start, end):
    rows = _network_rows(Referral, hub, created_at__date__range=(start, end))
    counts = rows.aggregate(
        proposed=Count("pk"),
        consented=Count("pk", filter=Q(consented_at__isnull=False)),
        accepted=Count("pk", filter=Q(status__in=["accepted", "completed"])),
        completed=Count("pk", filter=Q(status="completed")),
    )
    return counts


@indicator("hubs.tools_adopted", action=1, title=_("Tools of the shared library adopted"))
def tools_adopted(hub, start, end):
    return _network_rows(Adoption, hub, adopted_at__date__lte=end).count()


@indicator("hubs.catalogue_services", action=1, title=_("Services in the regional catalogue"))
def catalogue_services(hub, start, end):
    from .catalogue_registry import entries_for

    hubs = Hub.objects.filter(pk__in=_network_rows(NetworkMembership, hub).approved().values("hub"))
    return len(entries_for(hubs))
