"""
The one way to queue work (hubs.tasks.PortalTask): every task of the portal goes through it, a
broker outage never reaches the caller, and nothing is sent for a change that was rolled back.
"""

import logging
import os
import time

import pytest
from django.conf import settings
from django.db import transaction

from desk import services as desk
from desk.models import Booking, Notice
from desk.tasks import desk_sweep
from desk.tests.factories import SlotFactory
from hubs.tasks import PortalTask
from people.tasks import outbox_flush
from people.tests.factories import PersonFactory
from people.tests.test_outbox import celery_conf
from young_in_progress.celery import app as celery_app


def published() -> list[tuple[str, dict]]:
    """Take every message waiting in the broker's default queue: (task name, keyword arguments)."""
    messages = []
    with celery_app.connection_for_read() as connection:
        queue = connection.SimpleQueue(celery_app.conf.task_default_queue)
        while True:
            try:
                message = queue.get_nowait()
            except queue.Empty:
                break
            _args, kwargs, _options = message.decode()
            messages.append((message.headers["task"], kwargs))
            message.ack()
        queue.close()
    return messages


def test_every_task_of_the_portal_queues_through_the_one_base():
    celery_app.loader.import_default_modules()  # what a worker does: autodiscover every tasks.py
    ours = {
        name: task for name, task in celery_app.tasks.items() if name.split(".")[0] in settings.LOCAL_APPS
    }
    assert {"desk.tasks.notice_send", "governance.tasks.report_generate", "people.tasks.outbox_flush"} <= set(
        ours
    )
    assert [name for name, task in ours.items() if not isinstance(task, PortalTask)] == []


@pytest.mark.django_db
def test_with_the_broker_down_queuing_after_commit_gives_up_fast_and_says_so(
    broker_down, caplog, django_capture_on_commit_callbacks
):
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="hubs.tasks"):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            outbox_flush.delay_on_commit()
        assert outbox_flush.delay() is None
    assert len(callbacks) == 1
    assert time.monotonic() - started < 5
    assert [
        record.getMessage().endswith("people.tasks.outbox_flush left to the periodic sweep.")
        for record in caplog.records
    ] == [True, True]


@pytest.mark.django_db
def test_with_the_broker_down_beat_queues_no_hub_and_the_next_run_does_them_all(world, broker_down, caplog):
    with caplog.at_level(logging.WARNING, logger="hubs.tasks"):
        assert desk_sweep() == 0
    assert (
        sum("desk.tasks.desk_sweep_hub left to the periodic sweep" in r.getMessage() for r in caplog.records)
        == 2
    )
    with celery_conf(task_always_eager=True):
        assert desk_sweep() == 2


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_task_queued_in_a_rolled_back_transaction_is_never_sent():
    slot = SlotFactory(capacity=2)
    with celery_conf(task_always_eager=False, broker_url=os.environ["REDIS_URL"]):
        published()  # start from an empty queue
        with pytest.raises(RuntimeError), transaction.atomic():
            desk.booking_create(slot=slot, person=PersonFactory(), verified=True)
            raise RuntimeError("the request failed after booking")
        assert not Booking.objects.exists()
        assert published() == []

        booking = desk.booking_create(slot=slot, person=PersonFactory(), verified=True)  # commits
        assert published() == [
            ("desk.tasks.notice_send", {"booking_id": booking.pk, "kind": Notice.Kind.CONFIRMATION})
        ]
