"""Every selector and hub-scoped manager returns only the rows of the hub it is given."""

import pytest

from hubs import selectors
from hubs.models import Antenna, Invitation, Membership, Organization, Role, SubArea
from hubs.permissions import objects_for_user
from hubs.services import ORGANIZATION_CHANGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world):
    """Built once for this module; each test is rolled back and starts from the world as built."""
    return module_world


def test_for_hub_managers_keep_to_their_hub(world):
    for model in (SubArea, Antenna, Membership, Invitation):
        a_rows = set(model.objects.for_hub(world.a.hub))
        assert a_rows, model
        assert all(row.hub_id == world.a.hub.pk for row in a_rows), model
    assert set(Organization.objects.for_hub(world.a.hub)) == {world.a.cooperative, world.a.school}


def test_selectors_keep_to_their_hub(world):
    a, b = world.a, world.b
    assert list(selectors.antennas_for_hub(hub=a.hub)) == [a.antenna]
    assert list(selectors.subareas_for_hub(hub=a.hub)) == [a.sub_area]
    assert set(selectors.organizations_for_hub(hub=a.hub)) == {a.cooperative, a.school}
    assert set(selectors.memberships_for_hub(hub=a.hub)) == set(a.members.values())
    assert list(selectors.invitations_pending_for_hub(hub=a.hub)) == [a.invitation]
    assert selectors.membership_get(hub=a.hub, user=b.users[Role.HUB_ADMIN]) is None
    assert selectors.membership_get(hub=a.hub, user=a.users[Role.HUB_ADMIN]).role == Role.HUB_ADMIN
    overview = selectors.hub_overview(hub=a.hub)
    assert overview == {
        "antennas_active": 1,
        "antennas_total": 1,
        "sub_areas": 1,
        "organizations": 2,
        "members": len(Role),
    }


def test_an_organization_shared_by_two_hubs_is_seen_by_both(world):
    world.a.cooperative.hubs.add(world.b.hub)
    assert world.a.cooperative in selectors.organizations_for_hub(hub=world.b.hub)


def test_object_grants_stay_within_the_hub(world):
    partner = world.a.users[Role.PARTNER]
    in_a = objects_for_user(partner, ORGANIZATION_CHANGE, Organization.objects.for_hub(world.a.hub))
    in_b = objects_for_user(partner, ORGANIZATION_CHANGE, Organization.objects.for_hub(world.b.hub))
    assert list(in_a) == [world.a.cooperative]
    assert list(in_b) == []


def test_objects_for_user_is_one_query(world, django_assert_num_queries):
    partner = world.a.users[Role.PARTNER]
    with django_assert_num_queries(1):
        list(objects_for_user(partner, ORGANIZATION_CHANGE, Organization.objects.for_hub(world.a.hub)))


def test_no_model_wide_permission_for_non_superusers(world):
    from django.contrib.auth import get_user_model

    holders = (
        get_user_model()
        .objects.filter(is_superuser=False)
        .exclude(user_permissions=None, groups__permissions=None)
    )
    assert not holders.exists()
