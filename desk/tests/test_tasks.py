"""Beat's desk sweep: one task per hub, each booking on its own, the failed ones tried again."""

import logging

import pytest
from django.core import mail

from desk import services
from desk.models import Notice
from desk.tasks import desk_sweep
from desk.tests.factories import BookingFactory, SlotFactory
from people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world):
    """Built once for this module; each test is rolled back and starts from the world as built."""
    return module_world


def sweep(capture):
    mail.outbox.clear()
    with capture(execute=True):
        desk_sweep()
    return sorted(address for message in mail.outbox for address in message.to)


def failures(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.exc_info]


def test_a_booking_that_fails_stops_neither_the_others_nor_another_hub(
    world, caplog, django_capture_on_commit_callbacks
):
    # The hub's first booking holds an address the outbox refuses (imported with a typo).
    bad = world.a.booking
    Person.objects.filter(pk=bad.person_id).update(email="luca@")
    good = BookingFactory(slot=SlotFactory(service=world.a.service, operator=world.a.slot.operator))

    with caplog.at_level(logging.ERROR):
        sent = sweep(django_capture_on_commit_callbacks)
    assert sent == sorted([good.person.email, world.b.person.email])
    assert not bad.notices.exists()  # not marked sent: the next sweep tries again
    assert any(f"({bad.pk}, 'confirmation')" in message for message in failures(caplog))

    Person.objects.filter(pk=bad.person_id).update(email="luca@example.org")
    assert sweep(django_capture_on_commit_callbacks) == ["luca@example.org"]
    assert list(bad.notices.values_list("kind", flat=True)) == [Notice.Kind.CONFIRMATION]
    assert sweep(django_capture_on_commit_callbacks) == []


def test_a_hub_whose_sweep_fails_does_not_hold_up_another(
    world, caplog, monkeypatch, django_capture_on_commit_callbacks
):
    real = services.holds_expire

    def broken_for_a(*, hub=None):
        if hub == world.a.hub:
            raise RuntimeError("hub a's database shard is down")
        return real(hub=hub)

    monkeypatch.setattr(services.sweep, "holds_expire", broken_for_a)  # desk_sweep calls it
    with caplog.at_level(logging.ERROR):
        assert sweep(django_capture_on_commit_callbacks) == [world.b.person.email]
    assert any(
        "hub a's database shard is down" in record.exc_text for record in caplog.records if record.exc_text
    )

    monkeypatch.undo()
    assert sweep(django_capture_on_commit_callbacks) == [world.a.person.email]
