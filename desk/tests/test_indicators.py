"""The desk's indicators count what happened, per hub and for the network, in few queries."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from desk.models import Booking, Channel
from desk.tests.factories import BookingFactory, SlotFactory
from hubs.indicator_registry import REGISTRY, collect
from hubs.tests.factories import HubFactory
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def compute(key, hub, start, end):
    return REGISTRY[key].compute(hub, start, end)


@pytest.fixture
def period():
    today = timezone.localdate()
    return today, today + timedelta(days=30)


def test_sessions_by_status_and_channel(period):
    hub, other = HubFactory(), HubFactory()
    online = SlotFactory(service__hub=hub, channel=Channel.ONLINE, capacity=5)
    at_hub = SlotFactory(service__hub=hub, channel=Channel.HUB, capacity=5)
    BookingFactory(slot=online, status=Booking.Status.ATTENDED)
    BookingFactory(slot=online, status=Booking.Status.NO_SHOW)
    BookingFactory(slot=at_hub, status=Booking.Status.CONFIRMED)
    BookingFactory(slot=at_hub, status=Booking.Status.CANCELLED)
    BookingFactory(slot=SlotFactory(service__hub=other), status=Booking.Status.ATTENDED)

    assert compute("desk.sessions_booked", hub, *period) == {"online": 2, "hub": 1}
    assert compute("desk.sessions_held", hub, *period) == {"online": 1}
    assert compute("desk.no_shows", hub, *period) == {"online": 1}
    assert compute("desk.sessions_held", None, *period) == {"online": 1, "hub": 1}


def test_people_reached_are_counted_once_with_their_facts(period):
    hub = HubFactory()
    end_year = period[1].year
    teen = PersonFactory(birth_date=date(end_year - 16, 1, 1), gender="female", status="student")
    adult = PersonFactory(birth_date=date(end_year - 22, 1, 1), gender="male", status="neet")
    for person in (teen, teen, adult):
        BookingFactory(slot=SlotFactory(service__hub=hub), person=person, status=Booking.Status.ATTENDED)
    BookingFactory(slot=SlotFactory(service__hub=hub), status=Booking.Status.CANCELLED)

    assert compute("desk.people_reached", hub, *period) == 2
    assert compute("desk.people_by_status", hub, *period) == {"student": 1, "neet": 1}
    assert compute("desk.people_by_gender", hub, *period) == {"female": 1, "male": 1}
    assert compute("desk.people_by_age", hub, *period) == {"14-17": 1, "18-24": 1}


def test_sessions_outside_the_period_do_not_count(period):
    hub = HubFactory()
    later = timezone.now() + timedelta(days=60)
    BookingFactory(slot=SlotFactory(service__hub=hub, starts_at=later, ends_at=later + timedelta(hours=1)))
    assert compute("desk.sessions_booked", hub, *period) == {}


def test_collect_runs_a_bounded_number_of_queries(period, django_assert_max_num_queries):
    hub = HubFactory()
    # about one aggregate query per indicator of every app, whatever the data
    with django_assert_max_num_queries(len(REGISTRY) + 5) as few:
        collect(hub=hub, start=period[0], end=period[1])
    for _ in range(30):
        BookingFactory(slot=SlotFactory(service__hub=hub), status=Booking.Status.ATTENDED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        values = collect(hub=hub, start=period[0], end=period[1])
    assert values["desk.people_reached"] == 30
    assert "hubs.antennas_active" in values
