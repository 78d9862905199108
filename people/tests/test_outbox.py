"""
E-mail goes through a stored outbox: a message survives a broker outage, is sent once the
worker runs, and a repeated flush never sends it twice.
"""

import os
import time
from contextlib import contextmanager

import pytest
from django.core import mail
from django.core.mail import send_mail
from post_office.models import STATUS, Email

from people.tasks import outbox_flush
from young_in_progress.celery import app as celery_app


@contextmanager
def celery_conf(**changes):
    """Run with these Celery settings (and fresh connection and producer pools), then put them back."""
    old = {key: celery_app.conf[key] for key in changes}
    celery_app.conf.update(changes)
    _fresh_pools()
    try:
        yield
    finally:
        celery_app.conf.update(old)
        _fresh_pools()


def _fresh_pools():
    """Forget the pooled broker connections, as Celery does after a fork: the next publish connects anew."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None  # it holds a connection to the broker it was made for


@pytest.mark.django_db
def test_mail_is_kept_when_the_broker_is_down_and_sent_once_later(
    broker_down, django_capture_on_commit_callbacks
):
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        send_mail("Conferma", "Ciao", None, ["giovane@example.org"])
    elapsed = time.monotonic() - started
    assert elapsed < 5, f"the request waited {elapsed:.1f}s for a dead broker"
    assert mail.outbox == []
    assert Email.objects.get().status == STATUS.queued

    outbox_flush()  # what beat's periodic flush does once a worker runs
    outbox_flush()  # and again: a retried task
    assert [m.to for m in mail.outbox] == [["giovane@example.org"]]
    assert Email.objects.get().status == STATUS.sent


@pytest.mark.django_db
def test_invitation_page_works_while_the_broker_is_down(
    broker_down, client, world, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from hubs.models import Invitation, Role

    client.force_login(world.a.users[Role.HUB_ADMIN])
    url = reverse("backoffice_invitation_create", kwargs={"hub_slug": world.a.hub.slug})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "new@example.org", "role": Role.OPERATOR})
    assert response.status_code == 302
    assert Invitation.objects.for_hub(world.a.hub).filter(email="new@example.org").exists()
    assert Email.objects.filter(to="new@example.org", status=STATUS.queued).exists()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_mail_through_redis():
    from celery.contrib.testing.worker import start_worker

    with (
        celery_conf(task_always_eager=False, broker_url=os.environ["REDIS_URL"]),
        start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10),
    ):
        send_mail("Promemoria", "Domani alle 10", None, ["giovane@example.org"])  # autocommit
        deadline = time.monotonic() + 20
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.1)
    assert [m.subject for m in mail.outbox] == ["Promemoria"]
    assert Email.objects.get().status == STATUS.sent


@pytest.mark.django_db
def test_a_failed_delivery_is_retried_later_not_lost(monkeypatch, django_capture_on_commit_callbacks):
    def smtp_down(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", smtp_down)
    with django_capture_on_commit_callbacks(execute=True):
        send_mail("Conferma", "Ciao", None, ["giovane@example.org"])
    email = Email.objects.get()
    assert email.status == STATUS.requeued
    assert email.number_of_retries == 1
    assert email.scheduled_time > email.created
    monkeypatch.undo()
    outbox_flush()  # not due yet: nothing is sent before the retry interval
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_message_that_cannot_be_sent_does_not_hold_up_the_others(monkeypatch, caplog):
    import logging
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    for address in ("primo@example.org", "secondo@example.org", "terzo@example.org"):
        send_mail("Conferma", "Ciao", None, [address])
    broken = Email.objects.order_by("pk").first()  # the first in line
    dispatch = Email.dispatch

    def fails_for_the_first(self, *args, **kwargs):
        if self.pk == broken.pk:
            raise ValueError("the stored row is broken")
        return dispatch(self, *args, **kwargs)

    monkeypatch.setattr(Email, "dispatch", fails_for_the_first)
    with caplog.at_level(logging.ERROR, logger="people.tasks"):
        assert outbox_flush() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["secondo@example.org", "terzo@example.org"]
    assert [r.exc_info[1].args[0] for r in caplog.records if r.exc_info] == ["the stored row is broken"]
    broken.refresh_from_db()
    assert broken.status == STATUS.requeued and broken.number_of_retries == 1

    monkeypatch.undo()  # fixed: the next flush after the retry interval sends it
    assert outbox_flush() == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert outbox_flush() == 1
    assert mail.outbox[-1].to == ["primo@example.org"]
    broken.refresh_from_db()
    assert broken.status == STATUS.sent
