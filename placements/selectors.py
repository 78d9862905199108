"""
Reads of Together We Work: the paths a member may open (the only way to a path and to what
hangs from it), the hub's cooperatives, and the hours delivered on a path.
"""

from django.db.models import Sum

from hubs.models import Hub, Membership, Organization
from hubs.permissions import objects_for_client

from .models import Activity, FollowUp, Path

# The object permissions a cooperative's group holds on the paths assigned to it.
VIEW, CHANGE = "placements.view_path", "placements.change_path"


def paths_for(*, hub: Hub, membership: Membership):
    """
    The paths a member of the hub may open: those who manage paths ("placements.manage_paths",
    the hub staff) all of them; other members who may see paths (partner operators) those their
    cooperative holds a grant on (django-guardian, through the organization's group) and that
    are assigned to the cooperative they act for; nobody else any. `membership` may be an API
    token (hubs/restapi), which acts like a membership of its role and organization.
    """
    paths = Path.objects.for_hub(hub)
    if membership.can("placements.manage_paths"):
        return paths
    if membership.can("placements.view_paths") and membership.organization_id:
        return objects_for_client(membership, CHANGE, paths).filter(cooperative_id=membership.organization_id)
    return paths.none()


def cooperatives_for(hub: Hub):
    return Organization.objects.for_hub(hub).filter(kind=Organization.Kind.COOPERATIVE)


def hours_by_kind(path: Path) -> dict:
    """Delivered hours per kind of activity (for the plan vs log comparison)."""
    return dict(path.activities.values_list("kind").annotate(total=Sum("hours")))


def activities_within_reach(*, hub: Hub, membership: Membership):
    """The logged activities of the paths this member may open, with their path's names."""
    return (
        Activity.objects.for_hub(hub)
        .filter(path__in=paths_for(hub=hub, membership=membership))
        .select_related("path__person", "path__cooperative", "operator")
    )


def follow_ups_within_reach(*, hub: Hub, membership: Membership):
    """The follow-ups of the paths this member may open."""
    return (
        FollowUp.objects.for_hub(hub)
        .filter(path__in=paths_for(hub=hub, membership=membership))
        .select_related("path__person")
    )
