"""
Object grants through django-guardian, always inside one hub.

Hub-wide rights come from the capability table (hubs/capabilities.py), by Membership.role.
Guardian holds grants on single objects only: a partner's own organization (granted to the
user), and the objects assigned to an organization, such as a cooperative's placement paths
(granted to the organization's group, which holds exactly the users who act for it through an
active membership: `hubs.services`). Never give a
non-superuser a model-wide permission: `accept_global_perms=False` below would ignore it anyway.
"""

from django.contrib.auth.models import Group
from django.db.models import QuerySet
from guardian.shortcuts import assign_perm, get_objects_for_group, get_objects_for_user, remove_perm


def objects_for_user(user, perm: str, queryset: QuerySet) -> QuerySet:
    """The rows of `queryset` (already scoped to a hub) the user holds `perm` on, in one query."""
    return get_objects_for_user(user, perm, klass=queryset, accept_global_perms=False, with_superuser=False)


def objects_for_client(client, perm: str, queryset: QuerySet) -> QuerySet:
    """
    `objects_for_user` for a membership, or for an API token (hubs/restapi), which has no user:
    the rows its organization's group holds `perm` on, the same grants its members reach.
    """
    if client.user is not None:
        return objects_for_user(client.user, perm, queryset)
    if client.organization_id is None:
        return queryset.none()
    group = organization_group(client.organization)
    return get_objects_for_group(group, perm, klass=queryset, accept_global_perms=False)


def grant(user, perm: str, obj) -> None:
    assign_perm(perm, user, obj)


def revoke(user, perm: str, obj) -> None:
    remove_perm(perm, user, obj)


def organization_group(organization) -> Group:
    """The group of the users acting for an organization; grants to it reach all of them."""
    group, _created = Group.objects.get_or_create(name=f"organization:{organization.pk}")
    return group
