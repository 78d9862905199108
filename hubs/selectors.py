"""Reads of hub data. Every function takes the hub explicitly and returns only its rows."""

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Antenna, Hub, Invitation, Membership, Organization, SubArea


def hubs_public() -> QuerySet[Hub]:
    return Hub.objects.filter(is_active=True).select_related("network", "municipality")


def hub_get_public(*, slug: str) -> Hub:
    """The active hub with this slug (raises Hub.DoesNotExist)."""
    return hubs_public().get(slug=slug)


def membership_get(*, hub: Hub, user) -> Membership | None:
    """The user's active membership on the hub, or None."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.for_hub(hub)
        .filter(user=user, is_active=True)
        .select_related("organization")
        .first()
    )


def memberships_for_user(*, user) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, is_active=True, hub__is_active=True)
        .select_related("hub", "organization")
        .order_by("hub__name")
    )


def memberships_for_hub(*, hub: Hub) -> QuerySet[Membership]:
    return Membership.objects.for_hub(hub).select_related("user", "organization")


def invitations_pending_for_hub(*, hub: Hub) -> QuerySet[Invitation]:
    return Invitation.objects.for_hub(hub).pending().select_related("organization", "invited_by")


def antennas_for_hub(*, hub: Hub, active_only: bool = False) -> QuerySet[Antenna]:
    qs = Antenna.objects.for_hub(hub).select_related("municipality", "sub_area")
    return qs.filter(is_active=True) if active_only else qs


def subareas_for_hub(*, hub: Hub) -> QuerySet[SubArea]:
    return (
        SubArea.objects.for_hub(hub)
        .annotate(antenna_count=Count("antennas", distinct=True))
        .prefetch_related("municipalities")
    )


def organizations_for_hub(*, hub: Hub) -> QuerySet[Organization]:
    return Organization.objects.for_hub(hub).select_related("municipality")


def hub_public_page(*, slug: str) -> Hub:
    """The hub with its active antennas prefetched, for its public home."""
    return (
        hubs_public()
        .prefetch_related(
            Prefetch(
                "antenna_set",
                queryset=Antenna.objects.filter(is_active=True).select_related("municipality"),
                to_attr="active_antennas",
            )
        )
        .get(slug=slug)
    )


def hub_overview(*, hub: Hub) -> dict[str, int]:
    """Counts for the back-office dashboard, in one query each."""
    antennas = Antenna.objects.for_hub(hub).aggregate(
        total=Count("pk"), active=Count("pk", filter=Q(is_active=True))
    )
    return {
        "antennas_active": antennas["active"],
        "antennas_total": antennas["total"],
        "sub_areas": SubArea.objects.for_hub(hub).count(),
        "organizations": Organization.objects.for_hub(hub).count(),
        "members": Membership.objects.for_hub(hub).filter(is_active=True).count(),
    }


def municipalities_for_hub(*, hub: Hub):
    """The comuni of the hub's territory (its sub-areas, antennas and seat); all if it has none."""
    from .models import Municipality

    territory = (
        Municipality.objects.filter(
            Q(sub_areas__hub=hub)
            | Q(pk=hub.municipality_id)
            | Q(pk__in=Antenna.objects.for_hub(hub).values("municipality_id"))
        )
        .distinct()
        .order_by("name")
    )
    return territory if territory.exists() else Municipality.objects.order_by("name")
