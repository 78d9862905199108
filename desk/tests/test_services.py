"""The desk's rules: capacity under concurrency, holds, notices sent once, waiting list, slots."""

import threading
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import close_old_connections, connection
from django.utils import timezone

from desk import services
from desk.models import AvailabilityRule, Booking, Channel, DeskSettings, Notice, Slot, WaitlistEntry
from desk.tasks import desk_sweep
from desk.tests.factories import (
    BookingFactory,
    ClosureFactory,
    NoticeFactory,
    RuleFactory,
    ServiceFactory,
    SlotFactory,
)
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_full_slot_refuses_the_next_booking():
    slot = SlotFactory(capacity=1)
    services.booking_create(slot=slot, person=PersonFactory(), verified=True)
    with pytest.raises(services.BookingError) as refused:
        services.booking_create(slot=slot, person=PersonFactory(), verified=True)
    assert refused.value.code == "full"


def test_the_same_person_cannot_book_a_slot_twice():
    slot = SlotFactory(capacity=3)
    person = PersonFactory()
    services.booking_create(slot=slot, person=person, verified=True)
    with pytest.raises(services.BookingError):
        services.booking_create(slot=slot, person=person, verified=True)


def test_a_guest_hold_expires_and_frees_the_place(django_capture_on_commit_callbacks):
    slot = SlotFactory(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(slot=slot, person=PersonFactory())
    assert booking.status == Booking.Status.PENDING
    assert [m.subject for m in mail.outbox][0].startswith(("Conferma", "Confirm"))
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        assert services.holds_expire() == 1
        booking.refresh_from_db()
        assert booking.status == Booking.Status.EXPIRED
        services.booking_create(slot=slot, person=PersonFactory(), verified=True)


def test_a_late_confirmation_takes_the_place_back_only_if_still_free():
    slot = SlotFactory(capacity=1)
    late = services.booking_create(slot=slot, person=PersonFactory())
    Booking.objects.filter(pk=late.pk).update(status=Booking.Status.EXPIRED)
    assert services.booking_verify(booking=late).status == Booking.Status.CONFIRMED

    other_slot = SlotFactory(capacity=1)
    too_late = services.booking_create(slot=other_slot, person=PersonFactory())
    Booking.objects.filter(pk=too_late.pk).update(status=Booking.Status.EXPIRED)
    services.booking_create(slot=other_slot, person=PersonFactory(), verified=True)
    with pytest.raises(services.BookingError):
        services.booking_verify(booking=too_late)


def test_confirmation_carries_a_calendar_file_and_is_sent_once(django_capture_on_commit_callbacks):
    slot = SlotFactory()
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(slot=slot, person=PersonFactory(), verified=True)
    assert len(mail.outbox) == 1
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert mimetype.startswith("text/calendar")
    text = content.decode() if isinstance(content, bytes) else content
    assert "BEGIN:VEVENT" in text and slot.service.name in text
    # The task runs again (a retry, a duplicate delivery, the sweep): nothing more is sent.
    assert services.notice_send(booking_id=booking.pk, kind=Notice.Kind.CONFIRMATION) is False
    with django_capture_on_commit_callbacks(execute=True):
        desk_sweep()
    assert len(mail.outbox) == 1


def test_reminders_go_once_the_day_before_and_an_hour_before_online(
    django_capture_on_commit_callbacks,
):
    start = timezone.now() + timedelta(days=3)
    online = SlotFactory(
        channel=Channel.ONLINE,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        video_url="https://meet.example.org/abc",
    )
    booking = BookingFactory(slot=online, language="it")
    NoticeFactory(booking=booking, kind=Notice.Kind.CONFIRMATION)
    with django_capture_on_commit_callbacks(execute=True):
        desk_sweep()
    assert mail.outbox == []  # three days before: nothing yet
    with time_machine.travel(start - timedelta(hours=20)):
        for _ in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                desk_sweep()
    assert len(mail.outbox) == 1
    with time_machine.travel(start - timedelta(minutes=50)):
        for _ in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                desk_sweep()
    assert len(mail.outbox) == 2
    assert "https://meet.example.org/abc" in mail.outbox[1].body
    assert set(booking.notices.values_list("kind", flat=True)) == {
        Notice.Kind.CONFIRMATION,
        Notice.Kind.REMINDER_DAY,
        Notice.Kind.REMINDER_HOUR,
    }


def test_cancelling_inside_the_minimum_notice_is_refused():
    soon = timezone.now() + timedelta(hours=5)
    booking = BookingFactory(slot=SlotFactory(starts_at=soon, ends_at=soon + timedelta(hours=1)))
    with pytest.raises(services.BookingError, match="24"):
        services.booking_cancel(booking=booking)
    # The hub can still cancel, and tells the person.
    assert services.booking_cancel(booking=booking, by_hub=booking.slot.operator).status == (
        Booking.Status.CANCELLED_BY_HUB
    )


def test_rescheduling_moves_the_same_booking_and_frees_the_old_place():
    booking = BookingFactory()
    old = booking.slot
    target = SlotFactory(service=booking.service)
    moved = services.booking_reschedule(booking=booking, slot=target)
    booking.refresh_from_db()
    assert moved.pk == booking.pk and Booking.objects.count() == 1
    assert (booking.slot, booking.status, booking.sequence) == (target, Booking.Status.CONFIRMED, 1)
    assert [(m.from_slot, m.to_slot) for m in booking.moves.all()] == [(old, target)]
    assert Slot.objects.bookable().filter(pk=old.pk).exists()


def test_marking_attendance_waits_for_the_session_day():
    booking = BookingFactory()
    with pytest.raises(services.BookingError):
        services.booking_mark(booking=booking, status=Booking.Status.ATTENDED, by=None)
    with time_machine.travel(booking.slot.starts_at + timedelta(minutes=30)):
        marked = services.booking_mark(booking=booking, status=Booking.Status.NO_SHOW, by=None)
    assert marked.status == Booking.Status.NO_SHOW


def test_a_freed_place_is_offered_to_the_first_in_line_then_the_next(
    django_capture_on_commit_callbacks,
):
    slot = SlotFactory(capacity=1)
    booking = services.booking_create(slot=slot, person=PersonFactory(), verified=True)
    first, second = PersonFactory(), PersonFactory()
    for person in (first, second):
        services.waitlist_join(
            hub=slot.hub, service=slot.service, channel=slot.channel, antenna=None, person=person
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=booking)
    offer = WaitlistEntry.objects.get(person=first)
    assert offer.status == WaitlistEntry.Status.OFFERED and offer.offered_slot == slot
    # the person who cancelled is told, and the first in line gets the offer
    assert sorted(m.to for m in mail.outbox) == sorted([[booking.person.email], [first.email]])
    with time_machine.travel(offer.offer_expires_at + timedelta(minutes=1)):
        with django_capture_on_commit_callbacks(execute=True):
            services.offers_expire()
    assert WaitlistEntry.objects.get(person=first).status == WaitlistEntry.Status.LAPSED
    second_offer = WaitlistEntry.objects.get(person=second)
    assert second_offer.status == WaitlistEntry.Status.OFFERED
    claimed = services.waitlist_claim(entry=second_offer)
    assert claimed.status == Booking.Status.CONFIRMED and claimed.source == Booking.Source.WAITLIST


def _next(weekday: int) -> date:
    today = timezone.localdate()
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def test_slots_follow_the_rules_and_closures_without_dropping_bookings():
    service = ServiceFactory(duration_minutes=60)
    DeskSettings.objects.create(hub=service.hub, open_on_holidays=True)  # whatever today's date
    rule = RuleFactory(service=service, weekday=1, start_time=time(14), end_time=time(17))
    result = services.slots_sync(hub=service.hub, days=14)
    assert result["created"] == 6  # two Tuesdays × three one-hour sessions
    assert services.slots_sync(hub=service.hub, days=14)["created"] == 0  # idempotent

    first_tuesday = _next(1)
    tz = timezone.get_current_timezone()
    booked = Slot.objects.get(starts_at=timezone.make_aware(datetime.combine(first_tuesday, time(15)), tz))
    BookingFactory(slot=booked)
    ClosureFactory(hub=service.hub, starts_on=first_tuesday, ends_on=first_tuesday)
    result = services.slots_sync(hub=service.hub, days=14)
    assert result["removed"] == 2
    assert result["conflicts"] == [booked]
    assert Slot.objects.filter(pk=booked.pk).exists()

    AvailabilityRule.objects.filter(pk=rule.pk).update(is_active=False)
    result = services.slots_sync(hub=service.hub, days=14)
    assert result["removed"] == 3 and result["conflicts"] == [booked]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("locked", [True, False], ids=["with-lock", "without-lock"])
def test_twenty_simultaneous_bookings_of_the_last_place(monkeypatch, locked):
    """One place, 20 threads at once: with the row lock exactly one wins; without it, more do."""
    slot = SlotFactory(capacity=1)
    people = PersonFactory.create_batch(20)
    monkeypatch.setattr(services.booking, "LOCK_SLOTS", locked)
    if not locked:
        # Widen the window between counting and inserting, as a busy server would.
        original = Booking.objects.create

        def slow_create(**kwargs):
            import time as clock

            clock.sleep(0.05)
            return original(**kwargs)

        monkeypatch.setattr(Booking.objects, "create", slow_create)
    barrier = threading.Barrier(20)
    outcomes = []

    def book(person):
        try:
            barrier.wait()
            services.booking_create(slot=slot, person=person, verified=True)
            outcomes.append("booked")
        except services.BookingError as error:
            outcomes.append(error.code)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=book, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    booked = Booking.objects.filter(slot=slot).count()
    if locked:
        assert outcomes.count("booked") == 1 and booked == 1
        assert sorted(outcomes) == ["booked"] + ["full"] * 19
    else:
        assert booked > 1, "without the lock the race should overbook: the test would prove nothing"
