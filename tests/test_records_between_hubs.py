"""
One hub never learns about another hub's young person (security issue #10, class 2).

Anyone can type a known person's e-mail and date of birth into the public desk of another hub
(or that hub's staff into their forms): that must create a new record of that hub and touch
nothing of the existing one. Only once the person proves the address (the e-mailed link) is
the new record joined to theirs — to their account's record, or to the same hub's own — and
even then each hub sees only its own dealings.
"""

import pytest
from django.conf import settings
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from desk import tokens
from desk.models import Booking, WaitlistEntry
from desk.tests.factories import SlotFactory
from hubs.models import Role
from people.models import CaseNote, Person, PersonHub, RecordAccess
from people.tests.factories import UserFactory
from placements.models import Path

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world):
    """Built once for this module; each test is rolled back and starts from the world as built."""
    return module_world


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def guest_data(person, **changes) -> dict:
    """The public booking form, filled in with a known person's e-mail and date of birth."""
    return {
        "first_name": "Intrusa",
        "last_name": "Sconosciuta",
        "email": person.email.upper(),
        "birth_date": person.birth_date.isoformat(),
        "gender": "male",
        "municipality": "",
        "status": "unemployed",
        "education": "upper_secondary",
        "reason": "Vorrei sapere tutto",
        "language": "it",
        "privacy": "on",
    } | changes


def state(person) -> dict:
    """Everything of a record another hub could touch: its fields and its hubs."""
    person.refresh_from_db()
    return {
        **model_to_dict(person),
        "hubs": set(PersonHub.objects.filter(person=person).values_list("hub", flat=True)),
    }


def guest_books(hub, slot, person, **changes) -> Booking:
    address = reverse("desk:book_form", kwargs={"hub_slug": hub.slug, "slot_id": slot.pk})
    assert Client().post(address, guest_data(person, **changes)).status_code == 302
    return Booking.objects.filter(slot=slot).latest("pk")


def verify(booking) -> None:
    token = tokens.make(tokens.VERIFY, booking.pk)
    address = reverse("desk:booking_verify", kwargs={"hub_slug": booking.hub.slug, "token": token})
    assert Client().post(address).status_code == 302


def assert_hub_cannot_reach(world, known) -> None:
    """Hub B's staff find nothing of hub A's person: list, search, record, paths, notes."""
    staff_b = signed_in(world.b.users[Role.OPERATOR])
    hub_b = world.b.hub
    people = staff_b.get(reverse("deskbo:person_list", kwargs={"hub_slug": hub_b.slug}))
    assert known not in people.context["people"]
    for query in (known.email, known.last_name, known.first_name):
        found = staff_b.get(reverse("deskbo:person_list", kwargs={"hub_slug": hub_b.slug}), {"q": query})
        assert known not in found.context["people"]
        assert "Nota riservata di alfa" not in found.content.decode()
    record = reverse("deskbo:person_record", kwargs={"hub_slug": hub_b.slug, "pk": known.pk})
    assert staff_b.get(record).status_code == 404
    paths = staff_b.get(reverse("placementsbo:path_list", kwargs={"hub_slug": hub_b.slug}))
    assert not {path.pk for path in paths.context["paths"]} & {world.a.path.pk, world.a.closed_path.pk}
    for path in (world.a.path, world.a.closed_path):
        detail = reverse("placementsbo:path_detail", kwargs={"hub_slug": hub_b.slug, "pk": path.pk})
        assert staff_b.get(detail).status_code == 404


@pytest.fixture
def known(world):
    """Hub A's young person: a booking, two Together We Work paths, a private note."""
    person = world.a.person
    CaseNote.objects.create(hub=world.a.hub, person=person, text="Nota riservata di alfa")
    return person


def test_a_guest_booking_with_another_hubs_persons_details_reaches_nothing_of_theirs(world, known):
    before = state(known)
    booking = guest_books(world.b.hub, world.b.slot, known)

    guest = booking.person
    assert guest != known and guest.first_name == "Intrusa"
    assert state(known) == before  # not linked to hub B, not a field changed
    assert list(Person.objects.for_hub(world.b.hub).filter(email=known.email)) == [guest]
    assert_hub_cannot_reach(world, known)

    # Hub B sees what the guest gave hub B, and nothing of A's.
    staff_b = signed_in(world.b.users[Role.OPERATOR])
    page = staff_b.get(reverse("deskbo:person_record", kwargs={"hub_slug": world.b.hub.slug, "pk": guest.pk}))
    html = page.content.decode()
    assert "Intrusa" in html and known.first_name not in html
    assert "Nota riservata di alfa" not in html
    assert [b.pk for b in page.context["bookings"]] == [booking.pk]


def test_following_the_link_does_not_join_another_hubs_record_either(world, known):
    before = state(known)
    booking = guest_books(world.b.hub, world.b.slot, known)
    verify(booking)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.person != known and booking.person.first_name == "Intrusa"
    assert state(known) == before
    assert_hub_cannot_reach(world, known)


def test_a_guest_on_the_waiting_list_with_another_hubs_persons_details(world, known):
    before = state(known)
    address = reverse(
        "desk:waitlist_join", kwargs={"hub_slug": world.b.hub.slug, "service_id": world.b.service.pk}
    )
    response = Client().post(address + "?channel=hub", guest_data(known, place="hub"))
    assert response.status_code == 302
    entry = WaitlistEntry.objects.for_hub(world.b.hub).get()
    assert entry.person != known
    assert state(known) == before
    assert_hub_cannot_reach(world, known)


def test_hub_staff_typing_another_hubs_persons_details_get_a_record_of_their_own(world, known):
    before = state(known)
    staff_b = signed_in(world.b.users[Role.OPERATOR])
    slot = SlotFactory(service=world.b.service, operator=world.b.users[Role.HUB_ADMIN])
    data = {key: value for key, value in guest_data(known).items() if key not in ("language", "privacy")}
    on_behalf = reverse("deskbo:booking_on_behalf", kwargs={"hub_slug": world.b.hub.slug, "slot_id": slot.pk})
    assert staff_b.post(on_behalf, {**data, "phone": ""}).status_code == 302
    assert Booking.objects.get(slot=slot).person != known

    intake = reverse("placementsbo:path_create", kwargs={"hub_slug": world.b.hub.slug})
    response = staff_b.post(
        intake,
        {
            **data,
            "is_neet": "on",
            "age_at_intake": "",
            "months_out": "3",
            "cooperative": world.b.cooperative.pk,
            "operator": "",
            "starts_on": world.b.path.starts_on.isoformat(),
        },
    )
    assert response.status_code == 302
    assert Path.objects.for_hub(world.b.hub).latest("pk").person != known
    assert state(known) == before
    assert_hub_cannot_reach(world, known)


def test_the_same_hubs_staff_still_find_their_own_person(world, known):
    staff_a = signed_in(world.a.users[Role.OPERATOR])
    slot = SlotFactory(service=world.a.service, operator=world.a.users[Role.HUB_ADMIN])
    data = {key: value for key, value in guest_data(known).items() if key not in ("language", "privacy")}
    on_behalf = reverse("deskbo:booking_on_behalf", kwargs={"hub_slug": world.a.hub.slug, "slot_id": slot.pk})
    assert staff_a.post(on_behalf, {**data, "phone": ""}).status_code == 302
    assert Booking.objects.get(slot=slot).person == known
    assert known.first_name != "Intrusa"  # the details typed do not overwrite the record


def test_a_guest_who_proves_the_address_joins_their_record_at_the_same_hub(world, known):
    slot = SlotFactory(service=world.a.service, operator=world.a.users[Role.HUB_ADMIN])
    booking = guest_books(world.a.hub, slot, known, first_name=known.first_name)
    guest = booking.person
    assert guest != known  # not before the link: an unproven booking touches no record
    verify(booking)
    booking.refresh_from_db()
    assert booking.person == known
    assert not Person.objects.filter(pk=guest.pk).exists()


def test_a_joined_guest_record_the_staff_had_opened_stays_empty_for_the_access_log(world, known):
    slot = SlotFactory(service=world.a.service, operator=world.a.users[Role.HUB_ADMIN])
    booking = guest_books(world.a.hub, slot, known, first_name=known.first_name)
    guest = booking.person
    staff_a = signed_in(world.a.users[Role.OPERATOR])
    assert (
        staff_a.get(
            reverse("deskbo:person_record", kwargs={"hub_slug": world.a.hub.slug, "pk": guest.pk})
        ).status_code
        == 200
    )
    verify(booking)
    booking.refresh_from_db()
    guest.refresh_from_db()
    assert booking.person == known
    assert guest.erased_at and not guest.first_name and not guest.hub_links.exists()
    assert RecordAccess.objects.filter(person=guest).count() == 1


def test_a_proven_account_holder_is_joined_and_each_hub_sees_only_its_own_side(world):
    user = UserFactory(email="giada@example.org")
    person = world.a.person
    Person.objects.filter(pk=person.pk).update(user=user, email=user.email)
    person.refresh_from_db()
    CaseNote.objects.create(hub=world.a.hub, person=person, text="Nota riservata di alfa")

    booking = guest_books(world.b.hub, world.b.slot, person)
    assert booking.person != person
    assert not Person.objects.for_hub(world.b.hub).filter(pk=person.pk).exists()
    verify(booking)  # the link went to the account's verified address: it is them

    booking.refresh_from_db()
    assert booking.person == person
    staff_b = signed_in(world.b.users[Role.OPERATOR])
    page = staff_b.get(
        reverse("deskbo:person_record", kwargs={"hub_slug": world.b.hub.slug, "pk": person.pk})
    )
    assert page.status_code == 200
    assert [b.pk for b in page.context["bookings"]] == [booking.pk]
    assert "Nota riservata di alfa" not in page.content.decode()
    detail = reverse("placementsbo:path_detail", kwargs={"hub_slug": world.b.hub.slug, "pk": world.a.path.pk})
    assert staff_b.get(detail).status_code == 404
