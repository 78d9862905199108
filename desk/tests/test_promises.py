"""
Kept promises of the desk (issue 12): a move is a move, a cancellation is told, consent under
14 comes from the guardian's own link, every online session has its own room, the bookable
window rolls forward by itself, and a freed place reaches the waiting list even if the broker
was down when it was freed.
"""

import csv
import io
import re
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from desk import services, tasks, tokens
from desk.models import Booking, BookingMove, Channel, DeskSettings, Notice, Slot, WaitlistEntry
from desk.tests.factories import (
    BookingFactory,
    RuleFactory,
    ServiceFactory,
    SlotFactory,
    WaitlistEntryFactory,
)
from hubs.models import Role
from hubs.tests.factories import HubFactory
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def url(name, hub, **kwargs):
    return reverse(f"desk:{name}", kwargs={"hub_slug": hub.slug, **kwargs})


def path_in(message, pattern: str) -> str:
    found = re.search(re.escape(settings.SITE_URL) + r"(/[\w-]+" + pattern + ")", message.body)
    assert found, f"no {pattern} in:\n{message.body}"
    return found.group(1)


def event_of(message):
    """The VEVENT of the message's .ics, and the calendar's METHOD."""
    name, content, mimetype = message.attachments[0]
    assert mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    return next(iter(calendar.walk("VEVENT"))), str(calendar["METHOD"])


@pytest.fixture
def desk(db):
    hub = HubFactory(address="Via Civerchi 9, Crema", email="sportello@example.org")
    service = ServiceFactory(hub=hub, name="Orientamento scolastico")
    start = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    slot = SlotFactory(service=service, starts_at=start, capacity=1)
    other = SlotFactory(service=service, starts_at=start + timedelta(days=1), capacity=1)
    return type("Desk", (), {"hub": hub, "service": service, "slot": slot, "other": other})


# --- A move is a move ---------------------------------------------------------------------------


def test_a_move_keeps_the_link_and_the_calendar_event(client, desk, django_capture_on_commit_callbacks):
    person = PersonFactory()
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(slot=desk.slot, person=person, verified=True)
    confirmation = mail.outbox[-1]
    first_event, method = event_of(confirmation)
    assert method == "REQUEST" and first_event["SEQUENCE"] == 0
    assert str(first_event["STATUS"]) == "CONFIRMED" and "sportello@example.org" in str(
        first_event["ORGANIZER"]
    )
    assert first_event.walk("VALARM") and str(first_event["URL"]).startswith(settings.SITE_URL)
    manage = path_in(confirmation, r"/prenotazione/[^/\s]+/")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(manage + "sposta/", {"slot": desk.other.pk})
    assert response.status_code == 302 and response.url == manage

    moved = mail.outbox[-1]
    old = timezone.localtime(desk.slot.starts_at)
    new = timezone.localtime(desk.other.starts_at)
    assert moved.subject.startswith("Prenotazione spostata")  # the booking's language: Italian
    assert f"{old:%H:%M}" in moved.body and f"{new:%H:%M}" in moved.body
    assert f"{old.day} " in moved.body and f"{new.day} " in moved.body
    event, method = event_of(moved)
    assert str(event["UID"]) == str(first_event["UID"]) and event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == desk.other.starts_at

    # The first e-mail's link shows the new time, confirmed, and says it was moved.
    page = client.get(manage).content.decode()
    assert "This booking is cancelled" not in page and "Confirmed" in page
    assert f"{new:%H:%M}" in page and "Moved" in page
    booking.refresh_from_db()
    assert booking.slot == desk.other and booking.sequence == 1
    assert Booking.objects.filter(person=person).count() == 1
    assert BookingMove.objects.get(booking=booking).from_starts_at == desk.slot.starts_at
    # The old place is free again; the sweep sends nothing twice.
    assert Slot.objects.bookable().filter(pk=desk.slot.pk).exists()
    sent = len(mail.outbox)
    services.desk_sweep(hub=desk.hub)
    assert len(mail.outbox) == sent


def test_history_and_export_say_moved(client, world):
    client.force_login(world.a.users[Role.OPERATOR])
    operator_client = client
    booking = world.a.booking
    target = SlotFactory(service=booking.service, operator=booking.slot.operator)
    services.booking_reschedule(booking=booking, slot=target, by=None)
    detail = operator_client.get(
        reverse("deskbo:booking_detail", kwargs={"hub_slug": world.a.hub.slug, "pk": booking.pk})
    )
    html = detail.content.decode()
    assert "Moved from" in html and "Cancelled by the person" not in html
    booking.refresh_from_db()
    day = timezone.localdate(target.starts_at)
    response = operator_client.get(
        reverse("deskbo:export", kwargs={"hub_slug": world.a.hub.slug})
        + f"?starts_on={day - timedelta(days=1)}&ends_on={day + timedelta(days=1)}&format=csv"
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, row = rows[0], next(r for r in rows[1:] if r[0] == str(booking.pk))
    moved_from = row[header.index("Moved from")]
    # Italian Excel reads dd/mm/yyyy as a date.
    assert moved_from.startswith(
        timezone.localdate(BookingMove.objects.get().from_starts_at).strftime("%d/%m/%Y")
    )


# --- A cancellation is told ---------------------------------------------------------------------


@pytest.mark.parametrize("by_hub", [False, True], ids=["by-the-person", "by-the-hub"])
def test_a_cancellation_is_told_with_a_cancel_event(client, desk, by_hub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(slot=desk.slot, person=PersonFactory(), verified=True)
    uid = str(event_of(mail.outbox[-1])[0]["UID"])
    manage = url("booking_manage", desk.hub, token=tokens.make(tokens.MANAGE, booking.pk))
    with django_capture_on_commit_callbacks(execute=True):
        if by_hub:
            services.booking_cancel(booking=booking, by_hub=desk.slot.operator, reason="Operatrice malata")
        else:
            assert "Reason (optional)" in client.get(manage + "?cancel=1").content.decode()
            client.post(manage, {"reason": "Ho un esame"})
    told = mail.outbox[-1]
    assert told.to == [booking.person.email]
    assert ("Operatrice malata" if by_hub else "Ho un esame") in told.body
    assert url("book_slots", desk.hub, service_id=desk.service.pk) in told.body  # book again
    event, method = event_of(told)
    assert method == "CANCEL" and str(event["UID"]) == uid and str(event["STATUS"]) == "CANCELLED"
    kind = Notice.Kind.CANCELLED_BY_HUB if by_hub else Notice.Kind.CANCELLED
    assert Notice.objects.filter(booking=booking, kind=kind).count() == 1
    sent = len(mail.outbox)
    services.desk_sweep(hub=desk.hub)  # a retry or the sweep: not a second e-mail
    assert len(mail.outbox) == sent


def test_a_cancellation_whose_task_never_ran_is_sent_by_the_sweep(desk, django_capture_on_commit_callbacks):
    booking = services.booking_create(slot=desk.slot, person=PersonFactory(), verified=True)
    services.booking_cancel(booking=booking)  # on-commit tasks not run: as with the broker down
    with django_capture_on_commit_callbacks(execute=True):
        services.desk_sweep(hub=desk.hub)
    assert Notice.objects.filter(booking=booking, kind=Notice.Kind.CANCELLED).exists()
    assert [m.to for m in mail.outbox] == [[booking.person.email]]
    assert event_of(mail.outbox[0])[1] == "CANCEL"


# --- Consent under 14 comes from the guardian ---------------------------------------------------


def born_days_before_14(day: date, days: int) -> date:
    return day.replace(year=day.year - 14) + timedelta(days=days)


def guest_books(client, desk, birth_date, django_capture_on_commit_callbacks):
    data = {
        "first_name": "Luca",
        "last_name": "Bianchi",
        "email": "luca@example.org",
        "birth_date": birth_date.isoformat(),
        "gender": "male",
        "status": "student",
        "education": "lower_secondary",
        "guardian_name": "Anna Bianchi",
        "guardian_email": "anna@example.org",
        "language": "en",
        "privacy": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("book_form", desk.hub, slot_id=desk.slot.pk), data).status_code == 302
    verify = path_in(mail.outbox[-1], r"/prenota/conferma/[^/\s]+/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(verify)
    return Booking.objects.get(slot=desk.slot), verify


def test_13_years_364_days_waits_for_the_guardians_link(client, desk, django_capture_on_commit_callbacks):
    session_day = timezone.localdate(desk.slot.starts_at)
    booking, verify = guest_books(
        client, desk, born_days_before_14(session_day, 1), django_capture_on_commit_callbacks
    )
    assert booking.person.age_on(session_day) == 13
    assert booking.status == Booking.Status.GUARDIAN and booking.hold_expires_at is not None
    assert "anna@example.org" in client.get(verify).content.decode()
    asked = mail.outbox[-1]
    assert asked.to == ["anna@example.org"]
    consent = path_in(asked, r"/prenota/consenso/[^/\s]+/")
    # The place is held: nobody else takes it meanwhile.
    with pytest.raises(services.BookingError):
        services.booking_create(slot=desk.slot, person=PersonFactory(), verified=True)
    # Opening the link does not consent (mail scanners); the POST does.
    page = client.get(consent)
    assert page.status_code == 200 and "Luca" in page.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.GUARDIAN
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(consent).status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED and booking.guardian_consent_at is not None
    confirmation = mail.outbox[-1]
    assert confirmation.to == ["luca@example.org", "anna@example.org"]  # the guardian gets a copy
    assert "Thank you" in client.get(consent).content.decode()


def test_14_years_0_days_is_confirmed_without_the_guardian(client, desk, django_capture_on_commit_callbacks):
    session_day = timezone.localdate(desk.slot.starts_at)
    booking, _verify = guest_books(
        client, desk, born_days_before_14(session_day, 0), django_capture_on_commit_callbacks
    )
    assert booking.person.age_on(session_day) == 14
    assert booking.status == Booking.Status.CONFIRMED
    assert all("anna@example.org" not in m.to for m in mail.outbox)


def test_a_guardian_hold_expires_and_frees_the_place(desk, django_capture_on_commit_callbacks):
    child = PersonFactory(
        birth_date=born_days_before_14(timezone.localdate(desk.slot.starts_at), 30),
        guardian_email="g@example.org",
    )
    booking = services.booking_create(slot=desk.slot, person=child, verified=True)
    assert booking.status == Booking.Status.GUARDIAN
    with time_machine.travel(booking.hold_expires_at + timedelta(minutes=1)):
        assert services.holds_expire(hub=desk.hub) == 1
    booking.refresh_from_db()
    assert booking.status == Booking.Status.EXPIRED
    services.booking_create(slot=desk.slot, person=PersonFactory(), verified=True)
    with pytest.raises(services.BookingError):
        services.booking_guardian_consent(booking=booking)  # too late: the place went


def test_a_guardian_link_of_another_hub_or_tampered_is_404(client, desk):
    booking = BookingFactory(slot=desk.slot, status=Booking.Status.GUARDIAN)
    other = HubFactory()
    token = tokens.make(tokens.GUARDIAN, booking.pk)
    assert client.get(url("booking_guardian", other, token=token)).status_code == 404
    assert client.get(url("booking_guardian", desk.hub, token=token + "x")).status_code == 404
    manage_token = tokens.make(tokens.MANAGE, booking.pk)
    assert client.get(url("booking_guardian", desk.hub, token=manage_token)).status_code == 404


# --- A video room per online session ------------------------------------------------------------


def test_two_online_bookings_get_two_rooms(desk, django_capture_on_commit_callbacks):
    rooms = []
    for start in (desk.slot.starts_at, desk.other.starts_at):
        slot = SlotFactory(service=desk.service, channel=Channel.ONLINE, starts_at=start + timedelta(hours=2))
        with django_capture_on_commit_callbacks(execute=True):
            booking = services.booking_create(slot=slot, person=PersonFactory(), verified=True)
        confirmation = mail.outbox[-1]
        assert booking.video_url.startswith(settings.YIP_VIDEO_BASE_URL + "/yip-")
        assert booking.video_url in confirmation.body
        event, _method = event_of(confirmation)
        assert str(event["LOCATION"]) == booking.video_url
        rooms.append(booking.video_url)
    assert len(set(rooms)) == 2 and all(len(room.rsplit("/", 1)[1]) >= 24 for room in rooms)


def test_a_group_session_shares_one_room_of_its_own(desk):
    slot = SlotFactory(service=desk.service, channel=Channel.ONLINE, capacity=3)
    first = services.booking_create(slot=slot, person=PersonFactory(), verified=True)
    second = services.booking_create(slot=slot, person=PersonFactory(), verified=True)
    other = SlotFactory(service=desk.service, channel=Channel.ONLINE, capacity=3)
    third = services.booking_create(slot=other, person=PersonFactory(), verified=True)
    assert first.video_url == second.video_url != third.video_url


# --- The bookable window rolls forward by itself ------------------------------------------------


def test_slots_exist_42_days_ahead_after_a_month_without_staff():
    start = timezone.make_aware(datetime(2027, 3, 1, 3, 0))
    with time_machine.travel(start, tick=False) as clock:
        service = ServiceFactory(duration_minutes=60)
        RuleFactory(service=service, weekday=0, start_time=time(9), end_time=time(10))  # Mondays
        for _day in range(31):  # beat, once a day, and nobody touches the desk
            tasks.desk_slots_roll()
            clock.shift(timedelta(days=1))
        tasks.desk_slots_roll()
        today = timezone.localdate()
        days = sorted(timezone.localdate(s.starts_at) for s in Slot.objects.filter(service=service))
        assert days[-1] > today + timedelta(days=35) and days[-1] <= today + timedelta(days=42)
        assert len(days) == len(set(days))  # idempotent: one slot per Monday
        assert tasks.desk_slots_roll_hub(hub_id=service.hub_id) == 0
        # Easter Monday (29 March 2027) is closed; the other Mondays are there.
        assert date(2027, 3, 29) not in days and {date(2027, 3, 22), date(2027, 4, 5)} <= set(days)


def test_holidays_and_the_patron_saint_are_closed_unless_the_hub_opens_them():
    with time_machine.travel(timezone.make_aware(datetime(2026, 12, 1, 8, 0)), tick=False):
        service = ServiceFactory(duration_minutes=60)
        RuleFactory(service=service, weekday=1, start_time=time(9), end_time=time(10))  # Tuesdays
        row = DeskSettings.objects.create(hub=service.hub, patron_saint_day=date(2020, 12, 15))
        services.slots_sync(hub=service.hub, days=28)
        days = {timezone.localdate(s.starts_at) for s in Slot.objects.filter(service=service)}
        # 8/12 Immacolata and 15/12 the patron saint are closed; 1, 22 and 29 are open.
        assert days == {date(2026, 12, 1), date(2026, 12, 22), date(2026, 12, 29)}
        row.open_on_holidays = True
        services.desk_settings_save(row=row)
        days = {timezone.localdate(s.starts_at) for s in Slot.objects.filter(service=service)}
        assert {date(2026, 12, 8), date(2026, 12, 15)} <= days


# --- A freed place reaches the waiting list, broker or not --------------------------------------


def test_the_sweep_offers_a_place_freed_while_the_broker_was_down(desk):
    booking = services.booking_create(slot=desk.slot, person=PersonFactory(), verified=True)
    waiting = WaitlistEntryFactory(hub=desk.hub, service=desk.service, channel=desk.slot.channel)
    services.booking_cancel(booking=booking)  # the on-commit offer never ran (broker down)
    assert WaitlistEntry.objects.get(pk=waiting.pk).status == WaitlistEntry.Status.WAITING
    services.desk_sweep(hub=desk.hub)
    waiting.refresh_from_db()
    assert waiting.status == WaitlistEntry.Status.OFFERED and waiting.offered_slot in (desk.slot, desk.other)
    later = WaitlistEntryFactory(hub=desk.hub, service=desk.service, channel=desk.slot.channel)
    services.desk_sweep(hub=desk.hub)  # again: the place already offered is not offered twice
    offers = WaitlistEntry.objects.filter(status=WaitlistEntry.Status.OFFERED)
    assert sorted(offers.values_list("offered_slot", flat=True)) == sorted([desk.slot.pk, desk.other.pk])
    services.desk_sweep(hub=desk.hub)
    assert WaitlistEntry.objects.filter(status=WaitlistEntry.Status.OFFERED).count() == 2
    assert later.pk in offers.values_list("pk", flat=True)


# --- Add to calendar ----------------------------------------------------------------------------


def test_the_manage_page_adds_the_session_to_any_calendar(client, desk):
    booking = services.booking_create(slot=desk.slot, person=PersonFactory(), verified=True)
    token = tokens.make(tokens.MANAGE, booking.pk)
    html = client.get(url("booking_manage", desk.hub, token=token)).content.decode()
    ics_url = url("booking_calendar", desk.hub, token=token)
    assert "calendar.google.com/calendar/render?action=TEMPLATE" in html
    assert "outlook.live.com/calendar/0/deeplink/compose" in html and ics_url in html
    response = client.get(ics_url)
    assert response["Content-Type"].startswith("text/calendar")
    event = next(iter(Calendar.from_ical(response.content).walk("VEVENT")))
    assert str(event["UID"]) == f"booking-{booking.pk}@younginprogress" and event["SEQUENCE"] == 0
    services.booking_cancel(booking=booking)
    assert client.get(ics_url).status_code == 404
    assert client.get(url("booking_calendar", desk.hub, token="forged")).status_code == 404


# --- The waiting list acknowledges, shows the position, and can be left -------------------------


def test_the_waiting_list_acknowledges_with_the_position_and_a_leave_link(
    client, desk, django_capture_on_commit_callbacks
):
    WaitlistEntryFactory(hub=desk.hub, service=desk.service, channel=Channel.HUB)  # someone is ahead
    data = {
        "place": "hub",
        "first_name": "Sara",
        "last_name": "Neri",
        "email": "sara@example.org",
        "birth_date": "2003-05-04",
        "gender": "female",
        "status": "student",
        "education": "upper_secondary",
        "language": "en",
        "privacy": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("waitlist_join", desk.hub, service_id=desk.service.pk), data)
    assert response.status_code == 302
    ack = mail.outbox[-1]
    assert ack.to == ["sara@example.org"] and "position: 2" in ack.body.lower()
    leave = path_in(ack, r"/lista-attesa/esci/[^/\s]+/")
    page = client.get(leave).content.decode()
    assert "Your position" in page and "<dd>2</dd>" in page
    services.desk_sweep(hub=desk.hub)
    assert len(mail.outbox) == 1  # acknowledged once
    assert client.post(leave).status_code == 302
    entry = WaitlistEntry.objects.get(person__email="sara@example.org")
    assert entry.status == WaitlistEntry.Status.WITHDRAWN
    assert "Leave the waiting list" not in client.get(leave).content.decode()
    assert client.get(url("waitlist_leave", HubFactory(), token=leave.rsplit("/", 2)[-2])).status_code == 404
