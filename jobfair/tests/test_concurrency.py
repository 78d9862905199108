"""
Workshop places under concurrency, on PostgreSQL: 200 simultaneous requests for 50 places end
with exactly 50 confirmed and 150 in line in arrival order, run after run. (A module of its
own: `transaction=True` flushes the database, see conftest.module_world.)
"""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, time, timedelta
from threading import Barrier

import pytest
from django.db import connection
from django.utils import timezone

from hubs.tests.factories import HubFactory
from jobfair import services
from jobfair.models import Fair, Registration, Seat, Workshop

from .factories import FairFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

PEOPLE, PLACES, THREADS, RUNS = 200, 50, 25, 2


def run_once(fair, index: int) -> list[Seat]:
    starts = timezone.make_aware(datetime.combine(fair.date, time(9 + index, 0)))
    workshop = Workshop.objects.create(
        hub=fair.hub,
        fair=fair,
        area=fair.areas.first(),
        title=f"Laboratorio {index}",
        starts_at=starts,
        ends_at=starts + timedelta(minutes=50),
        capacity=PLACES,
    )
    registrations = list(fair.registrations.all())
    barrier = Barrier(THREADS)

    def ask(item):
        position, registration = item
        try:
            if position < THREADS:  # the first wave, one per thread, starts together
                barrier.wait(timeout=120)
            return services.seat_request(registration=registration, workshop=workshop)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        seats = list(pool.map(ask, enumerate(registrations)))
    assert len(seats) == PEOPLE
    return list(workshop.seats.order_by("created_at", "pk"))


def test_200_simultaneous_requests_on_50_places_confirm_exactly_50_and_queue_the_rest_in_order():
    fair = FairFactory(hub=HubFactory(slug="crema"), status=Fair.Status.PUBLISHED, capacity=PEOPLE)
    Registration.objects.bulk_create(Registration(hub=fair.hub, fair=fair) for _ in range(PEOPLE))
    for index in range(RUNS):
        seats = run_once(fair, index)
        statuses = [seat.status for seat in seats]
        assert statuses.count(Seat.Status.CONFIRMED) == PLACES
        assert statuses.count(Seat.Status.WAITING) == PEOPLE - PLACES
        # Arrival order: whoever was counted first holds a place; the line follows that order.
        assert statuses == [Seat.Status.CONFIRMED] * PLACES + [Seat.Status.WAITING] * (PEOPLE - PLACES)
        assert [seat.pk for seat in seats] == sorted(seat.pk for seat in seats)
