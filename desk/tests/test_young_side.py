"""
The young person's side of the desk (issue 12): the month calendar of free sessions, the date of
birth typed as three numbers, "check your e-mail" with a resend, the "resend my booking links"
page, the e-mail-only waiting list, the enquiry's acknowledgement, and the service list.
"""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from desk import services, tokens
from desk.forms_public import BookingForm
from desk.models import Booking, Channel, Enquiry, Slot, WaitlistEntry
from desk.tests.factories import BookingFactory, ServiceFactory, SlotFactory, WaitlistEntryFactory
from hubs.tests.factories import HubFactory
from people.tests.factories import PersonFactory

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


def test_the_calendar_makes_the_same_number_of_queries_for_10_and_1000_slots(client, desk, settings):
    settings.YIP_PUBLIC_PAGE_CACHE = False  # the page as rendered, not as served from the cache
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


# --- The date of birth as day, month and year ---------------------------------------------------


def booking_form(slot, **data):
    return BookingForm(data=data, slot_day=timezone.localdate(slot.starts_at), hub=slot.hub)


BASE = {
    "first_name": "Giulia",
    "last_name": "Rossi",
    "email": "g@example.org",
    "language": "it",
    "privacy": "on",
}


def test_the_date_of_birth_is_three_number_boxes_with_bday_autocomplete(client, desk):
    slot = SlotFactory(service=desk.service, starts_at=at(3, 10))
    html = client.get(url("book_form", desk.hub, slot_id=slot.pk)).content.decode()
    for index, part in enumerate(("day", "month", "year")):
        box = re.search(rf'<input[^>]*id="id_birth_date_{index}"[^>]*>', html).group(0)
        assert 'inputmode="numeric"' in box and f'autocomplete="bday-{part}"' in box
        assert f'<label class="form-label small mb-1" for="id_birth_date_{index}">' in html
    assert 'type="date"' not in html
    assert 'role="group" aria-label="Date of birth"' in html


def test_the_date_of_birth_is_read_from_three_boxes_or_one_typed_date(desk):
    slot = SlotFactory(service=desk.service, starts_at=at(3, 10))
    parts = booking_form(slot, **BASE, birth_date_0="1", birth_date_1="3", birth_date_2="2004")
    assert parts.is_valid(), parts.errors
    assert parts.cleaned_data["birth_date"] == date(2004, 3, 1)
    typed = booking_form(slot, **BASE, birth_date="2004-03-01")
    assert typed.is_valid(), typed.errors
    assert typed.cleaned_data["birth_date"] == date(2004, 3, 1)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2006", "Questa data non esiste: controlla il giorno e il mese."),
        ("1", "1", str(timezone.localdate().year + 1), "La data di nascita non può essere nel futuro."),
        ("12", "", "2006", "Scrivi il giorno, il mese e l'anno."),
        ("12", "3", "06", "Scrivi l'anno con quattro cifre, per esempio 2008."),
        ("dodici", "3", "2006", "Scrivi il giorno, il mese e l'anno in numeri, per esempio 7 3 2008."),
    ],
)
def test_a_wrong_date_of_birth_gets_a_clear_italian_message(desk, day, month, year, message):
    from django.utils import translation

    slot = SlotFactory(service=desk.service, starts_at=at(3, 10))
    with translation.override("it"):
        form = booking_form(slot, **BASE, birth_date_0=day, birth_date_1=month, birth_date_2=year)
        assert not form.is_valid()
        assert form.errors["birth_date"] == [message]


# --- "Check your e-mail" ------------------------------------------------------------------------


BOOKING = {
    "first_name": "Giulia",
    "last_name": "Rossi",
    "email": "giulia@example.org",
    "birth_date_0": "1",
    "birth_date_1": "3",
    "birth_date_2": "2004",
    "language": "it",
    "privacy": "on",
}


def verify_mails(to="giulia@example.org"):
    return [m for m in mail.outbox if to in m.to and "/prenota/conferma/" in m.body]


def test_check_your_email_shows_the_address_and_sends_the_link_again_once(
    client, desk, settings, django_capture_on_commit_callbacks
):
    settings.YIP_VERIFY_MAIL_INTERVAL = 60
    slot = SlotFactory(service=desk.service, starts_at=at(3, 10))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("book_form", desk.hub, slot_id=slot.pk), BOOKING)
    sent = response.url
    assert "/prenota/inviata/" in sent
    page = client.get(sent).content.decode()
    assert "giulia@example.org" in page and "Send the link again" in page
    assert len(verify_mails()) == 1

    # Right after the first e-mail: nothing more goes, and the page says why.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(sent, follow=True)
    assert "a moment ago" in again.content.decode()
    assert len(verify_mails()) == 1

    # Later, the link goes again; a double click sends it once.
    settings.YIP_VERIFY_MAIL_INTERVAL = 0
    from django.core.cache import cache

    cache.clear()
    settings.YIP_VERIFY_MAIL_INTERVAL = 60
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(sent, follow=True)
        client.post(sent, follow=True)
    assert "We sent the link again to giulia@example.org" in first.content.decode()
    assert len(verify_mails()) == 2
    assert verify_mails()[-1].body.count("/prenota/conferma/") == 1

    # Once confirmed, the page says so and offers no resend.
    services.booking_verify(booking=Booking.objects.get(slot=slot))
    page = client.get(sent).content.decode()
    assert "Your booking is confirmed" in page and "Send the link again" not in page


def test_asking_for_the_link_too_often_gets_a_clear_message(client, desk, settings, one_rate_limit_window):
    settings.YIP_RATE_LIMITS = settings.YIP_RATE_LIMITS | {"desk_booking_resend_email": "2/h/email"}
    booking = BookingFactory(
        slot=SlotFactory(service=desk.service, starts_at=at(3, 10)),
        status=Booking.Status.PENDING,
        hold_expires_at=timezone.now() + timedelta(minutes=30),
    )
    sent = url("booking_sent", desk.hub, token=tokens.make(tokens.SENT, booking.pk))
    assert client.post(sent).status_code == 302
    assert client.post(sent).status_code == 302
    refused = client.post(sent)
    assert refused.status_code == 429
    assert "You have asked for the link many times: try again in" in refused.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "it"
    assert "Hai chiesto il link troppe volte" in client.post(sent).content.decode()


def test_the_check_your_email_link_is_the_bookings_own(client, desk):
    booking = BookingFactory(slot=SlotFactory(service=desk.service, starts_at=at(3, 10)))
    other_hub = HubFactory()
    token = tokens.make(tokens.SENT, booking.pk)
    assert client.get(url("booking_sent", other_hub, token=token)).status_code == 404
    assert (
        client.get(url("booking_sent", desk.hub, token=tokens.make(tokens.MANAGE, booking.pk))).status_code
        == 404
    )


# --- "Find my bookings" -------------------------------------------------------------------------


def test_find_my_bookings_mails_the_links_of_the_upcoming_bookings_at_this_hub_only(
    client, desk, django_capture_on_commit_callbacks
):
    person = PersonFactory(email="luca@example.org")
    upcoming = BookingFactory(slot=SlotFactory(service=desk.service, starts_at=at(3, 10)), person=person)
    pending = BookingFactory(
        slot=SlotFactory(service=desk.service, starts_at=at(4, 10)),
        person=person,
        status=Booking.Status.PENDING,
        hold_expires_at=timezone.now() + timedelta(minutes=30),
    )
    BookingFactory(
        slot=SlotFactory(service=desk.service, starts_at=at(5, 10)),
        person=person,
        status=Booking.Status.CANCELLED,
    )
    elsewhere = ServiceFactory()
    BookingFactory(slot=SlotFactory(service=elsewhere, starts_at=at(3, 12)), person=person)
    page = url("links_resend", desk.hub)
    assert client.get(page).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page, {"email": "Luca@Example.org "})
    assert response.status_code == 302 and response.url == page + "?sent=1"
    sent = [m for m in mail.outbox if m.to == ["luca@example.org"]]
    assert len(sent) == 1
    body = sent[0].body
    links = re.findall(
        re.escape(settings.SITE_URL) + r"/([\w-]+)/(prenotazione|prenota/conferma)/([^/\s]+)/", body
    )
    # Each upcoming booking of this hub: its manage link, or its confirmation link if it waits.
    assert [(slug, kind) for slug, kind, _token in links] == [
        (desk.hub.slug, "prenotazione"),
        (desk.hub.slug, "prenota/conferma"),
    ]  # not the cancelled one, not the other hub's
    assert tokens.read(tokens.MANAGE, links[0][2], max_age_seconds=60) == upcoming.pk
    assert tokens.read(tokens.VERIFY, links[1][2], max_age_seconds=60) == pending.pk
    # Asked again at once: one e-mail is enough.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page, {"email": "luca@example.org"})
    assert len([m for m in mail.outbox if m.to == ["luca@example.org"]]) == 1


def test_find_my_bookings_answers_the_same_whatever_the_address(
    client, desk, django_capture_on_commit_callbacks
):
    person = PersonFactory(email="luca@example.org")
    BookingFactory(slot=SlotFactory(service=desk.service, starts_at=at(3, 10)), person=person)
    page = url("links_resend", desk.hub)
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(page, {"email": "luca@example.org"}, follow=True)
        unknown = client.post(page, {"email": "nobody@example.org"}, follow=True)
    assert known.status_code == unknown.status_code == 200
    for response in (known, unknown):
        assert response.redirect_chain == [(page + "?sent=1", 302)]
    assert known.content.decode().split("<main")[1] == unknown.content.decode().split("<main")[1]
    assert [m.to for m in mail.outbox] == [["luca@example.org"]]
    assert not [m for m in mail.outbox if "nobody@example.org" in m.to]


def test_find_my_bookings_is_rate_limited(client, desk, settings, one_rate_limit_window):
    settings.YIP_RATE_LIMITS = settings.YIP_RATE_LIMITS | {"desk_links_resend": "2/h/ip"}
    page = url("links_resend", desk.hub)
    for n in range(2):
        assert client.post(page, {"email": f"x{n}@example.org"}).status_code == 302
    assert client.post(page, {"email": "x9@example.org"}).status_code == 429


# --- The waiting list asks only for an e-mail ----------------------------------------------------


@pytest.fixture
def full(desk):
    slot = SlotFactory(service=desk.service, starts_at=at(3, 10))
    taken = BookingFactory(slot=slot)
    return type("Full", (), {"slot": slot, "taken": taken})


def test_the_waiting_list_asks_for_an_email_and_a_date_of_birth_only(client, desk, full):
    form = client.get(url("waitlist_join", desk.hub, service_id=desk.service.pk)).context["form"]
    assert [name for name, field in form.fields.items() if field.required] == [
        "place",
        "email",
        "birth_date",
        "privacy",
    ]
    assert not {"first_name", "last_name", "phone", "gender", "status", "education"} & set(form.fields)


def test_joining_acknowledges_by_email_shows_the_position_and_the_leave_link_works_once(
    client, desk, full, django_capture_on_commit_callbacks
):
    WaitlistEntryFactory(service=desk.service, channel=Channel.HUB)  # someone joined before
    join = url("waitlist_join", desk.hub, service_id=desk.service.pk)
    data = {"place": "hub", "email": "anna@example.org", "birth_date": "2003-05-04", "privacy": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(join, data)
    assert response.status_code == 302 and "/lista-attesa/esci/" in response.url
    page = client.get(response.url).content.decode()
    assert "You are on the waiting list" in page
    assert re.search(r"Your position</dt><dd>2</dd>", page)
    entry = WaitlistEntry.objects.get(person__email="anna@example.org")
    ack = [m for m in mail.outbox if m.to == ["anna@example.org"]]
    assert len(ack) == 1 and "2" in ack[0].body
    assert (
        reverse("desk:waitlist_leave", args=[desk.hub.slug, tokens.make(tokens.LEAVE, entry.pk)])
        in ack[0].body
    )

    # Joining again gives the same place, and no second e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(join, data)
    # (a guest's second record is a new one: the same address joins once per record it proves)
    leave = response.url
    assert client.post(leave).status_code == 302
    assert client.post(leave).status_code == 302  # leaving twice changes nothing more
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.WITHDRAWN
    assert "Leave the waiting list" not in client.get(leave).content.decode()


def test_under_14_the_waiting_list_asks_for_the_guardian(client, desk, full):
    join = url("waitlist_join", desk.hub, service_id=desk.service.pk)
    born = timezone.localdate().replace(year=timezone.localdate().year - 13)
    data = {"place": "hub", "email": "teo@example.org", "birth_date": born.isoformat(), "privacy": "on"}
    response = client.post(join, data)
    assert response.status_code == 200
    assert {"guardian_name", "guardian_email"} <= set(response.context["form"].errors)
    data |= {"guardian_name": "Marta Bassi", "guardian_email": "marta@example.org"}
    assert client.post(join, data).status_code == 302
    person = WaitlistEntry.objects.get(person__email="teo@example.org").person
    assert person.guardian_email == "marta@example.org"


def test_a_place_offered_to_an_email_only_entry_asks_the_name_when_taken(
    client, desk, full, django_capture_on_commit_callbacks
):
    join = url("waitlist_join", desk.hub, service_id=desk.service.pk)
    data = {"place": "hub", "email": "anna@example.org", "birth_date": "2003-05-04", "privacy": "on"}
    client.post(join, data)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=full.taken)
    entry = WaitlistEntry.objects.get(person__email="anna@example.org")
    assert entry.status == WaitlistEntry.Status.OFFERED
    claim = url("waitlist_claim", desk.hub, token=tokens.make(tokens.CLAIM, entry.pk))
    assert 'id="id_first_name"' in client.get(claim).content.decode()
    refused = client.post(claim, {"first_name": "", "last_name": ""})
    assert refused.status_code == 200 and refused.context["name_form"].errors
    assert not Booking.objects.filter(person=entry.person).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(claim, {"first_name": "Anna", "last_name": "Bassi"})
    booking = Booking.objects.get(person=entry.person)
    assert booking.status == Booking.Status.CONFIRMED
    assert (booking.person.first_name, booking.person.last_name) == ("Anna", "Bassi")


# --- Enquiries -----------------------------------------------------------------------------------


def test_an_enquiry_is_acknowledged_by_email_with_a_copy_of_the_question(
    client, desk, django_capture_on_commit_callbacks
):
    page = url("enquiry_create", desk.hub)
    data = {
        "name": "Sara",
        "email": "sara@example.org",
        "subject": "Corsi estivi",
        "message": "Ci sono corsi d'estate?\nGrazie",
        "privacy": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page, data)
    ack = [m for m in mail.outbox if m.to == ["sara@example.org"]]
    assert len(ack) == 1
    assert "Corsi estivi" in ack[0].subject
    assert "Ci sono corsi d'estate?\nGrazie" in ack[0].body


def test_the_reply_carries_one_greeting_the_staffs(client, desk, django_capture_on_commit_callbacks):
    from hubs.models import Role
    from hubs.tests.factories import MembershipFactory

    enquiry = Enquiry.objects.create(
        hub=desk.hub,
        name="Sara",
        email="sara@example.org",
        subject="Corsi",
        message="Ci sono?",
        language="it",
    )
    staff = MembershipFactory(hub=desk.hub, role=Role.OPERATOR).user
    client.force_login(staff)
    detail = reverse("deskbo:enquiry_detail", args=[desk.hub.slug, enquiry.pk])
    form = client.get(detail).context["reply_form"]
    assert form.initial["reply"] == "Ciao Sara,\n\n"  # in the asker's language
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail, {"action": "reply", "reply": "Ciao Sara,\n\nsì, a luglio."})
    reply = [m for m in mail.outbox if m.to == ["sara@example.org"] and m.subject.startswith("Re:")]
    assert len(reply) == 1
    assert reply[0].body.startswith("Ciao Sara,\n\nsì, a luglio.")
    assert reply[0].body.count("Ciao Sara") == 1


# --- The services ---------------------------------------------------------------------------------


def test_a_service_without_dates_says_so_and_offers_the_waiting_list_or_the_desk(client, desk, full):
    ServiceFactory(hub=desk.hub, name="Senza date")
    free = ServiceFactory(hub=desk.hub, name="Con posti")
    SlotFactory(service=free, starts_at=at(4, 10))
    html = client.get(url("book_service", desk.hub)).content.decode()

    def card(name):
        start = html.index(f">{name}</h2>")
        return html[start : html.index("</li>", start)]

    assert reverse("desk:book_slots", args=[desk.hub.slug, free.pk]) in card("Con posti")
    full_card = card(desk.service.name)
    assert "Fully booked" in full_card
    assert reverse("desk:waitlist_join", args=[desk.hub.slug, desk.service.pk]) in full_card
    assert reverse("desk:book_slots", args=[desk.hub.slug, desk.service.pk]) not in full_card
    idle_card = card("Senza date")
    assert "No dates at the moment" in idle_card and "Choose a date" not in idle_card
    assert reverse("desk:enquiry_create", args=[desk.hub.slug]) in idle_card


def test_the_hub_page_links_each_bookable_service(client, desk):
    from desk.tests.factories import RuleFactory

    RuleFactory(service=desk.service)
    html = client.get(reverse("hub_public", args=[desk.hub.slug])).content.decode()
    link = reverse("desk:book_slots", args=[desk.hub.slug, desk.service.pk])
    assert f'<a href="{link}">{desk.service.name}</a>' in html


def test_the_staffs_waiting_list_names_an_email_only_entry_by_its_address(client, desk, full):
    from hubs.models import Role
    from hubs.tests.factories import MembershipFactory

    person = PersonFactory(first_name="", last_name="", email="anna@example.org")
    WaitlistEntryFactory(service=desk.service, channel=Channel.HUB, person=person)
    client.force_login(MembershipFactory(hub=desk.hub, role=Role.OPERATOR).user)
    html = client.get(reverse("deskbo:waitlist", args=[desk.hub.slug])).content.decode()
    assert ">anna@example.org</a>" in html
