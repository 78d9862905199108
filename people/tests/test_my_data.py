"""A young person downloads and erases their data; the statistics do not change."""

import json

import pytest
from django.urls import reverse

from desk.models import Booking, Enquiry
from desk.tests.factories import BookingFactory, EnquiryFactory, SlotFactory
from hubs.indicator_registry import REGISTRY
from people.models import CaseNote, Person, RecordAccess, User
from people.tests.factories import PASSWORD, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def young(client):
    user = UserFactory(email="giulia@example.org")
    person = PersonFactory(user=user, email=user.email, first_name="Giulia", gender="female", status="neet")
    booking = BookingFactory(
        person=person, reason="Vorrei lavorare nel sociale", status=Booking.Status.ATTENDED
    )
    EnquiryFactory(
        hub=booking.hub,
        person=person,
        name="Giulia",
        email=user.email,
        subject="Tirocini",
        message="Ci sono tirocini estivi?",
    )
    CaseNote.objects.create(hub=booking.hub, person=person, author=None, text="Motivata.")
    client.force_login(user)
    return user, person, booking


def test_my_data_download_has_everything(client, young):
    user, person, booking = young
    response = client.get(reverse("people:my_data_export"))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["person"]["first_name"] == "Giulia"
    assert data["desk.Booking"][0]["reason"] == "Vorrei lavorare nel sociale"
    assert data["desk.Enquiry"][0]["message"] == "Ci sono tirocini estivi?"


def test_erasure_blanks_the_person_and_keeps_the_counts(client, young):
    user, person, booking = young
    hub, day = booking.hub, booking.slot.starts_at.date()
    before = {
        key: REGISTRY[key].compute(hub, day, day)
        for key in (
            "desk.sessions_held",
            "desk.people_reached",
            "desk.people_by_status",
            "desk.people_by_gender",
            "desk.people_by_age",
        )
    }

    # allauth asks for the password again before erasing
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    assert client.post(reverse("people:my_data_erase"), {}).status_code == 400  # not confirmed
    response = client.post(reverse("people:my_data_erase"), {"confirm": "on"})
    assert response.status_code == 302

    person.refresh_from_db()
    assert (person.first_name, person.birth_date, person.user) == ("", None, None)
    assert person.birth_year and person.erased_at
    assert "giulia" not in person.email
    assert not User.objects.filter(pk=user.pk).exists()
    assert Booking.objects.get(pk=booking.pk).reason == ""
    assert Enquiry.objects.get(person=person).message == ""
    assert not CaseNote.objects.filter(person=person).exists()
    after = {key: REGISTRY[key].compute(hub, day, day) for key in before}
    assert after == before
    assert "_auth_user_id" not in client.session


def test_erasure_asks_for_the_password_again(client, young):
    response = client.get(reverse("people:my_data_erase"))
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response.url


def test_the_access_log_is_append_only(young):
    user, person, booking = young
    entry = RecordAccess.objects.create(hub=booking.hub, person=person, user=user)
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        RecordAccess.objects.filter(pk=entry.pk).delete()
    with pytest.raises(PermissionError):
        RecordAccess.objects.filter(pk=entry.pk).update(user=user)


def test_a_person_without_account_data_stays_out_of_other_hubs():
    person = PersonFactory()
    slot = SlotFactory()
    from desk import services

    services.booking_create(slot=slot, person=person, verified=True)
    assert list(Person.objects.for_hub(slot.hub)) == [person]
    assert not Person.objects.for_hub(SlotFactory().hub).exists()
