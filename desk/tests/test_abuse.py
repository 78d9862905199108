"""
The desk's public forms under attack: one client holding a session's places with made-up
addresses, a stranger's inbox filled through the booking form, enquiries and waiting-list joins
by the dozen. Limits: hubs/ratelimit.py and YIP_* in settings; holds and mails: desk/services/.
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from desk import services, tokens
from desk.models import Booking, Enquiry, WaitlistEntry
from desk.tasks import desk_sweep
from desk.tests.factories import BookingFactory, ServiceFactory, SlotFactory
from desk.tests.test_public import form_data, link_in, url
from hubs.tests.factories import HubFactory

pytestmark = pytest.mark.django_db
HOLDS_MESSAGE = "Too many bookings are waiting for confirmation"


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture(autouse=True)
def _one_window(one_rate_limit_window):
    """Every request of a test counts in the same rate-limit window."""


@pytest.fixture
def desk():
    hub = HubFactory()
    service = ServiceFactory(hub=hub)
    slots = [SlotFactory(service=service) for _n in range(6)]
    return SimpleNamespace(hub=hub, service=service, slots=slots)


def ip(n: int) -> dict:
    return {"REMOTE_ADDR": f"198.51.100.{n}"}


def book(client, desk, slot, **fields):
    extra = {key: fields.pop(key) for key in list(fields) if key.isupper()}
    return client.post(url("book_form", desk.hub, slot_id=slot.pk), form_data(**fields), **extra)


# --- Unconfirmed holds ------------------------------------------------------------------------------


def test_one_client_cannot_hold_a_group_sessions_places_with_made_up_addresses(client, desk):
    group = SlotFactory(service=desk.service, capacity=6)
    answers = [book(client, desk, group, email=f"made-up-{n}@example.org") for n in range(7)]
    assert [a.status_code for a in answers[:3]] == [302, 302, 302]
    assert HOLDS_MESSAGE in answers[3].content.decode()  # a clear message on the form
    assert answers[6].status_code in {200, 429} and answers[6].status_code != 302  # the 7th: refused
    assert Booking.objects.filter(slot=group, status=Booking.Status.PENDING).count() == 3
    # the other places are still there for the young people who need them
    assert book(client, desk, group, email="giulia@example.org", **ip(7)).status_code == 302


def test_a_confirmed_booking_no_longer_counts_against_the_client(client, desk):
    for n in range(3):
        assert book(client, desk, desk.slots[n], email=f"young-{n}@example.org").status_code == 302
    refused = book(client, desk, desk.slots[3], email="young-3@example.org")
    assert HOLDS_MESSAGE in refused.content.decode()
    services.booking_verify(booking=Booking.objects.get(slot=desk.slots[0]))
    assert book(client, desk, desk.slots[3], email="young-3@example.org").status_code == 302


def test_an_address_has_at_most_two_unconfirmed_holds_in_the_hub(client, desk):
    for n in range(2):  # from different connections, even different birth dates: one address
        response = book(client, desk, desk.slots[n], birth_date=f"200{n}-01-01", **ip(n))
        assert response.status_code == 302
    response = book(client, desk, desk.slots[2], email="GIULIA@example.org", **ip(9))
    assert response.status_code == 200 and HOLDS_MESSAGE in response.content.decode()
    assert not Booking.objects.filter(slot=desk.slots[2]).exists()


def test_five_guest_bookings_with_a_victims_address_send_one_email(
    client, desk, django_capture_on_commit_callbacks
):
    victim = "victim@example.org"
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            answers.append(
                book(client, desk, desk.slots[n], email=victim, first_name=f"Click here {n}", **ip(n))
            )
    assert len([m for m in mail.outbox if victim in m.to]) == 1
    # the second booking's page still says a message is on its way (it is: see below)
    assert answers[1].status_code == 302 and "/prenota/inviata/" in answers[1].url
    assert all(HOLDS_MESSAGE in a.content.decode() for a in answers[2:])
    # once the window is over, the periodic sweep sends the link held back, so nothing is lost
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        with django_capture_on_commit_callbacks(execute=True):
            desk_sweep()
    mails = [m for m in mail.outbox if victim in m.to]
    assert len(mails) == 2
    token = link_in(mails[1], "booking_verify").rstrip("/").rsplit("/", 1)[1]
    assert (
        tokens.read(tokens.VERIFY, token, max_age_seconds=3600) == Booking.objects.get(slot=desk.slots[1]).pk
    )


def test_within_the_window_the_sweep_does_not_send_another_verification(
    client, desk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        book(client, desk, desk.slots[0], **ip(1))
        book(client, desk, desk.slots[1], **ip(2))
    desk_sweep()
    assert len(mail.outbox) == 1


def test_account_holders_and_staff_are_not_capped(client, desk):
    hold = timezone.now() + timedelta(minutes=20)
    person = BookingFactory(slot=desk.slots[0], status=Booking.Status.PENDING, hold_expires_at=hold).person
    BookingFactory(slot=desk.slots[1], person=person, status=Booking.Status.PENDING, hold_expires_at=hold)
    for slot in desk.slots[2:6]:
        services.booking_create(slot=slot, person=person, verified=True, client_ip="198.51.100.1")
    assert Booking.objects.filter(person=person, status=Booking.Status.CONFIRMED).count() == 4


# --- Rate limits ------------------------------------------------------------------------------------


def enquiry(client, desk, email="sara@example.org", **extra):
    data = {"name": "Sara", "email": email, "subject": "Corsi", "message": "Ci sono corsi?", "privacy": "on"}
    return client.post(url("enquiry_create", desk.hub), data, **extra)


def test_the_fourth_enquiry_in_a_minute_from_one_ip_gets_429_in_italian(client, desk):
    del client.cookies["django_language"]  # the portal's own language: Italian
    for n in range(3):
        assert enquiry(client, desk, email=f"sara{n}@example.org").status_code == 302
    response = enquiry(client, desk, email="sara3@example.org")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Troppi tentativi" in page and "Aspetta qualche minuto e poi riprova" in page
    assert Enquiry.objects.filter(hub=desk.hub).count() == 3
    assert enquiry(client, desk, email="sara3@example.org", **ip(4)).status_code == 302  # someone else


def test_thirty_enquiries_from_one_address_are_not_all_accepted(client, desk):
    answers = [enquiry(client, desk, **ip(n)).status_code for n in range(30)]
    assert answers[:3] == [302, 302, 302] and set(answers[3:]) == {429}
    assert Enquiry.objects.filter(hub=desk.hub, email="sara@example.org").count() == 3


def test_twenty_waiting_list_joins_from_one_address_are_not_all_accepted(client, desk):
    join = url("waitlist_join", desk.hub, service_id=desk.service.pk) + "?channel=hub"
    answers = [
        client.post(join, form_data(place="hub", birth_date=f"{1990 + n}-01-01"), **ip(n)).status_code
        for n in range(20)
    ]
    assert answers.count(302) == 3 and answers.count(429) == 17
    assert WaitlistEntry.objects.filter(hub=desk.hub).count() == 3


def test_limits_are_tuned_in_settings(client, desk, settings):
    settings.YIP_RATE_LIMITS = settings.YIP_RATE_LIMITS | {"desk_enquiry": "1/h/ip"}
    assert enquiry(client, desk).status_code == 302
    assert enquiry(client, desk, email="other@example.org").status_code == 429
