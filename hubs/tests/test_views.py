"""Back-office pages of the territory: bad input gets a message, lists keep a constant query count."""

import pytest
from django.urls import reverse

from hubs.models import Antenna, Organization, Role, SubArea
from hubs.tests.factories import AntennaFactory, MunicipalityFactory, OrganizationFactory, SubAreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world):
    """Built once for this module; each test is rolled back and starts from the world as built."""
    return module_world


def url(name, hub, **kwargs):
    return reverse(name, kwargs={"hub_slug": hub.slug, **kwargs})


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.a.users[Role.HUB_ADMIN])
    return client


def test_coordinator_adds_an_antenna_to_their_own_hub(admin_client, world):
    municipality = MunicipalityFactory(name="Castelleone")
    response = admin_client.post(
        url("backoffice_antenna_create", world.a.hub),
        {
            "name": "Antenna di Castelleone",
            "kind": Antenna.Kind.ANTENNA,
            "sub_area": world.a.sub_area.pk,
            "municipality": municipality.pk,
            "address": "Via Roma 2",
            "opening_hours": "Martedì 14:30–17:30",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    antenna = Antenna.objects.for_hub(world.a.hub).get(name="Antenna di Castelleone")
    assert antenna.sub_area == world.a.sub_area


def test_a_sub_area_of_another_hub_cannot_be_chosen(admin_client, world):
    response = admin_client.post(
        url("backoffice_antenna_create", world.a.hub),
        {
            "name": "Intrusa",
            "kind": Antenna.Kind.ANTENNA,
            "sub_area": world.b.sub_area.pk,
            "municipality": world.a.antenna.municipality.pk,
            "address": "Via X 1",
        },
    )
    assert response.status_code == 200
    assert "sub_area" in response.context["form"].errors
    assert not Antenna.objects.filter(name="Intrusa").exists()


def test_a_tampered_hub_field_is_ignored(admin_client, world):
    admin_client.post(
        url("backoffice_antenna_update", world.a.hub, pk=world.a.antenna.pk),
        {
            "name": "Rinominata",
            "kind": Antenna.Kind.ANTENNA,
            "municipality": world.a.antenna.municipality.pk,
            "address": "Via Y 2",
            "hub": world.b.hub.pk,
        },
    )
    world.a.antenna.refresh_from_db()
    assert world.a.antenna.name == "Rinominata"
    assert world.a.antenna.hub == world.a.hub


def test_missing_required_fields_are_flagged_by_the_field(admin_client, world):
    response = admin_client.post(url("backoffice_antenna_create", world.a.hub), {"name": ""})
    form = response.context["form"]
    assert {"name", "municipality", "address"} <= set(form.errors)
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and 'id="id_name-error"' in html


def test_sub_area_names_are_unique_within_a_hub(admin_client, world):
    response = admin_client.post(
        url("backoffice_subarea_create", world.a.hub), {"name": world.a.sub_area.name.upper()}
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    # The same name in another hub is fine.
    response = admin_client.post(
        url("backoffice_subarea_create", world.a.hub), {"name": world.b.sub_area.name}
    )
    assert response.status_code == 302


def test_a_school_needs_its_type_and_joins_the_hub(admin_client, world):
    data = {"name": "IIS Galilei", "kind": Organization.Kind.SCHOOL}
    response = admin_client.post(url("backoffice_organization_create", world.a.hub), data)
    assert "school_type" in response.context["form"].errors
    data["school_type"] = Organization.SchoolType.TECHNICAL
    response = admin_client.post(url("backoffice_organization_create", world.a.hub), data)
    assert response.status_code == 302
    assert Organization.objects.for_hub(world.a.hub).filter(name="IIS Galilei").exists()
    assert not Organization.objects.for_hub(world.b.hub).filter(name="IIS Galilei").exists()


def test_over_long_text_is_refused(admin_client, world):
    response = admin_client.post(url("backoffice_subarea_create", world.a.hub), {"name": "x" * 500})
    assert "name" in response.context["form"].errors
    assert not SubArea.objects.filter(name="x" * 500).exists()


@pytest.mark.parametrize(
    "page", ["backoffice_organization_list", "backoffice_territory", "backoffice_dashboard"]
)
def test_back_office_lists_make_the_same_queries_for_few_and_many_rows(
    admin_client, world, page, django_assert_max_num_queries
):
    with django_assert_max_num_queries(30) as few:
        assert admin_client.get(url(page, world.a.hub)).status_code == 200
    municipalities = MunicipalityFactory.create_batch(5)
    for sub_area in SubAreaFactory.create_batch(40, hub=world.a.hub):
        sub_area.municipalities.set(municipalities)
        AntennaFactory(hub=world.a.hub, sub_area=sub_area)
    OrganizationFactory.create_batch(40, hubs=[world.a.hub])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert admin_client.get(url(page, world.a.hub)).status_code == 200


@pytest.mark.parametrize("path", ["/", "/alpha/"])
def test_public_pages_make_the_same_queries_for_few_and_many_rows(
    client, world, path, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10) as few:
        assert client.get(path).status_code == 200
    AntennaFactory.create_batch(40, hub=world.a.hub)
    from hubs.tests.factories import HubFactory

    HubFactory.create_batch(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(path).status_code == 200


def test_inactive_hub_is_not_public(client, world):
    world.a.hub.is_active = False
    world.a.hub.save()
    assert client.get("/alpha/").status_code == 404
    assert b"Hub alpha" not in client.get("/").content


def test_hub_page_shows_only_its_active_antennas(client, world):
    AntennaFactory(hub=world.a.hub, name="Antenna chiusa", is_active=False)
    html = client.get("/alpha/").content.decode()
    assert world.a.antenna.name in html
    assert "Antenna chiusa" not in html
    assert world.b.antenna.name not in html


def test_my_area_sends_a_member_to_their_hub_and_shows_others_their_account(client, world):
    from people.tests.factories import UserFactory

    client.force_login(world.a.users[Role.OPERATOR])
    response = client.get(reverse("backoffice_index"))
    assert response.url == reverse(
        "deskbo:today", kwargs={"hub_slug": world.a.hub.slug}
    )  # the desk staff's day

    young = UserFactory()
    client.force_login(young)
    response = client.get(reverse("backoffice_index"))
    assert response.status_code == 200
    assert young.email in response.content.decode()
    assert not response.context["memberships"]
