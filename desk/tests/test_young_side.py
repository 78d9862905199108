"""
The young person's side of the desk (issue 12): the month calendar of free sessions, the date of
birth typed as three numbers, "check your e-mail" with a resend, the "resend my booking links"
page, the e-mail-only waiting list, the enquiry's acknowledgement, and the service list.
"""

from datetime import datetime, time, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from desk.models import Channel, Slot
from desk.tests.factories import ServiceFactory, SlotFactory
from hubs.tests.factories import HubFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def url(name, hub, **kwargs):
    return reverse(f"desk:{name}", kwargs={"hub_slug": hub.slug, **kwargs})


def at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def desk(db):
    hub = HubFactory(address="Via Civerchi 9, Crema", phone="0373 123456")
    service = ServiceFactory(hub=hub, name="Orientamento scolastico")
    return type("Desk", (), {"hub": hub, "service": service})


# --- The month calendar ---------------------------------------------------------------------


def test_the_slots_page_shows_a_month_calendar_and_the_times_of_the_chosen_day(client, desk):
    first = SlotFactory(service=desk.service, starts_at=at(3, 10))
    SlotFactory(service=desk.service, starts_at=at(3, 11))
    later = SlotFactory(service=desk.service, starts_at=at(5, 15))
    page = client.get(url("book_slots", desk.hub, service_id=desk.service.pk))
    html = page.content.decode()
    assert page.status_code == 200
    first_day, later_day = timezone.localdate(first.starts_at), timezone.localdate(later.starts_at)
    # Days with free times are links; the first such day is chosen and its times shown below.
    assert f"day={first_day.isoformat()}#times" in html
    assert f"day={later_day.isoformat()}#times" in html
    assert html.count('aria-current="date"') == 1
    times = html[html.index('id="times"') :]
    assert "10:00" in times and "11:00" in times and "15:00" not in times
    # Another day: its times only.
    page = client.get(
        url("book_slots", desk.hub, service_id=desk.service.pk) + f"?channel=hub&day={later_day.isoformat()}"
    )
    times = page.content.decode()[page.content.decode().index('id="times"') :]
    assert "15:00" in times and "10:00" not in times
    assert reverse("desk:book_form", args=[desk.hub.slug, later.pk]) in times


def test_the_calendar_names_days_and_months_in_lower_case_in_italian(client, desk):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "it"
    slot = SlotFactory(service=desk.service, starts_at=at(3, 10))
    html = client.get(url("book_slots", desk.hub, service_id=desk.service.pk)).content.decode()
    day = timezone.localdate(slot.starts_at)
    months = [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ]
    assert f">{months[day.month - 1]} {day.year}</h3>" in html
    assert '<abbr title="lunedì">lun</abbr>' in html
    weekday = ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"][day.weekday()]
    assert f"{weekday} {day.day} {months[day.month - 1]}" in html


def test_months_without_free_times_are_not_offered_and_a_later_month_can_be_opened(client, desk):
    near = SlotFactory(service=desk.service, starts_at=at(1, 10))
    far = SlotFactory(service=desk.service, starts_at=at(40, 10))
    address = url("book_slots", desk.hub, service_id=desk.service.pk)
    html = client.get(address).content.decode()
    near_month, far_month = timezone.localdate(near.starts_at), timezone.localdate(far.starts_at)
    if near_month.month != far_month.month:
        assert f"month={far_month:%Y-%m}#calendar" in html  # "next month"
        html = client.get(address + f"?channel=hub&month={far_month:%Y-%m}").content.decode()
        assert reverse("desk:book_form", args=[desk.hub.slug, far.pk]) in html
        assert f"month={near_month:%Y-%m}#calendar" in html  # back
    # A month outside the window falls back to the first with free times.
    html = client.get(address + "?channel=hub&month=1999-01").content.decode()
    assert reverse("desk:book_form", args=[desk.hub.slug, near.pk]) in html


def test_the_calendar_makes_the_same_number_of_queries_for_10_and_1000_slots(client, desk):
    address = url("book_slots", desk.hub, service_id=desk.service.pk)
    operator = SlotFactory(service=desk.service, starts_at=at(1, 8)).operator

    def bulk(count):
        start = at(2, 8)
        Slot.objects.bulk_create(
            Slot(
                hub=desk.hub,
                service=desk.service,
                operator=operator,
                channel=Channel.HUB,
                starts_at=start + timedelta(minutes=30 * i),
                ends_at=start + timedelta(minutes=30 * i + 30),
            )
            for i in range(count)
        )

    bulk(9)
    client.get(address)
    with CaptureQueriesContext(connection) as ten:
        assert client.get(address).status_code == 200
    Slot.objects.filter(starts_at__gte=at(2, 8)).delete()
    bulk(999)
    with CaptureQueriesContext(connection) as thousand:
        page = client.get(address)
    assert page.status_code == 200
    assert len(thousand) == len(ten)
