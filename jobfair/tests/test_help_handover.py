"""
"Vorrei un aiuto" lands where it is answered, through the shared layer's hook
(hubs/help_registry.py): as a request to the desk or a request for a Together We Work path,
once, linked both ways for staff.
"""

import pytest
from django.conf import settings
from django.urls import reverse

from desk.models import Enquiry
from hubs import services as hub_services
from hubs.models import Role
from jobfair import services
from jobfair.models import HelpRequest
from people.models import RecordAccess
from people.tests.factories import UserFactory
from placements.models import PathRequest

from .conftest import person_data

pytestmark = pytest.mark.django_db


def register(fair, first="Ada"):
    return services.registration_create(fair=fair, person_data=person_data(first), notice_accepted=True)


@pytest.fixture
def operator(hub):
    user = UserFactory(email="operatore@crema.test", totp=True)
    hub_services.membership_create(hub=hub, user=user, role=Role.OPERATOR)
    return user


def test_a_desk_help_request_becomes_one_desk_request_however_often_it_is_sent(fair):
    ada = register(fair)
    first = services.help_request_create(
        registration=ada, kind="desk", consent=True, message="Non so cosa fare"
    )
    again = services.help_request_create(
        registration=ada, kind="desk", consent=True, message="Non so cosa fare"
    )
    assert again.pk == first.pk and HelpRequest.objects.count() == 1
    enquiry = Enquiry.objects.get()
    assert first.landed_id == enquiry.pk
    assert (enquiry.hub, enquiry.person) == (fair.hub, ada.person)
    assert enquiry.email == ada.person.email and enquiry.origin == f"jobfair.help:{first.pk}"
    assert fair.title in enquiry.subject and "Non so cosa fare" in enquiry.message
    assert not PathRequest.objects.exists()
    # the hook itself lands once, however often it is called (a retried hand-over)
    services.help_request_hand_over(request=first)
    assert Enquiry.objects.count() == 1


def test_a_path_help_request_waits_for_a_path_and_opening_one_answers_it(fair):
    ada = register(fair)
    request = services.help_request_create(registration=ada, kind="path", consent=True)
    waiting = PathRequest.objects.get()
    assert request.landed_id == waiting.pk and waiting.person == ada.person
    assert list(PathRequest.objects.for_hub(fair.hub).waiting()) == [waiting]
    assert not Enquiry.objects.exists()

    from placements import services as placements

    path = placements.path_open(
        hub=fair.hub,
        person=ada.person,
        by=None,
        cooperative=_cooperative(fair.hub),
        is_neet=True,
        age_at_intake=22,
        education="lower_secondary",
        starts_on=fair.date,
    )
    waiting.refresh_from_db()
    assert waiting.path == path
    assert not PathRequest.objects.for_hub(fair.hub).waiting().exists()


def _cooperative(hub):
    from hubs.tests.factories import OrganizationFactory

    return OrganizationFactory(hubs=[hub])


def test_staff_follow_the_help_request_to_where_it_landed(client, fair, operator):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    ada, bea = register(fair, "Ada"), register(fair, "Bea")
    to_desk = services.help_request_create(registration=ada, kind="desk", consent=True)
    to_path = services.help_request_create(
        registration=bea, kind="path", consent=True, message="Cerco lavoro"
    )
    client.force_login(operator)

    page = client.get(reverse("jobfairbo:help_list", args=[fair.hub.slug, fair.pk])).content.decode()
    enquiry_url = reverse("deskbo:enquiry_detail", args=[fair.hub.slug, to_desk.landed_id])
    request_url = reverse("placementsbo:path_request", args=[fair.hub.slug, to_path.landed_id])
    assert f'href="{enquiry_url}"' in page and f"Desk request #{to_desk.landed_id}" in page
    assert f'href="{request_url}"' in page and f"Together We Work request #{to_path.landed_id}" in page

    enquiry = client.get(enquiry_url).content.decode()
    assert 'id="enquiry-origin"' in enquiry and ada.person.email in enquiry

    paths = client.get(reverse("placementsbo:path_list", args=[fair.hub.slug])).content.decode()
    assert f'data-path-request="{to_path.landed_id}"' in paths and "Bea" in paths
    detail = client.get(request_url)
    assert detail.status_code == 200 and "Cerco lavoro" in detail.content.decode()
    assert f"?person={bea.person_id}" in detail.content.decode()
    assert RecordAccess.objects.filter(person=bea.person, what="placements.path_request").count() == 1
    assert client.post(request_url).status_code == 302  # closed without a path
    assert not PathRequest.objects.waiting().exists()
    paths = client.get(reverse("placementsbo:path_list", args=[fair.hub.slug])).content.decode()
    assert "data-path-request=" not in paths


def test_a_help_form_sent_twice_from_the_ticket_makes_one_request(client, fair):
    ada = register(fair)
    ticket = reverse("jobfair:ticket", args=[fair.hub.slug, ada.token])
    data = {"action": "help", "kind": "desk", "message": "Aiuto", "consent": "on"}
    assert client.post(ticket, data).status_code == 302
    assert client.post(ticket, data).status_code == 302
    assert HelpRequest.objects.count() == 1 and Enquiry.objects.count() == 1
