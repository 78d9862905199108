"""Background work: the monthly reports, the sweep, the decision reminders — each done once."""

import logging
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from post_office.models import Email

from governance import report as rendering
from governance import services, tasks
from governance.models import Decision, Report, Snapshot
from governance.tests.factories import DecisionFactory, MeetingFactory
from hubs.models import Role
from people.models import User
from people.tests.test_outbox import celery_conf


@pytest.fixture
def world(module_world):
    """Built once for this module; each test is rolled back and starts from the world as built."""
    return module_world


ROME = ZoneInfo("Europe/Rome")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def first_of_month():
    return time_machine.travel(datetime(2026, 12, 1, 6, 0, tzinfo=ROME), tick=False)


def committee(world):
    return {
        world.a.users[Role.STEERING].email,
        world.a.users[Role.HUB_ADMIN].email,
        world.b.users[Role.STEERING].email,
        world.b.users[Role.HUB_ADMIN].email,
        world.a.users[Role.REGIONAL].email,
        world.b.users[Role.REGIONAL].email,
    }


def test_reports_monthly_twice_makes_one_snapshot_one_report_one_email_each(world):
    with first_of_month():
        first = services.reports_monthly()
        second = services.reports_monthly()
    assert first == {"snapshots": 3, "reports": 3, "generated": 3, "emailed": 3, "failed": 0}
    assert second == {"snapshots": 0, "reports": 0, "generated": 0, "emailed": 0, "failed": 0}
    snapshots = Snapshot.objects.filter(kind=Snapshot.Kind.MONTHLY)
    assert snapshots.count() == 3  # hub a, hub b, the network
    assert set(snapshots.values_list("as_of", flat=True)) == {date(2026, 11, 30)}
    assert set(snapshots.values_list("month", flat=True)) == {date(2026, 11, 1)}
    assert snapshots.network().count() == 1
    assert set(Report.objects.values_list("status", flat=True)) == {Report.Status.READY}
    assert not Report.objects.filter(emailed_at__isnull=True).exists()

    emails = list(Email.objects.all())
    recipients = [address for email in emails for address in email.to]
    assert sorted(recipients) == sorted(committee(world))  # one each, nobody twice
    assert world.a.users[Role.OPERATOR].email not in recipients
    assert all(email.attachments.count() == 1 for email in emails)
    steering_a = next(e for e in emails if e.to == [world.a.users[Role.STEERING].email])
    assert world.a.hub.name in steering_a.subject


def test_a_failed_generation_is_visible_and_the_sweep_retries_it(world, monkeypatch):
    def broken(report):
        raise RuntimeError("WeasyPrint ran out of fonts")

    monkeypatch.setattr(rendering, "render_report", broken)
    with first_of_month():
        done = services.reports_monthly()
    assert done["failed"] == 3 and done["emailed"] == 0
    report = Report.objects.for_hub(world.a.hub).get()
    assert report.status == Report.Status.FAILED
    assert report.attempts == 1
    assert "WeasyPrint ran out of fonts" in report.error
    assert not Email.objects.exists()

    monkeypatch.undo()
    assert services.reports_sweep() == 3
    report.refresh_from_db()
    assert report.status == Report.Status.READY and report.error == "" and report.file
    assert Email.objects.count() == len(committee(world))  # sent once generated
    assert services.reports_sweep() == 0
    with first_of_month():
        assert services.reports_monthly()["emailed"] == 0


def test_the_sweep_gives_up_after_three_attempts(world, monkeypatch):
    monkeypatch.setattr(rendering, "render_report", lambda report: 1 / 0)
    report = services.report_request(hub=world.a.hub, by=None)
    for _ in range(5):
        with time_machine.travel(timezone.now() + timedelta(minutes=5)):
            services.reports_sweep()
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED and report.attempts == 3
    assert "ZeroDivisionError" in report.error


def test_the_celery_task_retries_a_failing_generation(world, monkeypatch):
    calls = []

    def flaky(report):
        calls.append(report.pk)
        if len(calls) < 3:
            raise RuntimeError("temporary")
        return real(report)

    real = rendering.render_report
    monkeypatch.setattr(rendering, "render_report", flaky)
    report = services.report_request(hub=world.a.hub, by=None)
    with celery_conf(task_eager_propagates=False):  # as a worker: retry, not raise
        tasks.report_generate.apply(kwargs={"report_id": report.pk})
    report.refresh_from_db()
    assert len(calls) == 3
    assert report.status == Report.Status.READY and report.attempts == 2


def test_requesting_a_report_works_with_the_broker_down(
    world, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(hub=world.a.hub, by=world.a.users[Role.STEERING])
    report.refresh_from_db()
    assert report.status == Report.Status.PENDING
    assert report.snapshot.kind == Snapshot.Kind.ON_DEMAND
    assert report.requested_by == world.a.users[Role.STEERING]
    assert services.reports_sweep() == 0  # its task may still be on its way
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert services.reports_sweep() == 1
    report.refresh_from_db()
    assert report.status == Report.Status.READY
    assert not Email.objects.exists()  # on-demand reports are downloaded, not e-mailed


def test_retrying_a_failed_report_from_the_page_works_with_the_broker_down(
    client, world, broker_down, django_capture_on_commit_callbacks
):
    report = Report.objects.create(
        snapshot=services.snapshot_take(hub=world.a.hub),
        hub=world.a.hub,
        status=Report.Status.FAILED,
        attempts=3,
    )
    client.force_login(world.a.users[Role.HUB_ADMIN])
    retry = reverse("governance:report_retry", kwargs={"hub_slug": world.a.hub.slug, "pk": report.pk})
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry)
    assert response.status_code == 302
    assert time.monotonic() - started < 5
    report.refresh_from_db()
    assert report.status == Report.Status.PENDING and report.attempts == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert services.reports_sweep() == 1  # beat's sweep, once the broker is back
    report.refresh_from_db()
    assert report.status == Report.Status.READY


def test_a_requested_report_is_generated_by_its_task(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(hub=world.a.hub, by=None)
    report.refresh_from_db()
    assert report.status == Report.Status.READY and report.pages >= 2
    assert services.report_generate(report_id=report.pk) is False  # idempotent


def test_decisions_are_reminded_once(world):
    now = datetime(2026, 6, 10, 8, 0, tzinfo=ROME)
    today = now.date()
    meeting = MeetingFactory(hub=world.a.hub, date=today - timedelta(days=30))
    owner = world.a.users[Role.OPERATOR]

    def decision(text, due_in, **fields):
        return DecisionFactory(meeting=meeting, text=text, due_on=today + timedelta(days=due_in), **fields)

    soon = decision("Chiamare le scuole", 5, owner=owner)
    overdue = decision("Rendicontare il trimestre", -3, owner_name="Ufficio di Piano")
    decision("Preparare la fiera", 20, owner=owner)
    decision("Già fatto", 2, owner=owner, status=Decision.Status.DONE)
    with time_machine.travel(now, tick=False):
        assert services.decisions_remind() == 2
        assert services.decisions_remind() == 0
        assert tasks.decisions_remind() == 2  # beat: one task per active hub, sending nothing more
    assert Email.objects.count() == 2
    emails = {email.to[0]: email for email in Email.objects.all()}
    assert set(emails) == {owner.email, world.a.users[Role.HUB_ADMIN].email}
    assert "Chiamare le scuole" in emails[owner.email].message
    assert "Rendicontare il trimestre" in emails[world.a.users[Role.HUB_ADMIN].email].message
    soon.refresh_from_db()
    overdue.refresh_from_db()
    assert soon.reminded_at == now and overdue.reminded_at == now
    assert Decision.objects.filter(reminded_at__isnull=True).count() == 2


# --- One hub, one report, one decision at a time -------------------------------------------------


def failures(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.exc_info]


def test_a_decision_that_fails_stops_neither_the_others_nor_another_hub(world, caplog):
    today = timezone.localdate()

    def decision(hub, owner):
        return DecisionFactory(
            meeting__hub=hub, text="Chiamare le scuole", owner=owner, due_on=today + timedelta(days=2)
        )

    careless = world.a.users[Role.OPERATOR]
    User.objects.filter(pk=careless.pk).update(email="operatore@")  # refused by the outbox
    bad = decision(world.a.hub, careless)
    good = decision(world.a.hub, world.a.users[Role.HUB_ADMIN])
    other = decision(world.b.hub, world.b.users[Role.HUB_ADMIN])

    with caplog.at_level(logging.ERROR):
        tasks.decisions_remind()
    assert sorted(address for email in Email.objects.all() for address in email.to) == sorted(
        [good.owner.email, other.owner.email]
    )
    bad.refresh_from_db()
    assert bad.reminded_at is None
    assert any(f"Decision reminder {bad.pk}" in message for message in failures(caplog))

    User.objects.filter(pk=careless.pk).update(email="operatore@example.org")
    tasks.decisions_remind()  # the next day
    assert Email.objects.filter(to="operatore@example.org").count() == 1
    tasks.decisions_remind()
    assert Email.objects.count() == 3


def test_a_hub_whose_report_cannot_be_sent_does_not_hold_up_the_others(world, caplog):
    steering = world.a.users[Role.STEERING]
    User.objects.filter(pk=steering.pk).update(email="steering@")  # refused by the outbox
    with first_of_month(), caplog.at_level(logging.ERROR):
        tasks.reports_monthly()
    assert set(Report.objects.values_list("status", flat=True)) == {Report.Status.READY}
    assert list(Report.objects.filter(emailed_at__isnull=True).values_list("hub", flat=True)) == [
        world.a.hub.pk
    ]
    assert Email.objects.count() == len(committee(world)) - 2  # hub a's two are not sent
    assert failures(caplog)

    User.objects.filter(pk=steering.pk).update(email="steering@example.org")
    with first_of_month():
        tasks.reports_monthly()  # the next day
    assert not Report.objects.filter(emailed_at__isnull=True).exists()
    assert Email.objects.count() == len(committee(world))


def test_the_sweep_goes_on_past_a_report_that_cannot_be_sent(world, caplog, monkeypatch):
    monkeypatch.setattr(rendering, "render_report", lambda report: 1 / 0)
    with first_of_month():
        services.reports_monthly()  # three FAILED reports, left to the sweep
    monkeypatch.undo()
    steering = world.a.users[Role.STEERING]
    User.objects.filter(pk=steering.pk).update(email="steering@")
    with caplog.at_level(logging.ERROR):
        tasks.reports_sweep()
    assert set(Report.objects.values_list("status", flat=True)) == {Report.Status.READY}
    assert list(Report.objects.filter(emailed_at__isnull=True).values_list("hub", flat=True)) == [
        world.a.hub.pk
    ]
    assert any("Monitoring report" in message for message in failures(caplog))

    User.objects.filter(pk=steering.pk).update(email="steering@example.org")
    with first_of_month():
        tasks.reports_monthly()  # the daily run sends what the sweep could not
    assert not Report.objects.filter(emailed_at__isnull=True).exists()
