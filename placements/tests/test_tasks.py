"""Beat's follow-up reminders: one task per hub, each follow-up on its own, failed ones retried."""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from people.models import User
from people.tests.factories import UserFactory
from placements import services
from placements.models import FollowUp, Path
from placements.tasks import follow_ups_due
from placements.tests.factories import PathFactory, log

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world):
    """Built once for this module; each test is rolled back and starts from the world as built."""
    return module_world


def run(capture):
    mail.outbox.clear()
    with capture(execute=True):
        follow_ups_due()
    return sorted(address for message in mail.outbox for address in message.to)


def test_a_follow_up_that_fails_stops_neither_the_others_nor_another_hub(
    world, caplog, django_capture_on_commit_callbacks
):
    # The hub's oldest closed path belongs to an operator whose address the outbox refuses.
    careless = UserFactory(email="operatore@")
    Path.objects.filter(pk=world.a.closed_path.pk).update(operator=careless)
    operator = UserFactory()
    later = PathFactory(
        hub=world.a.hub,
        cooperative=world.a.cooperative,
        operator=operator,
        starts_on=timezone.localdate() - timedelta(days=300),
    )
    log(later, 4, days_ago=250, by=operator)
    services.path_close(path=later, outcome="searching", closed_on=timezone.localdate() - timedelta(days=200))

    with caplog.at_level(logging.ERROR):
        sent = run(django_capture_on_commit_callbacks)
    # 3 and 6 months: two reminders each, to the good operator and to hub b (its paths' own).
    assert sent == sorted([operator.email] * 2 + [world.b.hub.email] * 2)
    stuck = FollowUp.objects.filter(path=world.a.closed_path)
    assert stuck.count() == 2 and not stuck.filter(reminded_at__isnull=False).exists()
    assert (
        sum("Follow-up reminder" in record.getMessage() for record in caplog.records if record.exc_info) == 2
    )

    User.objects.filter(pk=careless.pk).update(email="operatore@example.org")
    assert run(django_capture_on_commit_callbacks) == ["operatore@example.org"] * 2
    assert run(django_capture_on_commit_callbacks) == []
