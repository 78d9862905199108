"""
The menus (hubs/navigation.py, filled by each app's navigation.py) show a member exactly the
pages they may open: a link never leads to a 403, and no page they may open is left out.
"""

import pytest
from django.urls import reverse

from desk.views.backoffice import TABS as DESK_TABS
from governance.views import TABS as GOVERNANCE_TABS
from hubs import navigation
from hubs.models import Role
from hubs.network.views import TABS as NETWORK_TABS
from jobclub.views.backoffice import TABS as JOBCLUB_TABS
from jobfair.views.backoffice import TABS as JOBFAIR_TABS
from pacts.views.backoffice import TABS as PACT_TABS
from placements.views.backoffice import TABS as PLACEMENT_TABS

pytestmark = pytest.mark.django_db


def hub_url(name, hub, **kwargs):
    return reverse(name, kwargs={"hub_slug": hub.slug, **kwargs})


def test_every_built_action_registered_its_page_asking_for_the_actions_capability():
    assert set(navigation.ACTION_PAGES) == {1, 2, 3, 4, 5, 6, 7}
    for number, url_name in navigation.ACTION_PAGES.items():
        action = navigation.ACTIONS_BY_NUMBER[number]
        assert navigation.page_permission(url_name) == action.capability, url_name


def test_the_back_office_menu_lists_exactly_the_pages_a_member_may_open(client, world):
    hub = world.a.hub
    statuses = set()
    for role, user in world.a.users.items():
        client.force_login(user)
        menu = client.get(hub_url("backoffice_dashboard", hub)).context["backoffice_sections"]
        listed = {entry["url"] for entry in menu["sections"]}
        for link in navigation.SECTIONS.values():
            url = hub_url(link.url_name, hub)
            status = client.get(url).status_code
            assert status == (200 if url in listed else 403), (role, url, status)
            statuses.add(status)
        shown = {entry["action"].number for entry in menu["actions"]}
        for action in navigation.ACTIONS:
            url, _built = navigation.action_url(hub, action)
            status = client.get(url).status_code
            assert status == (200 if action.number in shown else 403), (role, url, status)
    assert statuses == {200, 403}  # the roles differ: some sections were listed, others left out


@pytest.mark.parametrize(
    ("landing", "tabs"),
    [
        ("deskbo:calendar", DESK_TABS),
        ("placementsbo:path_list", PLACEMENT_TABS),
        ("jobclubbo:home", JOBCLUB_TABS),
        ("pactsbo:board", PACT_TABS),
        ("jobfairbo:fair_list", JOBFAIR_TABS),
        ("governance:dashboard", GOVERNANCE_TABS),
        ("network:overview", NETWORK_TABS),
    ],
)
def test_an_apps_tabs_are_the_pages_the_member_may_open(client, world, landing, tabs):
    hub = world.a.hub
    members_seen = 0
    for role, user in world.a.users.items():
        client.force_login(user)
        response = client.get(hub_url(landing, hub))
        if response.status_code == 403:
            continue
        members_seen += 1
        listed = {tab["url"] for tab in response.context["section_tabs"]}
        for _key, _title, url_name in tabs:
            url = hub_url(url_name, hub)
            status = client.get(url).status_code
            assert status == (200 if url in listed else 403), (role, url, status)
    assert members_seen >= 2


def test_a_hubs_public_page_and_a_young_persons_area_carry_the_desks_links(client, world):
    from people.tests.factories import UserFactory

    slug = world.a.hub.slug
    page = client.get(reverse("hub_public", args=[slug])).content.decode()
    book = f'class="btn btn-primary btn-lg" href="{reverse("desk:book_service", args=[slug])}"'
    ask = f'class="btn btn-outline-primary btn-lg" href="{reverse("desk:enquiry_create", args=[slug])}"'
    assert book in page and ask in page
    client.force_login(UserFactory())
    area = client.get(reverse("backoffice_index")).content.decode()
    assert f'href="{reverse("desk:my_bookings")}"' in area
    client.force_login(world.a.users[Role.OPERATOR])
    assert client.get(reverse("backoffice_index")).status_code == 302  # a member goes to their hub
