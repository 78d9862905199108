"""Youth pacts in the REST API: a partner's token reads the pacts naming its organization alone."""

import pytest

from hubs.models import Role
from hubs.restapi.tests.helpers import api, client_with, token_for
from pacts.models import PactAction

from .factories import proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world):
    return module_world


def ids(client, url) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_a_partners_token_reads_only_the_pacts_naming_it(world):
    hub = world.a.hub
    other = proposal(hub)
    _token, secret = token_for(world.a, Role.PARTNER)
    partner = client_with(secret)
    assert ids(partner, api(f"hubs/{hub.slug}/pacts/")) == {world.a.pact.pk}
    assert partner.get(api(f"hubs/{hub.slug}/pacts/{other.pk}/")).status_code == 404
    assert ids(partner, api(f"hubs/{hub.slug}/pact-actions/")) == set(
        world.a.pact.actions.values_list("pk", flat=True)
    )
    expenses = partner.get(api(f"hubs/{hub.slug}/pact-expenses/")).json()["results"]
    assert [(row["id"], row["amount"], row["status"]) for row in expenses] == [
        (world.a.pact_expense.pk, 50.0, "pending")
    ]
    _token, staff_secret = token_for(world.a, Role.OPERATOR)
    assert ids(client_with(staff_secret), api(f"hubs/{hub.slug}/pacts/")) == {world.a.pact.pk, other.pk}


def test_a_pact_shows_its_groups_name_not_its_young_members(world):
    _token, secret = token_for(world.a, Role.OPERATOR)
    body = client_with(secret).get(api(f"hubs/{world.a.hub.slug}/pacts/{world.a.pact.pk}/")).json()
    assert body["group_name"] == world.a.pact.group_name
    assert body["partners"] == [world.a.cooperative.pk]
    assert not {"members", "proposer"} & set(body)
    assert world.a.pact_member.email not in str(body)


@pytest.mark.parametrize("count", [10, 1000])
def test_a_page_of_actions_costs_the_same_queries_for_10_and_1000(world, count, django_assert_num_queries):
    PactAction.objects.bulk_create(
        PactAction(hub=world.a.hub, pact=world.a.pact, title=f"Azione {n}") for n in range(count)
    )
    _token, secret = token_for(world.a, Role.PARTNER)
    client = client_with(secret)
    url = api(f"hubs/{world.a.hub.slug}/pact-actions/?limit=5")
    client.get(url)  # last use recorded: later calls in the minute write nothing
    first = client.get(url).json()
    assert len(first["results"]) == 5 and first["next"]
    # the token with its hub, the organization's group, its grants, the page
    with django_assert_num_queries(4):
        client.get(url)
