"""
The operator's day: signing in lands on "today" (own sessions, open enquiries, follow-ups due,
waiting-list offers), the calendar opens on the day with the week a click away, the roll call
marks a whole session at once (never before it starts), the printable agenda, and the day and
week views' query counts, the same for 10 and 1,000 bookings.
"""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from desk.calendar import time_grid
from desk.indicators import no_shows, sessions_held
from desk.models import Booking, Channel, Enquiry, WaitlistEntry
from desk.tests.factories import BookingFactory, EnquiryFactory, SlotFactory
from hubs.models import Role
from people.models import Person, PersonHub, RecordAccess
from people.tests.factories import PersonFactory
from placements.models import FollowUp
from placements.tests.factories import PathFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world):
    return module_world


def url(name, hub, **kwargs):
    return reverse(f"deskbo:{name}", kwargs={"hub_slug": hub.slug, **kwargs})


def local(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def half_past_nine():
    """Today at 9:30: a session of 9:00 is under way, one of 15:00 has not started."""
    with time_machine.travel(local(date(2026, 11, 4), 9, 30), tick=False):
        yield date(2026, 11, 4)


@pytest.fixture
def operator(world):
    return world.a.users[Role.OPERATOR]


@pytest.fixture
def operator_client(client, operator):
    client.force_login(operator)
    return client


def session(world, day, hour, *, operator=None, capacity=3, people=(), **extra):
    slot = SlotFactory(
        service=world.a.service,
        operator=operator or world.a.users[Role.OPERATOR],
        starts_at=local(day, hour),
        ends_at=local(day, hour, 45),
        capacity=capacity,
        **extra,
    )
    bookings = [
        BookingFactory(slot=slot, person=PersonFactory(first_name=name, last_name="Rossi")) for name in people
    ]
    return slot, bookings


# --- Landing on today ------------------------------------------------------------------------------


def test_signing_in_lands_on_today_for_the_desk_staff(client, world):
    client.force_login(world.a.users[Role.OPERATOR])
    response = client.get(reverse("backoffice_index"))
    assert response.status_code == 302 and response.url == url("today", world.a.hub)
    # A member who has no desk (the steering committee) lands on the hub's dashboard as before.
    client.force_login(world.a.users[Role.STEERING])
    response = client.get(reverse("backoffice_index"))
    assert response.url == reverse("backoffice_dashboard", kwargs={"hub_slug": world.a.hub.slug})


def test_the_menu_is_named_by_task(operator_client, world):
    html = operator_client.get(url("today", world.a.hub)).content.decode()
    menu = html[html.index('id="backoffice-nav"') :]
    for label, name in (
        ("Sportello", "today"),
        ("Calendario", "calendar"),
        ("Persone", "person_list"),
        ("Richieste", "enquiry_list"),
    ):
        assert f'href="{url(name, world.a.hub)}"' in menu and f"<span>{label}</span>" in menu, label


def test_today_shows_my_sessions_enquiries_follow_ups_and_offers(
    operator_client, world, operator, half_past_nine
):
    day = half_past_nine
    mine, _ = session(world, day, 9, people=["Giulia"])
    theirs, _ = session(world, day, 11, operator=world.a.users[Role.HUB_ADMIN], people=["Marco"])
    tomorrow, _ = session(world, day + timedelta(days=1), 9)
    EnquiryFactory(hub=world.a.hub, subject="Tirocini estivi?", status=Enquiry.Status.OPEN)
    EnquiryFactory(hub=world.a.hub, subject="Già risposta", status=Enquiry.Status.ANSWERED)
    EnquiryFactory(hub=world.b.hub, subject="Di un altro hub", status=Enquiry.Status.OPEN)
    path = PathFactory(hub=world.a.hub, person=PersonFactory(first_name="Luca", last_name="Neri"))
    due = FollowUp.objects.create(hub=world.a.hub, path=path, months=3, due_on=day - timedelta(days=2))
    FollowUp.objects.create(hub=world.a.hub, path=path, months=6, due_on=day + timedelta(days=90))
    offered = PersonFactory(first_name="Sara", last_name="Bianchi")
    WaitlistEntry.objects.create(
        hub=world.a.hub,
        service=world.a.service,
        channel=Channel.HUB,
        person=offered,
        status=WaitlistEntry.Status.OFFERED,
        offered_slot=theirs,
        offer_expires_at=timezone.now() + timedelta(hours=12),
    )
    response = operator_client.get(url("today", world.a.hub))
    html = response.content.decode()
    assert [s["pk"] for s in response.context["day"]["sessions"]] == [mine.pk]
    assert url("roll_call", world.a.hub, slot_id=mine.pk) in html
    assert f'data-slot="{theirs.pk}"' not in html and f'data-slot="{tomorrow.pk}"' not in html
    assert "Tirocini estivi?" in html and "Già risposta" not in html and "Di un altro hub" not in html
    assert "Luca Neri" in html
    assert (
        reverse("placementsbo:follow_up_update", kwargs={"hub_slug": world.a.hub.slug, "pk": due.pk}) in html
    )
    assert "Sara Bianchi" in html
    assert response.context["day"]["offer_count"] == 1


def test_today_query_count_does_not_grow_with_the_day(operator_client, world, half_past_nine):
    day = half_past_nine
    address = url("today", world.a.hub)
    session(world, day, 8, people=["A"])
    operator_client.get(address)
    with CaptureQueriesContext(connection) as few:
        operator_client.get(address)
    for hour in range(11, 19):
        session(world, day, hour, people=["B", "C"])
        EnquiryFactory(hub=world.a.hub, status=Enquiry.Status.OPEN)
    with CaptureQueriesContext(connection) as many:
        operator_client.get(address)
    assert len(many) == len(few)


# --- The calendar: the day first, a time grid ------------------------------------------------------


def test_the_calendar_opens_on_today_with_the_week_a_click_away(operator_client, world, half_past_nine):
    day = half_past_nine
    started, _ = session(world, day, 9, people=["Giulia"])
    later, _ = session(world, day, 15, capacity=1, people=["Marco"])
    free, _ = session(world, day, 16, capacity=2)
    response = operator_client.get(url("calendar", world.a.hub))
    assert response.context["view"] == "day" and response.context["start"] == day
    html = response.content.decode()
    assert f'href="{response.context["week_view_url"]}"'.replace("&", "&amp;") in html
    states = {s["pk"]: (s["state"], s["state_label"]) for s in response.context["slots"]}
    # Colour by state, and the state in words beside it (Italian by default).
    assert states[started.pk] == ("running", "in corso")
    assert states[later.pk] == ("full", "al completo")
    assert states[free.pk] == ("free", "posti liberi")
    assert 'class="desk-slot slot-running' in html
    # The grid places sessions by time: 9:00 is the first row after the header, 15:00 below.
    rows = {s["pk"]: s["row"] for s in response.context["slots"]}
    assert rows[started.pk] == 2 and rows[later.pk] == 2 + 6 * 4
    # The roll call is there for the session under way, not for the afternoon's.
    assert url("roll_call", world.a.hub, slot_id=started.pk) in html
    assert url("roll_call", world.a.hub, slot_id=later.pk) not in html
    assert "Appello dalle 15:00" in html
    week = operator_client.get(response.context["week_view_url"])
    assert week.context["view"] == "week" and len(week.context["grid"]["columns"]) == 7


def test_overlapping_sessions_sit_side_by_side():
    day = date(2026, 11, 4)
    tz = timezone.get_current_timezone()

    def row(hour, minute, length):
        start = datetime.combine(day, time(hour, minute), tz)
        return {"day": day, "start": start, "end": start + timedelta(minutes=length)}

    a, b, c = row(9, 0, 60), row(9, 30, 45), row(10, 0, 30)
    grid = time_grid([a, b, c], [day, day + timedelta(days=1)])
    assert (a["col"], b["col"], c["col"]) == (2, 3, 2)  # c starts when a ends: a's lane again
    assert (a["row"], a["span"], b["row"], b["span"]) == (2, 4, 4, 3)
    assert [col["col"] for col in grid["columns"]] == [2, 4] and grid["width"] == 4
    assert [hour["label"] for hour in grid["hours"]] == ["09:00", "10:00"]


def _crowd(world, day, bookings: int, hour: int):
    """`bookings` confirmed bookings on the day's sessions, 10 a session (bulk: the test stays quick)."""
    people = Person.objects.bulk_create(
        Person(first_name=f"P{i}", last_name="Folla", email=f"folla{day:%j}-{hour}-{i}@example.org")
        for i in range(bookings)
    )
    PersonHub.objects.bulk_create(PersonHub(person=p, hub=world.a.hub) for p in people)
    rows = []
    for number in range(0, bookings, 10):
        start = local(day, hour) + timedelta(minutes=5 * (number // 10))
        slot = SlotFactory(
            service=world.a.service,
            operator=world.a.users[Role.OPERATOR],
            starts_at=start,
            ends_at=start + timedelta(minutes=45),
            capacity=10,
        )
        rows += [
            Booking(
                hub=world.a.hub,
                slot=slot,
                service=world.a.service,
                channel=slot.channel,
                person=person,
                status=Booking.Status.CONFIRMED,
            )
            for person in people[number : number + 10]
        ]
    Booking.objects.bulk_create(rows)


@pytest.mark.parametrize("view", ["day", "week"])
def test_day_and_week_views_make_as_many_queries_for_10_as_for_1000_bookings(operator_client, world, view):
    address = url("calendar", world.a.hub) + f"?view={view}&date=2026-11-04"
    _crowd(world, date(2026, 11, 4), 10, hour=7)
    operator_client.get(address)
    with CaptureQueriesContext(connection) as few:
        response = operator_client.get(address)
    assert sum(s["booked"] for s in response.context["slots"]) == 10
    _crowd(world, date(2026, 11, 5 if view == "week" else 4), 990, hour=8)
    with CaptureQueriesContext(connection) as many:
        response = operator_client.get(address)
    assert sum(s["booked"] for s in response.context["slots"]) == 1000
    assert len(many) == len(few), [q["sql"] for q in many]


# --- The roll call -----------------------------------------------------------------------------


def test_the_roll_call_marks_a_whole_session_at_once(operator_client, world, operator, half_past_nine):
    day = half_past_nine
    slot, (giulia, marco, sara) = session(world, day, 9, people=["Giulia", "Marco", "Sara"])
    pending = BookingFactory(slot=slot, status=Booking.Status.PENDING)
    other_slot, (elsewhere,) = session(world, day, 8, people=["Luca"])
    before = sessions_held(world.a.hub, day, day), no_shows(world.a.hub, day, day)
    response = operator_client.post(
        url("roll_call", world.a.hub, slot_id=slot.pk),
        {
            f"booking-{giulia.pk}": "attended",
            f"booking-{marco.pk}": "no_show",
            f"booking-{sara.pk}": "attended",
            f"booking-{elsewhere.pk}": "no_show",  # not of this session: ignored
            "back": "day",
        },
        follow=True,
    )
    statuses = dict(Booking.objects.filter(slot__in=[slot, other_slot]).values_list("pk", "status"))
    assert statuses == {
        giulia.pk: "attended",
        marco.pk: "no_show",
        sara.pk: "attended",
        pending.pk: "pending",
        elsewhere.pk: "confirmed",
    }
    assert set(Booking.objects.filter(pk__in=[giulia.pk, marco.pk]).values_list("marked_by", flat=True)) == {
        operator.pk
    }
    assert "Appello salvato: 3 prenotazioni registrate." in response.content.decode()
    assert response.redirect_chain[-1][0].endswith(f"?view=day&date={day.isoformat()}")
    # The indicators count the marks, as when a booking is marked one by one.
    assert sum(sessions_held(world.a.hub, day, day).values()) == sum(before[0].values()) + 2
    assert sum(no_shows(world.a.hub, day, day).values()) == sum(before[1].values()) + 1
    # The day view's form shows the marks now recorded.
    html = operator_client.get(url("calendar", world.a.hub)).content.decode()
    assert f'id="rc-{marco.pk}-n" value="no_show" checked' in html


def test_the_roll_call_is_refused_before_the_session_starts(operator_client, world, half_past_nine):
    day = half_past_nine
    slot, (giulia,) = session(world, day, 15, people=["Giulia"])
    address = url("roll_call", world.a.hub, slot_id=slot.pk)
    page = operator_client.get(address)
    assert page.status_code == 200 and "Non ancora iniziata" in page.content.decode()
    response = operator_client.post(address, {f"booking-{giulia.pk}": "attended"}, follow=True)
    giulia.refresh_from_db()
    assert giulia.status == Booking.Status.CONFIRMED
    assert "La sessione non si è ancora svolta: le presenze si registrano dalle 15:00." in (
        response.content.decode()
    )


def test_a_roll_call_needs_an_answer_for_each_person(operator_client, world, half_past_nine):
    slot, (giulia, marco) = session(world, half_past_nine, 9, people=["Giulia", "Marco"])
    response = operator_client.post(
        url("roll_call", world.a.hub, slot_id=slot.pk), {f"booking-{giulia.pk}": "maybe"}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert set(Booking.objects.filter(slot=slot).values_list("status", flat=True)) == {"confirmed"}


# --- The printable agenda ------------------------------------------------------------------------


def test_the_agenda_lists_name_phone_and_reason_and_logs_the_opening(
    operator_client, world, operator, half_past_nine
):
    day = half_past_nine
    slot, (giulia,) = session(world, day, 9, people=["Giulia"])
    Person.objects.filter(pk=giulia.person_id).update(phone="+39 333 1234567")
    Booking.objects.filter(pk=giulia.pk).update(reason="Scegliere l'università")
    cancelled = BookingFactory(
        slot=slot, status=Booking.Status.CANCELLED, person=PersonFactory(first_name="Via")
    )
    response = operator_client.get(url("agenda", world.a.hub) + f"?date={day.isoformat()}")
    html = response.content.decode()
    assert "Giulia Rossi" in html and "+39 333 1234567" in html and "Scegliere l&#x27;università" in html
    assert cancelled.person.first_name not in html
    assert "desk/print.js" in html and "backoffice.css" in html
    assert (
        RecordAccess.objects.filter(person_id=giulia.person_id, user=operator, what="desk.agenda").count()
        == 1
    )
