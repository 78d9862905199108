"""
Object grants through django-guardian, always inside one hub.

Hub-wide rights come from Membership.role. Guardian holds grants on single objects only (a
partner's own organization now; the paths assigned to a cooperative later). Never give a
non-superuser a model-wide permission: `accept_global_perms=False` below would ignore it anyway.
"""
from django.db.models import QuerySet
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm


def objects_for_user(user, perm: str, queryset: QuerySet) -> QuerySet:
    """The rows of `queryset` (already scoped to a hub) the user holds `perm` on, in one query."""
    return get_objects_for_user(
        user, perm, klass=queryset, accept_global_perms=False, with_superuser=False
    )


def grant(user, perm: str, obj) -> None:
    assign_perm(perm, user, obj)


def revoke(user, perm: str, obj) -> None:
    remove_perm(perm, user, obj)
