"""Duplicate records of one person: found, compared side by side, merged with everything that names them."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from desk import selectors
from desk.models import Booking
from desk.tests.factories import BookingFactory, EnquiryFactory, SlotFactory, WaitlistEntryFactory
from hubs.models import Role
from people.models import CaseNote, Person, PersonHub, RecordAccess
from people.services import _reverse_relations
from people.tests.factories import PersonFactory
from placements.tests.factories import PathFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world):
    return module_world


def bo(name, hub, **kwargs):
    return reverse(f"deskbo:{name}", kwargs={"hub_slug": hub.slug, **kwargs})


def of_hub(hub, **fields):
    person = PersonFactory(**fields)
    PersonHub.objects.create(person=person, hub=hub)
    return person


@pytest.fixture
def operator(client, world):
    client.force_login(world.a.users[Role.OPERATOR])
    return client


def test_likely_duplicates_by_email_phone_or_name_and_birth_date_of_this_hub_only(world):
    hub = world.a.hub
    a1 = of_hub(hub, email="same@example.org")
    a2 = of_hub(hub, email="SAME@example.org")
    p1 = of_hub(hub, phone="333 123 4567")
    p2 = of_hub(hub, phone="+333-1234567")
    n1 = of_hub(hub, first_name="Luca", last_name="Bassi", birth_date=date(2004, 5, 6))
    n2 = of_hub(hub, first_name="luca", last_name="BASSI", birth_date=date(2004, 5, 6))
    of_hub(hub, first_name="Luca", last_name="Bassi", birth_date=date(2005, 5, 6))  # another Luca
    of_hub(world.b.hub, email="same@example.org")  # another hub's
    pairs = {
        (p["a"].pk, p["b"].pk): [str(r) for r in p["reasons"]] for p in selectors.person_duplicates(hub=hub)
    }
    assert pairs == {
        (a1.pk, a2.pk): ["stessa e-mail"],
        (p1.pk, p2.pk): ["stesso telefono"],
        (n1.pk, n2.pk): ["stesso nome e data di nascita"],
    }


def test_the_duplicates_page_makes_the_same_queries_for_10_and_200_pairs(operator, world):
    hub = world.a.hub

    def pairs(n):
        for _ in range(n):
            first = of_hub(hub)
            of_hub(hub, email=first.email)

    def queries():
        operator.get(bo("person_duplicates", hub))
        with CaptureQueriesContext(connection) as captured:
            response = operator.get(bo("person_duplicates", hub))
        return len(captured.captured_queries), len(response.context["pairs"])

    pairs(10)
    few, shown = queries()
    assert shown == 10
    pairs(190)
    many, shown = queries()
    assert (many, shown) == (few, 200)


def test_a_merge_keeps_everything_of_both_records_and_is_logged(operator, world):
    hub, user = world.a.hub, world.a.users[Role.OPERATOR]
    keep = of_hub(hub, first_name="Giulia", last_name="Rota", email="giulia@example.org", phone="")
    other = of_hub(hub, first_name="Giulia", last_name="Rota", email="g.rota@example.org", phone="3470001111")
    kept_booking = BookingFactory(slot=SlotFactory(service=world.a.service), person=keep)
    moved_booking = BookingFactory(slot=SlotFactory(service=world.a.service), person=other)
    enquiry = EnquiryFactory(hub=hub, person=other)
    entry = WaitlistEntryFactory(service=world.a.service, person=other)
    path = PathFactory(hub=hub, person=other)
    note = CaseNote.objects.create(hub=hub, person=other, author=user, text="Cerca lavoro come cuoca")

    page = operator.get(bo("person_merge", hub, pk=keep.pk) + f"?con={other.pk}")
    assert page.status_code == 200
    assert RecordAccess.objects.filter(person=other, what="desk.merge").exists()
    html = page.content.decode()
    assert "g.rota@example.org" in html and "giulia@example.org" in html and "3470001111" in html

    response = operator.post(
        bo("person_merge", hub, pk=keep.pk) + f"?con={other.pk}", {"email": "other", "phone": "other"}
    )
    assert response.status_code == 302 and response.url == bo("person_record", hub, pk=keep.pk)
    keep.refresh_from_db()
    assert (keep.email, keep.phone, keep.first_name) == ("g.rota@example.org", "3470001111", "Giulia")
    assert set(Booking.objects.filter(person=keep).values_list("pk", flat=True)) == {
        kept_booking.pk,
        moved_booking.pk,
    }
    for row in (enquiry, entry, path, note):
        row.refresh_from_db()
        assert row.person_id == keep.pk
    # every foreign key to Person, whatever app declared it: nothing names the record that went
    # but the access log, which keeps naming what was opened
    for model, name in _reverse_relations():
        left = model._base_manager.filter(**{name: other.pk})
        if model is RecordAccess:
            assert left.filter(what=f"people.merge:{other.pk}>{keep.pk}").exists()
        else:
            assert not left.exists(), f"{model._meta.label}.{name} still names the merged record"
    assert RecordAccess.objects.filter(
        person=keep, user=user, what=f"people.merge:{other.pk}>{keep.pk}"
    ).exists()
    other.refresh_from_db()
    assert other.erased_at and not other.first_name
    assert not Person.objects.for_hub(hub).filter(pk=other.pk).exists()
    record = operator.get(bo("person_record", hub, pk=keep.pk)).content.decode()
    assert "Cerca lavoro come cuoca" in record


def test_a_record_another_hub_sees_or_another_hubs_record_is_not_merged(operator, world):
    hub = world.a.hub
    keep = of_hub(hub, email="x@example.org")
    shared = of_hub(hub, email="x@example.org")
    PersonHub.objects.create(person=shared, hub=world.b.hub)
    response = operator.post(bo("person_merge", hub, pk=keep.pk) + f"?con={shared.pk}", {})
    assert response.status_code == 200 and "Un altro hub" in response.content.decode()
    assert PersonHub.objects.filter(person=shared).count() == 2
    foreign = of_hub(world.b.hub, email="x@example.org")
    assert operator.get(bo("person_merge", hub, pk=keep.pk) + f"?con={foreign.pk}").status_code == 404
    assert operator.post(bo("person_merge", hub, pk=keep.pk) + f"?con={foreign.pk}", {}).status_code == 404


def test_without_the_other_record_the_page_offers_the_likely_duplicates(operator, world):
    hub = world.a.hub
    keep = of_hub(hub, email="y@example.org")
    twin = of_hub(hub, email="y@example.org")
    page = operator.get(bo("person_merge", hub, pk=keep.pk)).content.decode()
    assert f"?con={twin.pk}" in page
