"""
The desk's back office: the staff's calendar and bookings, availability (slots follow it, booked
ones are kept), people's records scoped to the hub and logged, enquiries, export without
personal identifiers — bad input gets a message, lists keep a constant query count.
"""

import csv
import io
from datetime import datetime, time, timedelta

import openpyxl
import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from desk import services
from desk.models import (
    AvailabilityRule,
    Booking,
    Channel,
    Closure,
    DeskSettings,
    Enquiry,
    Service,
    Slot,
    WaitlistEntry,
)
from desk.tests.factories import BookingFactory, EnquiryFactory, SlotFactory
from hubs.models import Role
from people.models import CaseNote, Person, PersonHub, RecordAccess
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world):
    """Built once for this module; each test is rolled back and starts from the world as built."""
    return module_world


def url(name, hub, **kwargs):
    return reverse(f"deskbo:{name}", kwargs={"hub_slug": hub.slug, **kwargs})


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def operator_client(client, world):
    client.force_login(world.a.users[Role.OPERATOR])
    return english(client)


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.a.users[Role.HUB_ADMIN])
    return english(client)


def local(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def monday():
    today = timezone.localdate()
    return today - timedelta(days=today.weekday())


def earlier_today():
    """A moment already past today (or midnight, just after it)."""
    now = timezone.localtime()
    midnight = timezone.make_aware(datetime.combine(now.date(), time(0, 0)))
    return max(midnight, (now - timedelta(hours=2)).replace(microsecond=0))


def count_queries(client, address) -> int:
    client.get(address)  # warm the caches a first request fills
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries.captured_queries)


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def rule_data(world, **changes):
    data = {
        "service": world.a.service.pk,
        "operator": world.a.users[Role.OPERATOR].pk,
        "channel": Channel.HUB,
        "antenna": "",
        "weekday": 3,
        "start_time": "10:00",
        "end_time": "12:00",
        "capacity": 1,
        "video_url": "",
        "valid_from": timezone.localdate().isoformat(),
        "valid_until": "",
        "is_active": "on",
    }
    data.update(changes)
    return data


# --- Calendar -----------------------------------------------------------------------------------


@pytest.fixture
def wednesday_morning():
    """Mid-week: this week's sessions of Sunday night are still ahead, whatever day the clock shows."""
    with time_machine.travel(local(monday() + timedelta(days=2), 10), tick=False):
        yield


def test_calendar_shows_the_week_with_names_and_links(operator_client, world, wednesday_morning):
    slot = SlotFactory(
        service=world.a.service,
        operator=world.a.users[Role.OPERATOR],
        starts_at=local(monday(), 9),
        ends_at=local(monday(), 9, 45),
        capacity=3,
    )
    booking = BookingFactory(slot=slot, person=PersonFactory(first_name="Giulia", last_name="Verdi"))
    future = SlotFactory(
        service=world.a.service,
        operator=world.a.users[Role.HUB_ADMIN],
        starts_at=local(monday() + timedelta(days=6), 23),
        ends_at=local(monday() + timedelta(days=6), 23, 45),
    )
    response = operator_client.get(url("calendar", world.a.hub) + "?view=week")
    html = response.content.decode()
    assert response.context["view"] == "week"
    assert "Giulia Verdi" in html
    assert url("booking_detail", world.a.hub, pk=booking.pk) in html
    # Names only: the calendar shows no e-mail or phone.
    assert booking.person.email not in html
    assert url("booking_on_behalf", world.a.hub, slot_id=future.pk) in html
    assert world.b.booking.person.last_name not in html


def test_calendar_day_view_filters_and_ignores_bad_values(operator_client, world):
    day = monday() + timedelta(days=2)
    operator, admin = world.a.users[Role.OPERATOR], world.a.users[Role.HUB_ADMIN]
    online = SlotFactory(
        service=world.a.service,
        operator=operator,
        channel=Channel.ONLINE,
        starts_at=local(day, 10),
        ends_at=local(day, 10, 45),
    )
    at_antenna = SlotFactory(
        service=world.a.service,
        operator=admin,
        channel=Channel.ANTENNA,
        antenna=world.a.antenna,
        starts_at=local(day, 11),
        ends_at=local(day, 11, 45),
    )
    base = url("calendar", world.a.hub)
    response = operator_client.get(f"{base}?view=day&date={day.isoformat()}")
    assert {s["pk"] for s in response.context["slots"]} >= {online.pk, at_antenna.pk}
    assert len(response.context["grid"]["columns"]) == 1

    def shown(query):
        response = operator_client.get(f"{base}?view=day&date={day.isoformat()}&{query}")
        return {s["pk"] for s in response.context["slots"]}

    assert shown("channel=online") == {online.pk}
    assert shown(f"antenna={world.a.antenna.pk}") == {at_antenna.pk}
    assert shown(f"operator={admin.pk}") == {at_antenna.pk}
    # Another hub's antenna is no choice here: the filter is ignored (and flagged), not obeyed.
    response = operator_client.get(f"{base}?view=day&date={day.isoformat()}&antenna={world.b.antenna.pk}")
    assert "antenna" in response.context["form"].errors
    response = operator_client.get(f"{base}?view=month&date=not-a-date")
    assert response.status_code == 200 and response.context["view"] == "day"
    assert response.context["start"] == timezone.localdate()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2026-02-30", "%00"])
def test_calendar_falls_back_to_this_week_for_a_date_out_of_range(operator_client, world, day):
    response = operator_client.get(url("calendar", world.a.hub) + f"?view=week&date={day}")
    assert response.status_code == 200
    assert response.context["start"] == monday()


def test_calendar_navigation_moves_by_the_period(operator_client, world):
    response = operator_client.get(url("calendar", world.a.hub) + "?view=week&date=2026-11-04&channel=hub")
    assert response.context["start"].isoformat() == "2026-11-02"
    assert "date=2026-10-26" in response.context["prev_url"]
    assert "date=2026-11-09" in response.context["next_url"]
    assert "channel=hub" in response.context["next_url"]


def _fill_week(world, bookings: int, hour: int):
    operator = world.a.users[Role.OPERATOR]
    per_slot = 5
    for i in range(bookings // per_slot):
        day = monday() + timedelta(days=i % 7)
        start = local(day, hour) + timedelta(minutes=10 * (i // 7))
        slot = SlotFactory(
            service=world.a.service,
            operator=operator,
            starts_at=start,
            ends_at=start + timedelta(minutes=10),
            capacity=per_slot,
            channel=Channel.ANTENNA,
            antenna=world.a.antenna,
        )
        for _ in range(per_slot):
            BookingFactory(slot=slot, antenna=world.a.antenna)


def test_calendar_query_count_does_not_grow_with_bookings(
    operator_client, world, django_assert_max_num_queries
):
    address = url("calendar", world.a.hub) + "?view=week"
    _fill_week(world, 5, hour=7)
    few = count_queries(operator_client, address)
    _fill_week(world, 200, hour=12)
    with django_assert_max_num_queries(few):
        response = operator_client.get(address)
    assert len(response.context["slots"]) >= 41


def test_generate_sessions_reports_what_it_did(operator_client, world):
    response = operator_client.post(url("calendar", world.a.hub), follow=True)
    assert Slot.objects.filter(rule=world.a.rule).exists()
    assert "Sessions updated" in messages_of(response)


# --- Bookings -------------------------------------------------------------------------------------


def test_operator_marks_a_session_of_today_attended(operator_client, world):
    start = earlier_today()
    slot = SlotFactory(
        service=world.a.service,
        operator=world.a.users[Role.OPERATOR],
        starts_at=start,
        ends_at=start + timedelta(minutes=45),
    )
    booking = BookingFactory(slot=slot)
    address = url("booking_detail", world.a.hub, pk=booking.pk)
    assert operator_client.get(address).context["can_mark"]
    response = operator_client.post(address, {"action": "attended"}, follow=True)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.ATTENDED
    assert booking.marked_by == world.a.users[Role.OPERATOR]
    assert "Recorded" in messages_of(response)
    operator_client.post(address, {"action": "no_show"})
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW


def test_a_future_session_cannot_be_marked(operator_client, world):
    address = url("booking_detail", world.a.hub, pk=world.a.booking.pk)
    response = operator_client.post(address, {"action": "attended"}, follow=True)
    world.a.booking.refresh_from_db()
    assert world.a.booking.status == Booking.Status.CONFIRMED
    assert "not taken place yet" in messages_of(response)
    response = operator_client.post(address, {"action": "delete-everything"}, follow=True)
    assert "Choose one of the actions" in messages_of(response)


def test_cancel_by_the_hub_tells_the_person_by_email(
    operator_client, world, django_capture_on_commit_callbacks
):
    booking = world.a.booking
    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(
            url("booking_detail", world.a.hub, pk=booking.pk), {"action": "cancel"}
        )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED_BY_HUB
    assert booking.marked_by == world.a.users[Role.OPERATOR]
    assert [m.to for m in mail.outbox] == [[booking.person.email]]
    # Twice is refused with a message, nothing more is sent.
    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(
            url("booking_detail", world.a.hub, pk=booking.pk), {"action": "cancel"}, follow=True
        )
    assert "not active" in messages_of(response)
    assert len(mail.outbox) == 1


def test_booking_on_behalf_of_someone_the_hub_knows(operator_client, world):
    slot = SlotFactory(service=world.a.service, operator=world.a.users[Role.HUB_ADMIN], capacity=2)
    person = world.a.person
    response = operator_client.post(
        url("booking_on_behalf", world.a.hub, slot_id=slot.pk), {"person": person.pk, "reason": "Al telefono"}
    )
    booking = Booking.objects.get(slot=slot)
    assert response.url == url("booking_detail", world.a.hub, pk=booking.pk)
    assert booking.person == person and booking.status == Booking.Status.CONFIRMED
    assert booking.source == Booking.Source.STAFF
    assert booking.created_by == world.a.users[Role.OPERATOR]
    assert booking.reason == "Al telefono"


def test_booking_on_behalf_searches_people_and_refuses_another_hubs(operator_client, world):
    slot = SlotFactory(service=world.a.service, operator=world.a.users[Role.HUB_ADMIN])
    address = url("booking_on_behalf", world.a.hub, slot_id=slot.pk)
    response = operator_client.get(f"{address}?q={world.a.person.email}")
    choices = [value for value, _label in response.context["form"].fields["person"].widget.choices]
    assert choices == ["", world.a.person.pk]
    response = operator_client.post(address, {"person": world.b.person.pk})
    assert "person" in response.context["form"].errors
    assert not Booking.objects.filter(slot=slot).exists()


NEW_PERSON = {
    "first_name": "Marco",
    "last_name": "Bianchi",
    "email": "Marco.Bianchi@example.org",
    "phone": "333 1234567",
    "gender": "male",
    "status": "student",
    "education": "lower_secondary",
}


def test_booking_on_behalf_of_a_new_person(operator_client, world):
    slot = SlotFactory(service=world.a.service, operator=world.a.users[Role.HUB_ADMIN])
    response = operator_client.post(
        url("booking_on_behalf", world.a.hub, slot_id=slot.pk), {**NEW_PERSON, "birth_date": "2005-03-01"}
    )
    assert response.status_code == 302
    person = Person.objects.get(email="marco.bianchi@example.org")
    assert PersonHub.objects.filter(person=person, hub=world.a.hub).exists()
    assert Booking.objects.get(slot=slot).person == person


def test_booking_on_behalf_asks_what_is_missing_and_a_guardian_under_14(operator_client, world):
    slot = SlotFactory(service=world.a.service, operator=world.a.users[Role.HUB_ADMIN])
    address = url("booking_on_behalf", world.a.hub, slot_id=slot.pk)
    response = operator_client.post(address, {"reason": "?"})
    assert {"first_name", "last_name", "email", "birth_date"} <= set(response.context["form"].errors)
    twelve = timezone.localdate().replace(year=timezone.localdate().year - 12) - timedelta(days=30)
    response = operator_client.post(address, {**NEW_PERSON, "birth_date": twelve.isoformat()})
    assert {"guardian_name", "guardian_email", "guardian_consent"} <= set(response.context["form"].errors)
    assert not Person.objects.filter(last_name="Bianchi").exists()
    response = operator_client.post(
        address,
        {
            **NEW_PERSON,
            "birth_date": twelve.isoformat(),
            "guardian_name": "Anna Bianchi",
            "guardian_email": "anna@example.org",
            "guardian_consent": "on",
        },
    )
    assert response.status_code == 302
    assert Person.objects.get(last_name="Bianchi").guardian_consent_at is not None


def test_a_full_session_is_refused_with_a_message_and_no_new_record(operator_client, world):
    slot = SlotFactory(service=world.a.service, operator=world.a.users[Role.HUB_ADMIN], capacity=1)
    BookingFactory(slot=slot)
    response = operator_client.post(
        url("booking_on_behalf", world.a.hub, slot_id=slot.pk), {**NEW_PERSON, "birth_date": "2005-03-01"}
    )
    assert response.status_code == 200
    assert "full" in " ".join(response.context["form"].non_field_errors())
    assert not Person.objects.filter(last_name="Bianchi").exists()


# --- Availability ----------------------------------------------------------------------------------


def test_saving_a_rule_generates_its_sessions(operator_client, world):
    response = operator_client.post(url("rule_create", world.a.hub), rule_data(world), follow=True)
    rule = AvailabilityRule.objects.for_hub(world.a.hub).get(weekday=3, start_time=time(10))
    slots = Slot.objects.filter(rule=rule)
    assert slots.count() >= 10  # two sessions of 45 minutes a week, six weeks ahead
    assert {timezone.localtime(s.starts_at).time() for s in slots} == {time(10), time(10, 45)}
    assert "Availability saved" in messages_of(response)
    assert "Sessions updated" in messages_of(response)


def test_changing_a_rule_keeps_booked_sessions_and_reports_them(operator_client, world):
    operator_client.post(url("rule_create", world.a.hub), rule_data(world))
    rule = AvailabilityRule.objects.for_hub(world.a.hub).get(weekday=3, start_time=time(10))
    booked = Slot.objects.filter(rule=rule).order_by("starts_at").first()
    booking = BookingFactory(slot=booked)
    response = operator_client.post(
        url("rule_update", world.a.hub, pk=rule.pk),
        rule_data(world, start_time="15:00", end_time="16:00"),
        follow=True,
    )
    assert Slot.objects.filter(pk=booked.pk, is_cancelled=False).exists()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    starts = {
        timezone.localtime(s.starts_at).time() for s in Slot.objects.filter(rule=rule).exclude(pk=booked.pk)
    }
    assert starts == {time(15)}
    text = messages_of(response)
    assert "no longer match" in text and booked.service.name in text
    # The same hours, another operator: free sessions move to them, the booked one stays.
    admin = world.a.users[Role.HUB_ADMIN]
    operator_client.post(url("rule_update", world.a.hub, pk=rule.pk), rule_data(world, operator=admin.pk))
    assert set(Slot.objects.filter(rule=rule).exclude(pk=booked.pk).values_list("operator", flat=True)) == {
        admin.pk
    }
    assert Slot.objects.get(pk=booked.pk).operator == world.a.users[Role.OPERATOR]


def test_changing_places_updates_the_sessions_in_place(operator_client, world):
    operator_client.post(url("rule_create", world.a.hub), rule_data(world))
    rule = AvailabilityRule.objects.for_hub(world.a.hub).get(weekday=3, start_time=time(10))
    ids = set(Slot.objects.filter(rule=rule).values_list("pk", flat=True))
    operator_client.post(url("rule_update", world.a.hub, pk=rule.pk), rule_data(world, capacity=4))
    assert set(Slot.objects.filter(rule=rule).values_list("pk", flat=True)) == ids
    assert set(Slot.objects.filter(rule=rule).values_list("capacity", flat=True)) == {4}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start_time": "12:00", "end_time": "10:00"}, "end_time"),
        ({"start_time": "10:00", "end_time": "10:30"}, "end_time"),  # shorter than one session
        ({"channel": Channel.ONLINE, "video_url": "not a link"}, "video_url"),
        ({"channel": Channel.ANTENNA, "antenna": ""}, "antenna"),
        ({"capacity": 0}, "capacity"),
        ({"valid_until": "2000-01-01"}, "valid_until"),
    ],
)
def test_bad_rules_get_a_message_by_the_field(operator_client, world, changes, field):
    response = operator_client.post(url("rule_create", world.a.hub), rule_data(world, **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    assert not AvailabilityRule.objects.for_hub(world.a.hub).filter(weekday=3).exists()


def test_a_rule_cannot_name_another_hubs_antenna_service_or_a_non_staff_operator(operator_client, world):
    data = rule_data(
        world,
        channel=Channel.ANTENNA,
        antenna=world.b.antenna.pk,
        service=world.b.service.pk,
        operator=world.a.users[Role.PARTNER].pk,
    )
    response = operator_client.post(url("rule_create", world.a.hub), data)
    assert {"antenna", "service", "operator"} <= set(response.context["form"].errors)
    response = operator_client.post(
        url("rule_create", world.a.hub), rule_data(world, operator=world.b.users[Role.OPERATOR].pk)
    )
    assert "operator" in response.context["form"].errors


def test_an_online_rule_keeps_its_link_and_drops_a_stray_antenna(operator_client, world):
    operator_client.post(
        url("rule_create", world.a.hub),
        rule_data(
            world, channel=Channel.ONLINE, video_url="https://meet.example.org/x", antenna=world.a.antenna.pk
        ),
    )
    rule = AvailabilityRule.objects.for_hub(world.a.hub).get(weekday=3)
    assert rule.antenna is None and rule.video_url == "https://meet.example.org/x"
    rooms = list(Slot.objects.filter(rule=rule).values_list("video_url", flat=True))
    # each session its own unguessable room on the rule's video service, never one shared room
    assert len(rooms) > 1 and len(set(rooms)) == len(rooms)
    assert all(room.startswith("https://meet.example.org/x/yip-") and len(room) > 40 for room in rooms)


def test_a_closure_removes_free_sessions_and_keeps_booked_ones(operator_client, world):
    operator_client.post(url("rule_create", world.a.hub), rule_data(world))
    rule = AvailabilityRule.objects.for_hub(world.a.hub).get(weekday=3, start_time=time(10))
    by_day = {}
    for slot in Slot.objects.filter(rule=rule).order_by("starts_at"):
        by_day.setdefault(timezone.localdate(slot.starts_at), []).append(slot)
    day, (first, second) = next((d, s) for d, s in by_day.items() if len(s) == 2)
    BookingFactory(slot=second)
    response = operator_client.post(
        url("closure_create", world.a.hub),
        {"starts_on": day.isoformat(), "ends_on": day.isoformat(), "reason": "Festa"},
        follow=True,
    )
    assert not Slot.objects.filter(pk=first.pk).exists()
    assert Slot.objects.filter(pk=second.pk).exists()
    assert "no longer match" in messages_of(response)
    closure = Closure.objects.for_hub(world.a.hub).get(reason="Festa")
    # Removing the closure gives the free session back.
    assert operator_client.get(url("closure_delete", world.a.hub, pk=closure.pk)).status_code == 200
    operator_client.post(url("closure_delete", world.a.hub, pk=closure.pk))
    assert not Closure.objects.filter(pk=closure.pk).exists()
    assert Slot.objects.filter(rule=rule, starts_at=first.starts_at).exists()


def test_closure_dates_in_order_and_of_this_hub(operator_client, world):
    today = timezone.localdate()
    response = operator_client.post(
        url("closure_create", world.a.hub),
        {
            "starts_on": (today + timedelta(days=5)).isoformat(),
            "ends_on": (today + timedelta(days=2)).isoformat(),
            "antenna": world.b.antenna.pk,
        },
    )
    assert {"ends_on", "antenna"} <= set(response.context["form"].errors)


def test_rule_list_shows_rules_and_closures_of_the_hub_only(operator_client, world):
    response = operator_client.get(url("rule_list", world.a.hub))
    assert list(response.context["rules"]) == [world.a.rule]
    assert list(response.context["closures"]) == [world.a.closure]


# --- Services and settings ----------------------------------------------------------------------


def test_admin_adds_and_changes_a_service(admin_client, world):
    response = admin_client.post(
        url("service_create", world.a.hub),
        {"name": "Colloquio", "description": "", "duration_minutes": 30, "is_active": "on", "position": 2},
    )
    assert response.status_code == 302
    service = Service.objects.for_hub(world.a.hub).get(name="Colloquio")
    response = admin_client.post(
        url("service_update", world.a.hub, pk=service.pk),
        {"name": world.a.service.name, "duration_minutes": 5, "position": 0},
    )
    assert {"name", "duration_minutes"} <= set(response.context["form"].errors)
    # Another hub's service name is free here.
    response = admin_client.post(
        url("service_update", world.a.hub, pk=service.pk),
        {"name": world.b.service.name, "duration_minutes": 240, "position": 0},
    )
    assert response.status_code == 302


def test_a_service_no_longer_bookable_loses_its_free_sessions(admin_client, world):
    services.slots_sync(hub=world.a.hub)
    assert Slot.objects.filter(rule=world.a.rule).exists()
    admin_client.post(
        url("service_update", world.a.hub, pk=world.a.service.pk),
        {"name": world.a.service.name, "duration_minutes": 45, "position": 0},
    )
    assert not Slot.objects.filter(rule=world.a.rule).exists()
    assert Slot.objects.filter(pk=world.a.slot.pk).exists()  # booked, added by hand


def test_desk_settings_have_sane_bounds(admin_client, world):
    address = url("settings", world.a.hub)
    assert admin_client.get(address).status_code == 200
    response = admin_client.post(
        address,
        {
            "min_notice_hours": 500,
            "hold_minutes": 1,
            "offer_hours": 0,
            "horizon_days": 1000,
            "guardian_hold_hours": 0,
            "patron_saint_day": "31/02/2026",
        },
    )
    assert set(response.context["form"].errors) == {
        "min_notice_hours",
        "hold_minutes",
        "offer_hours",
        "horizon_days",
        "guardian_hold_hours",
        "patron_saint_day",
    }
    response = admin_client.post(
        address,
        {
            "min_notice_hours": 12,
            "hold_minutes": 20,
            "offer_hours": 6,
            "horizon_days": 28,
            "guardian_hold_hours": 24,
            "patron_saint_day": "2026-06-13",
        },
    )
    assert response.status_code == 302
    assert DeskSettings.objects.get(hub=world.a.hub).horizon_days == 28


# --- People --------------------------------------------------------------------------------------


def test_person_list_shows_this_hubs_people_only_and_searches(operator_client, world):
    response = operator_client.get(url("person_list", world.a.hub))
    assert list(response.context["people"]) == [world.a.person]
    found = operator_client.get(url("person_list", world.a.hub) + f"?q={world.b.person.email}")
    assert list(found.context["people"]) == []
    found = operator_client.get(
        url("person_list", world.a.hub) + f"?q={world.a.person.first_name[:3]} {world.a.person.last_name}"
    )
    assert list(found.context["people"]) == [world.a.person]


def test_person_list_query_count_is_constant(operator_client, world, django_assert_max_num_queries):
    address = url("person_list", world.a.hub)
    few = count_queries(operator_client, address)
    for _ in range(60):
        BookingFactory(slot=world.a.slot, status=Booking.Status.CANCELLED)
    for person in Person.objects.exclude(hub_links__hub=world.a.hub).exclude(pk=world.b.person.pk):
        PersonHub.objects.create(person=person, hub=world.a.hub)
    with django_assert_max_num_queries(few):
        response = operator_client.get(address)
    assert response.context["paginator"].count == 61


def test_every_opening_of_a_record_is_logged(operator_client, world):
    address = url("person_record", world.a.hub, pk=world.a.person.pk)
    for _ in range(2):
        assert operator_client.get(address).status_code == 200
    log = RecordAccess.objects.for_hub(world.a.hub).filter(person=world.a.person)
    assert log.count() == 2
    assert {entry.user for entry in log} == {world.a.users[Role.OPERATOR]}
    with pytest.raises(PermissionError):
        log.delete()
    with pytest.raises(PermissionError):
        log.update(user=world.a.users[Role.HUB_ADMIN])
    entry = log.first()
    with pytest.raises(PermissionError):
        entry.save()


def test_a_record_shows_only_this_hubs_bookings_and_notes(operator_client, world):
    person = world.a.person  # deals with both hubs
    other = BookingFactory(
        slot=SlotFactory(service=world.b.service, operator=world.b.users[Role.OPERATOR]), person=person
    )
    PersonHub.objects.create(person=person, hub=world.b.hub)
    CaseNote.objects.create(hub=world.b.hub, person=person, text="Nota riservata di beta")
    CaseNote.objects.create(hub=world.a.hub, person=person, text="Nota di alfa")
    response = operator_client.get(url("person_record", world.a.hub, pk=person.pk))
    html = response.content.decode()
    assert "Nota di alfa" in html
    assert "Nota riservata di beta" not in html
    assert f'data-booking="{world.a.booking.pk}"' in html
    assert f'data-booking="{other.pk}"' not in html
    assert {b.hub_id for b in response.context["bookings"]} == {world.a.hub.pk}
    # Hub B sees its own side of the same person, and not A's.
    operator_client.force_login(world.b.users[Role.OPERATOR])
    html = operator_client.get(url("person_record", world.b.hub, pk=person.pk)).content.decode()
    assert "Nota riservata di beta" in html and "Nota di alfa" not in html


def test_a_person_of_another_hub_only_is_a_404(operator_client, world):
    assert operator_client.get(url("person_record", world.a.hub, pk=world.b.person.pk)).status_code == 404
    assert not RecordAccess.objects.filter(person=world.b.person).exists()


def test_staff_add_a_private_note(operator_client, world):
    address = url("person_record", world.a.hub, pk=world.a.person.pk)
    response = operator_client.post(address, {"text": ""})
    assert "text" in response.context["note_form"].errors
    operator_client.post(address, {"text": "Ha chiamato per il CV"})
    note = CaseNote.objects.for_hub(world.a.hub).get(person=world.a.person)
    assert note.author == world.a.users[Role.OPERATOR] and note.text == "Ha chiamato per il CV"


# --- Enquiries and waiting list ---------------------------------------------------------------------


def test_enquiry_tabs_count_and_filter(operator_client, world):
    EnquiryFactory(hub=world.a.hub, subject="Tirocini", status=Enquiry.Status.ANSWERED)
    response = operator_client.get(url("enquiry_list", world.a.hub))
    assert [e.subject for e in response.context["enquiries"]] == ["Corsi estivi"]
    counts = {tab["status"]: tab["count"] for tab in response.context["tabs"]}
    assert counts == {"open": 1, "answered": 1, "closed": 0, "all": 2}
    response = operator_client.get(url("enquiry_list", world.a.hub) + "?status=answered")
    assert [e.subject for e in response.context["enquiries"]] == ["Tirocini"]


def test_enquiry_list_query_count_is_constant(operator_client, world, django_assert_max_num_queries):
    address = url("enquiry_list", world.a.hub) + "?status=all"
    few = count_queries(operator_client, address)
    Enquiry.objects.bulk_create(
        [
            Enquiry(
                hub=world.a.hub,
                name=f"N{i}",
                email=f"n{i}@example.org",
                subject=f"S{i}",
                message="?",
                person=world.a.person,
            )
            for i in range(40)
        ]
    )
    with django_assert_max_num_queries(few):
        operator_client.get(address)


def test_a_reply_is_emailed_and_the_enquiry_can_be_closed(
    operator_client, world, django_capture_on_commit_callbacks
):
    address = url("enquiry_detail", world.a.hub, pk=world.a.enquiry.pk)
    response = operator_client.post(address, {"action": "reply", "reply": ""})
    assert "reply" in response.context["reply_form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        operator_client.post(address, {"action": "reply", "reply": "Sì, a luglio."})
    world.a.enquiry.refresh_from_db()
    assert world.a.enquiry.status == Enquiry.Status.ANSWERED
    assert world.a.enquiry.replied_by == world.a.users[Role.OPERATOR]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["luca@example.org"] and "Sì, a luglio." in mail.outbox[0].body
    operator_client.post(address, {"action": "close"})
    world.a.enquiry.refresh_from_db()
    assert world.a.enquiry.status == Enquiry.Status.CLOSED


def test_waitlist_lists_this_hubs_entries(operator_client, world):
    mine = services.waitlist_join(
        hub=world.a.hub, service=world.a.service, channel=Channel.HUB, antenna=None, person=world.a.person
    )
    services.waitlist_join(
        hub=world.b.hub, service=world.b.service, channel=Channel.HUB, antenna=None, person=world.b.person
    )
    response = operator_client.get(url("waitlist", world.a.hub))
    assert list(response.context["entries"]) == [mine]
    WaitlistEntry.objects.filter(pk=mine.pk).update(status=WaitlistEntry.Status.WITHDRAWN)
    assert list(operator_client.get(url("waitlist", world.a.hub)).context["entries"]) == []
    assert list(operator_client.get(url("waitlist", world.a.hub) + "?show=all").context["entries"]) == [mine]


# --- Export ---------------------------------------------------------------------------------------

EXPORT_HEADERS = [
    "Booking",
    "Date",
    "Time",
    "Service",
    "Channel",
    "Antenna",
    "Operator",
    "Status",
    "Moved from",
    "Source",
    "Year of birth",
    "Gender",
    "Municipality",
    "Current status",
    "Education",
]


def _period(world):
    day = timezone.localdate(world.a.booking.slot.starts_at)
    return day - timedelta(days=1), day + timedelta(days=1)


def _export(client, world, fmt, period=None):
    start, end = period or _period(world)
    return client.get(
        url("export", world.a.hub) + f"?starts_on={start.isoformat()}&ends_on={end.isoformat()}&format={fmt}"
    )


def _identifiers(person) -> list[str]:
    """Give the person names no other column could hold by chance (Faker's may), and return them."""
    Person.objects.filter(pk=person.pk).update(first_name="Zenobia", last_name="Quartermaine")
    return ["Zenobia", "Quartermaine", person.email]  # the shared world's objects stay as built


def test_export_csv_has_reporting_columns_and_no_personal_identifiers(operator_client, world):
    booking = world.a.booking
    Booking.objects.filter(pk=booking.pk).update(reason="Problemi a casa")
    Person.objects.filter(pk=booking.person.pk).update(phone="3331112222")
    identifiers = _identifiers(booking.person)
    response = _export(operator_client, world, "csv")
    start, end = _period(world)
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="prenotazioni_{world.a.hub.slug}_{start}_{end}.csv"'
    )
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == EXPORT_HEADERS
    assert len(rows) == 2 and rows[1][0] == str(booking.pk)
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Year of birth"] == str(booking.person.birth_date.year)
    assert row["Service"] == booking.service.name
    for secret in [*identifiers, "Problemi a casa", "3331112222"]:
        assert secret not in text
    assert world.b.booking.person.last_name not in text


def test_export_xlsx_opens_in_a_spreadsheet(operator_client, world):
    identifiers = _identifiers(world.a.booking.person)
    response = _export(operator_client, world, "xlsx")
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == EXPORT_HEADERS
    assert len(rows) == 2 and str(rows[1][0]) == str(world.a.booking.pk)
    flat = " ".join(str(v) for row in rows for v in row)
    for secret in identifiers:
        assert secret not in flat


def test_export_bad_dates_get_a_form_error(operator_client, world):
    response = operator_client.get(
        url("export", world.a.hub) + "?starts_on=2026-11-30&ends_on=2026-11-01&format=csv"
    )
    assert response.status_code == 200
    assert "ends_on" in response.context["form"].errors
    response = operator_client.get(url("export", world.a.hub) + "?starts_on=yesterday&format=pdf")
    assert {"starts_on", "ends_on", "format"} <= set(response.context["form"].errors)


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [("0001-01-01", "0001-01-07"), ("9999-12-25", "9999-12-31"), ("0001-01-01", "9999-12-31")],
)
def test_export_dates_of_year_1_or_9999_get_a_message(operator_client, world, starts_on, ends_on):
    response = operator_client.get(
        url("export", world.a.hub), {"starts_on": starts_on, "ends_on": ends_on, "format": "csv"}
    )
    assert response.status_code == 200 and "Content-Disposition" not in response
    errors = response.context["form"].errors
    assert "Enter a date between the years 1900 and 2100." in errors["starts_on"] + errors["ends_on"]


def test_a_search_with_a_nul_character_is_a_search_without_it(operator_client, world):
    person = world.a.booking.person
    response = operator_client.get(url("person_list", world.a.hub) + f"?q={person.last_name}%00")
    assert response.status_code == 200
    assert person in response.context["people"]
    assert operator_client.get(url("person_list", world.a.hub) + "?q=%00").status_code == 200
    on_behalf = url("booking_on_behalf", world.a.hub, slot_id=world.a.slot.pk)
    assert operator_client.get(on_behalf + "?q=%00").status_code == 200
    # a path with one names nothing
    assert operator_client.get(url("person_list", world.a.hub) + "%00/").status_code == 404


def test_export_query_count_is_constant(operator_client, world, django_assert_max_num_queries):
    start = timezone.localdate()
    period = (start - timedelta(days=1), start + timedelta(days=10))
    address = url("export", world.a.hub) + (
        f"?starts_on={period[0].isoformat()}&ends_on={period[1].isoformat()}&format=csv"
    )
    few = count_queries(operator_client, address)
    slot = SlotFactory(
        service=world.a.service,
        operator=world.a.users[Role.OPERATOR],
        capacity=60,
        channel=Channel.ANTENNA,
        antenna=world.a.antenna,
    )
    for _ in range(50):
        BookingFactory(slot=slot, antenna=world.a.antenna)
    with django_assert_max_num_queries(few):
        response = operator_client.get(address)
    assert len(response.content.decode("utf-8-sig").strip().splitlines()) >= 52
