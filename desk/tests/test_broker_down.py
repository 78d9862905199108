"""With Redis unreachable, booking and the back office keep working; mail follows later."""

import time

import pytest
from django.core import mail
from django.urls import reverse

from desk.models import Booking, Notice
from desk.tasks import desk_sweep
from hubs.models import Role
from people.tasks import outbox_flush
from people.tests.test_outbox import celery_conf

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world):
    """Built once for this module; each test is rolled back and starts from the world as built."""
    return module_world


def guest_form(**changes):
    data = {
        "first_name": "Sara",
        "last_name": "Bianchi",
        "email": "sara@example.org",
        "phone": "",
        "birth_date": "2004-03-01",
        "gender": "female",
        "municipality": "",
        "status": "student",
        "education": "upper_secondary",
        "reason": "",
        "language": "it",
        "privacy": "on",
    }
    return data | changes


def test_a_guest_books_while_the_broker_is_down_and_gets_the_mail_later(
    broker_down, client, world, django_capture_on_commit_callbacks
):
    url = reverse("desk:book_form", kwargs={"hub_slug": world.a.hub.slug, "slot_id": world.a.slot.pk})
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, guest_form())
    assert response.status_code == 302
    assert time.monotonic() - started < 5
    booking = Booking.objects.get(person__email="sara@example.org")
    assert booking.status == Booking.Status.PENDING
    assert mail.outbox == [] and not booking.notices.exists()

    # The broker is back: beat's sweeps send what could not be queued, once.
    with celery_conf(task_always_eager=True):
        desk_sweep()
        desk_sweep()
        outbox_flush()
    assert [m.to for m in mail.outbox].count(["sara@example.org"]) == 1
    assert list(booking.notices.values_list("kind", flat=True)) == [Notice.Kind.VERIFY]


def test_staff_mark_and_cancel_while_the_broker_is_down(
    broker_down, client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.a.users[Role.OPERATOR])
    calendar = reverse("deskbo:calendar", kwargs={"hub_slug": world.a.hub.slug})
    assert client.get(calendar).status_code == 200
    detail = reverse("deskbo:booking_detail", kwargs={"hub_slug": world.a.hub.slug, "pk": world.a.booking.pk})
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail, {"action": "cancel"})
    assert response.status_code == 302
    assert time.monotonic() - started < 5
    assert Booking.objects.get(pk=world.a.booking.pk).status == Booking.Status.CANCELLED_BY_HUB
