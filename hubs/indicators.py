"""Indicators of the territory (actions 1 and 2)."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from hubs.indicator_registry import indicator

from .models import Antenna, Hub, SubArea
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


ACTION_SHORT = {
    1: _("referral"),
    2: _("desk"),
    3: _("youth pact"),
    4: _("job club"),
    5: _("Together We Work path"),
    6: _("job fair"),
}


@indicator(
    "hubs.journey_moves",
    action=1,
    personal=True,
    title=_("Young people who moved from one action to another, by sub-area"),
)
def journey_moves(hub, start, end):
    """
    Each move "from → to" (the person took part in `to` after `from`), per sub-area of the
    person's municipality for a hub ("-": outside the sub-areas), for the network in all.
    Three queries plus one per action that registered its first contacts (hubs/journey_registry.py).
    """
    from people.models import Person

    from .journey_registry import moves

    found = moves(hub, start, end)
    if not found:
        return {}
    sub_area_of = {}
    if hub is not None:
        people = {pid for ids in found.values() for pid in ids}
        municipality_of = dict(Person.objects.filter(pk__in=people).values_list("pk", "municipality_id"))
        by_municipality = dict(SubArea.objects.for_hub(hub).values_list("municipalities", "name"))
        sub_area_of = {pid: by_municipality.get(m, "-") for pid, m in municipality_of.items()}
    counts: dict[str, int] = {}
    for (a, b), ids in found.items():
        move = f"{ACTION_SHORT.get(a, a)} → {ACTION_SHORT.get(b, b)}"
        for pid in ids:
            key = f"{sub_area_of[pid]}: {move}" if hub is not None else move
            counts[key] = counts.get(key, 0) + 1
    return counts
