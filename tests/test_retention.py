"""
Personal data is kept only as long as settings.YIP_RETENTION says, by a daily beat task:
guest holds nobody confirmed (and the guest records left with nothing) after
"unconfirmed_holds" days, stored e-mails after "sent_emails"; what was confirmed stays.
"""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from post_office.models import Email, Log

from desk import services, tokens
from desk.models import Booking, WaitlistEntry
from desk.tests.factories import ServiceFactory, SlotFactory
from hubs.personal_data import RETENTION
from hubs.tests.factories import HubFactory
from people.models import Person
from people.services import record_access_log
from people.tasks import personal_data_retention
from people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def form(email: str, **changes) -> dict:
    return {
        "first_name": "Ospite",
        "last_name": "Di Passaggio",
        "email": email,
        "birth_date": "2005-05-05",
        "gender": "female",
        "municipality": "",
        "status": "student",
        "education": "upper_secondary",
        "reason": "",
        "language": "it",
        "privacy": "on",
    } | changes


def test_the_retention_task_runs_daily_and_every_kind_has_its_days():
    schedule = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == personal_data_retention.name
    ]
    assert [entry["schedule"] for entry in schedule] == [timedelta(days=1)]
    assert {kind for kind, _purge in RETENTION} <= set(settings.YIP_RETENTION)


def test_unconfirmed_guest_holds_then_old_emails_are_forgotten(django_capture_on_commit_callbacks):
    hub = HubFactory()
    service = ServiceFactory(hub=hub)
    slot = SlotFactory(service=service, capacity=5)
    start = timezone.now()
    book = reverse("desk:book_form", kwargs={"hub_slug": hub.slug, "slot_id": slot.pk})
    wait = (
        reverse("desk:waitlist_join", kwargs={"hub_slug": hub.slug, "service_id": service.pk})
        + "?channel=hub"
    )

    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=True):
        guest = Client()
        assert guest.post(book, form("mai.confermato@example.org")).status_code == 302
        assert guest.post(book, form("confermato@example.org")).status_code == 302
        confirmed = Booking.objects.get(person__email="confermato@example.org")
        token = tokens.make(tokens.VERIFY, confirmed.pk)
        guest.post(reverse("desk:booking_verify", kwargs={"hub_slug": hub.slug, "token": token}))
        assert guest.post(wait, form("in.attesa@example.org", place="hub")).status_code == 302
        account = Client()
        account.force_login(UserFactory(email="con.account@example.org"))
        assert account.post(wait, form("con.account@example.org", place="hub")).status_code == 302
    unconfirmed = Booking.objects.get(person__email="mai.confermato@example.org")
    waiting = WaitlistEntry.objects.get(person__email="in.attesa@example.org")
    # Staff opened the waiting guest's record: the access log keeps naming it.
    record_access_log(hub=hub, person=waiting.person, user=UserFactory(), what="desk.record")
    emails = Email.objects.count()
    # two links to confirm, one confirmation, two "you are on the waiting list"
    assert emails == 5 and Log.objects.count() == 5

    with time_machine.travel(start + timedelta(hours=1), tick=False):
        services.holds_expire()
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == Booking.Status.EXPIRED

    with time_machine.travel(start + timedelta(days=29), tick=False):
        personal_data_retention.delay()
    assert Booking.objects.filter(pk=unconfirmed.pk).exists()
    assert WaitlistEntry.objects.filter(pk=waiting.pk).exists()

    with time_machine.travel(start + timedelta(days=31), tick=False):
        personal_data_retention.delay()
    assert not Booking.objects.filter(pk=unconfirmed.pk).exists()
    assert not WaitlistEntry.objects.filter(pk=waiting.pk).exists()
    assert not Person.objects.filter(
        email__in=["mai.confermato@example.org", "in.attesa@example.org"]
    ).exists()
    # What was confirmed stays: the verified booking, the account holder's place in line.
    assert Booking.objects.get(pk=confirmed.pk).person.email == "confermato@example.org"
    assert WaitlistEntry.objects.filter(person__email="con.account@example.org").exists()
    assert Email.objects.count() == emails

    with time_machine.travel(start + timedelta(days=181), tick=False):
        personal_data_retention.delay()
    assert not Email.objects.exists() and not Log.objects.exists()
    assert Booking.objects.filter(pk=confirmed.pk).exists()
