"""The desk's public pages: book as a guest or with an account, manage, wait, ask."""

import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from desk import services, tokens
from desk.models import Booking, Channel, Enquiry, WaitlistEntry
from desk.tests.factories import BookingFactory, ServiceFactory, SlotFactory, WaitlistEntryFactory
from hubs.tests.factories import AntennaFactory, HubFactory, MunicipalityFactory
from people.models import Person
from people.tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    """Pages in English: the texts asserted below are msgids, whatever the Italian catalogue says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def url(name, hub, **kwargs):
    return reverse(f"desk:{name}", kwargs={"hub_slug": hub.slug, **kwargs})


def years_before(day: date, years: int) -> date:
    return day.replace(year=day.year - years)


def form_data(**overrides):
    data = {
        "first_name": "Giulia",
        "last_name": "Rossi",
        "email": "giulia@example.org",
        "phone": "",
        "birth_date": "2004-03-01",
        "gender": "female",
        "municipality": "",
        "status": "student",
        "education": "upper_secondary",
        "reason": "Vorrei scegliere l'università",
        "language": "it",
        "privacy": "on",
    }
    return data | overrides


def link_in(message, name) -> str:
    """The path of the desk link `name` (booking_verify, waitlist_claim…) in an e-mail."""
    pattern = {
        "booking_verify": r"/prenota/conferma/[^/\s]+/",
        "booking_manage": r"/prenotazione/[^/\s]+/",
        "waitlist_claim": r"/lista-attesa/offerta/[^/\s]+/",
    }[name]
    found = re.search(re.escape(settings.SITE_URL) + r"(/[\w-]+" + pattern + ")", message.body)
    assert found, f"no {name} link in:\n{message.body}"
    return found.group(1)


@pytest.fixture
def desk(db):
    """A hub with a service and two free sessions at the hub, three days from now."""
    hub = HubFactory(address="Via Civerchi 9, Crema", phone="0373 123456")
    service = ServiceFactory(hub=hub, name="Orientamento scolastico")
    start = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    slot = SlotFactory(service=service, starts_at=start, capacity=1)
    other = SlotFactory(service=service, starts_at=start + timedelta(days=1), capacity=1)
    return type("Desk", (), {"hub": hub, "service": service, "slot": slot, "other": other})


# --- Choosing -----------------------------------------------------------------------------------


def test_service_choice_lists_the_bookable_services_only(client, desk):
    ServiceFactory(hub=desk.hub, name="Servizio sospeso", is_active=False)
    ServiceFactory(name="Servizio di un altro hub")
    response = client.get(url("book_service", desk.hub))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Orientamento scolastico" in html
    assert "Servizio sospeso" not in html and "Servizio di un altro hub" not in html
    assert url("book_slots", desk.hub, service_id=desk.service.pk) in html
    assert url("enquiry_create", desk.hub) in html
    assert reverse("desk:my_bookings") not in html  # only for signed-in users


def test_slot_choice_groups_by_day_and_switches_channel(client, desk):
    antenna = AntennaFactory(hub=desk.hub, name="Antenna di Castelleone")
    online = SlotFactory(service=desk.service, channel=Channel.ONLINE, capacity=1)
    at_antenna = SlotFactory(service=desk.service, channel=Channel.ANTENNA, antenna=antenna)
    page = url("book_slots", desk.hub, service_id=desk.service.pk)

    html = client.get(page).content.decode()  # the hub is the default place
    assert url("book_form", desk.hub, slot_id=desk.slot.pk) in html
    assert url("book_form", desk.hub, slot_id=online.pk) not in html
    local = timezone.localtime(desk.slot.starts_at)
    assert f"{local:%H:%M}" in html  # Europe/Rome
    assert 'name="channel"' in html and "Antenna di Castelleone" in html
    assert 'hx-get="' in html and 'hx-target="#slot-list"' in html
    assert 'type="submit"' in html  # works without JavaScript

    html = client.get(page, {"channel": "online"}).content.decode()
    assert url("book_form", desk.hub, slot_id=online.pk) in html
    assert url("book_form", desk.hub, slot_id=desk.slot.pk) not in html

    html = client.get(page, {"channel": "antenna", "antenna": antenna.pk}).content.decode()
    assert url("book_form", desk.hub, slot_id=at_antenna.pk) in html


def test_htmx_gets_only_the_slot_list(client, desk):
    response = client.get(
        url("book_slots", desk.hub, service_id=desk.service.pk),
        {"channel": "hub"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "<html" not in html and "<h1" not in html
    assert url("book_form", desk.hub, slot_id=desk.slot.pk) in html
    assert 'hx-swap-oob="innerHTML"' in html
    assert "HX-Request" in response["Vary"]


def test_a_full_channel_offers_the_waiting_list(client, desk):
    for slot in (desk.slot, desk.other):
        BookingFactory(slot=slot)
    html = client.get(url("book_slots", desk.hub, service_id=desk.service.pk)).content.decode()
    assert url("waitlist_join", desk.hub, service_id=desk.service.pk) + "?channel=hub" in html


def test_an_inactive_service_is_404(client, world):
    world.a.service.is_active = False
    world.a.service.save()
    assert client.get(url("book_slots", world.a.hub, service_id=world.a.service.pk)).status_code == 404


def test_slot_list_queries_do_not_grow_with_the_slots(client, desk, django_assert_max_num_queries, settings):
    settings.YIP_PUBLIC_PAGE_CACHE = False  # the page as rendered, not as served from the cache
    page = url("book_slots", desk.hub, service_id=desk.service.pk)
    client.get(page)
    with django_assert_max_num_queries(8) as few:
        assert client.get(page).status_code == 200
    base = timezone.now() + timedelta(days=5)
    for n in range(40):
        SlotFactory(service=desk.service, starts_at=base + timedelta(hours=n), capacity=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(page)
    assert response.context["slot_count"] == 42


# --- Booking as a guest -------------------------------------------------------------------------


def test_guest_books_confirms_by_email_and_gets_a_calendar_file(
    client, desk, django_capture_on_commit_callbacks
):
    form_url = url("book_form", desk.hub, slot_id=desk.slot.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            form_url, form_data(hub=999, status_override="confirmed", language="it")
        )  # tampered extras: ignored
    assert response.status_code == 302
    assert response.url.startswith(
        url("book_form", desk.hub, slot_id=desk.slot.pk).replace(f"sessione/{desk.slot.pk}/", "inviata/")
    )
    booking = Booking.objects.get(slot=desk.slot)
    assert booking.status == Booking.Status.PENDING and booking.hub == desk.hub
    assert booking.language == "it"  # the form's choice, not the page's language
    assert booking.person.email == "giulia@example.org"
    assert booking.reason == "Vorrei scegliere l'università"

    sent_page = client.get(response.url).content.decode()
    assert "giulia@example.org" in sent_page  # "check your e-mail" names the address it went to

    assert len(mail.outbox) == 1
    verify = link_in(mail.outbox[0], "booking_verify")
    # Opening the link (or a mail scanner prefetching it) does not confirm.
    page = client.get(verify)
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(verify)
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    confirmation = mail.outbox[-1]
    name, content, mimetype = confirmation.attachments[0]
    ics = content.decode() if isinstance(content, bytes) else content
    assert mimetype.startswith("text/calendar")
    assert "DTSTART" in ics and "Orientamento scolastico" in ics

    done = client.get(response.url).content.decode()
    assert url("booking_manage", desk.hub, token="x")[:-2] in done  # the manage link is there
    manage = link_in(confirmation, "booking_manage")
    assert client.get(manage).status_code == 200


def test_missing_and_wrong_fields_are_flagged_next_to_them(client, desk):
    response = client.post(
        url("book_form", desk.hub, slot_id=desk.slot.pk),
        form_data(first_name="", email="not-an-email", reason="x" * 1001, privacy=""),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert {"first_name", "email", "reason", "privacy"} <= set(form.errors)
    html = response.content.decode()
    assert 'id="id_email-error"' in html and 'aria-invalid="true"' in html
    assert "novalidate" in html
    assert not Booking.objects.filter(slot=desk.slot).exists()
    assert not Person.objects.filter(first_name="Giulia").exists()


@pytest.mark.parametrize(
    ("years", "message"),
    [
        (-1, "future"),
        (8, "aged 10 to 40"),
        (45, "aged 10 to 40"),
    ],
)
def test_dates_of_birth_out_of_range_are_refused(client, desk, years, message):
    today = timezone.localdate()
    born = today + timedelta(days=30) if years < 0 else years_before(today, years)
    response = client.post(
        url("book_form", desk.hub, slot_id=desk.slot.pk), form_data(birth_date=born.isoformat())
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["birth_date"])
    assert not Booking.objects.filter(slot=desk.slot).exists()


def test_under_14_on_the_session_day_needs_a_parent_or_guardian(
    client, desk, django_capture_on_commit_callbacks
):
    session_day = timezone.localdate(desk.slot.starts_at)
    born = years_before(session_day, 12).isoformat()
    form_url = url("book_form", desk.hub, slot_id=desk.slot.pk)
    response = client.post(form_url, form_data(birth_date=born))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"guardian_name", "guardian_email"} == {"guardian_name", "guardian_email"} & set(errors)
    html = response.content.decode()
    assert 'id="id_guardian_name-error"' in html and "2-quinquies" in html
    assert "guardian_consent" not in html  # the consent is not a box the child ticks

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            form_url,
            form_data(birth_date=born, guardian_name="Marta Rossi", guardian_email="marta@example.org"),
        )
    assert response.status_code == 302
    booking = Booking.objects.get(slot=desk.slot)
    assert booking.person.guardian_name == "Marta Rossi" and booking.person.guardian_consent_at is None
    assert booking.status == Booking.Status.PENDING


def test_fourteen_on_the_session_day_needs_no_guardian(client, desk):
    session_day = timezone.localdate(desk.slot.starts_at)
    response = client.post(
        url("book_form", desk.hub, slot_id=desk.slot.pk),
        form_data(birth_date=years_before(session_day, 14).isoformat()),
    )
    assert response.status_code == 302


def test_a_full_or_past_session_says_so_and_links_back(client, desk):
    BookingFactory(slot=desk.slot)
    form_url = url("book_form", desk.hub, slot_id=desk.slot.pk)
    back = url("book_slots", desk.hub, service_id=desk.service.pk) + "?channel=hub"
    for response in (client.get(form_url), client.post(form_url, form_data())):
        html = response.content.decode()
        assert response.status_code == 200
        assert "no longer available" in html and back in html
    assert Booking.objects.filter(slot=desk.slot).count() == 1

    past = SlotFactory(service=desk.service, starts_at=timezone.now() - timedelta(hours=2))
    html = client.get(url("book_form", desk.hub, slot_id=past.pk)).content.decode()
    assert "no longer available" in html


def test_a_refused_booking_becomes_a_form_error(client, desk):
    desk.slot.capacity = 2
    desk.slot.save()
    user = UserFactory()
    client.force_login(user)
    form_url = url("book_form", desk.hub, slot_id=desk.slot.pk)
    assert client.post(form_url, form_data()).status_code == 302
    response = client.post(form_url, form_data())  # the same person, the same session
    assert response.status_code == 200
    assert "already booked" in " ".join(response.context["form"].non_field_errors())
    assert Booking.objects.filter(slot=desk.slot).count() == 1


def test_a_session_of_another_hub_is_404(client, world):
    other = url("book_form", world.a.hub, slot_id=world.b.slot.pk)
    assert client.get(other).status_code == 404
    assert client.post(other, form_data()).status_code == 404
    assert not Booking.objects.filter(slot=world.b.slot, person__first_name="Giulia").exists()


# --- Booking with an account ----------------------------------------------------------------


def test_account_holder_is_prefilled_and_confirmed_at_once(client, desk, django_capture_on_commit_callbacks):
    user = UserFactory(email="luca@example.org")
    PersonFactory(user=user, email=user.email, first_name="Luca", last_name="Bianchi")
    client.force_login(user)
    form_url = url("book_form", desk.hub, slot_id=desk.slot.pk)
    form = client.get(form_url).context["form"]
    assert form.initial["first_name"] == "Luca"
    assert form.fields["email"].disabled

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            form_url, form_data(first_name="Luca", last_name="Bianchi", email="someone-else@example.org")
        )
    booking = Booking.objects.get(slot=desk.slot)
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.person.user == user and booking.person.email == "luca@example.org"
    assert Person.objects.filter(user=user).count() == 1
    assert response.status_code == 302 and "/prenotazione/" in response.url
    assert len(mail.outbox) == 1 and mail.outbox[0].attachments  # the confirmation, with .ics
    assert mail.outbox[0].to == ["luca@example.org"]


# --- Verify, manage, move, cancel -----------------------------------------------------------------


def manage_path(booking):
    return url("booking_manage", booking.hub, token=tokens.make(tokens.MANAGE, booking.pk))


def manages(path: str, booking) -> bool:
    """The link opens this booking's manage page (links signed a second apart differ as text)."""
    from django.urls import resolve

    match = resolve(path.split("?")[0])
    token = match.kwargs.get("token", "")
    return match.url_name == "booking_manage" and tokens.read(tokens.MANAGE, token, 3600) == booking.pk


def manage_links_in(html: str) -> list[str]:
    return re.findall(r'href="(/[^"]*/prenotazione/[^"/]+/)"', html)


@pytest.mark.parametrize("name", ["booking_verify", "booking_manage", "booking_reschedule", "waitlist_claim"])
def test_tampered_links_get_a_friendly_404(client, desk, name):
    booking = BookingFactory(slot=desk.slot)
    good = tokens.make(tokens.MANAGE, booking.pk)
    for token in ("not-a-token", good[:-3] + "abc"):
        response = client.get(url(name, desk.hub, token=token))
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()


def test_a_token_for_another_purpose_or_hub_is_404(client, world):
    booking = world.b.booking
    verify = tokens.make(tokens.VERIFY, booking.pk)
    manage = tokens.make(tokens.MANAGE, booking.pk)
    assert client.get(url("booking_manage", world.b.hub, token=verify)).status_code == 404
    assert client.get(url("booking_manage", world.a.hub, token=manage)).status_code == 404
    assert client.post(url("booking_manage", world.a.hub, token=manage)).status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert client.get(url("booking_manage", world.b.hub, token=manage)).status_code == 200


def test_manage_link_stops_when_the_session_is_over(client, desk):
    slot = SlotFactory(service=desk.service, starts_at=timezone.now() - timedelta(hours=3))
    booking = BookingFactory(slot=slot)
    response = client.get(manage_path(booking))
    assert response.status_code == 404 and "session is over" in response.content.decode()


def test_cancel_outside_the_notice_asks_first_then_cancels(client, desk):
    booking = BookingFactory(slot=desk.slot)
    page = manage_path(booking)
    html = client.get(page).content.decode()
    assert "?cancel=1" in html and page + "sposta/" in html
    assert 'method="post"' in client.get(page, {"cancel": "1"}).content.decode()
    response = client.post(page)
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    html = client.get(page).content.decode()
    assert "This booking is cancelled" in html and "?cancel=1" not in html


def test_cancel_inside_the_notice_is_refused_with_the_message(client, desk):
    soon = SlotFactory(service=desk.service, starts_at=timezone.now() + timedelta(hours=5))
    booking = BookingFactory(slot=soon)
    page = manage_path(booking)
    assert "24 hours" in client.get(page).content.decode()
    response = client.post(page)
    assert response.status_code == 200
    assert "24 hours before the session" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_reschedule_moves_the_booking_to_another_session(client, desk):
    booking = BookingFactory(slot=desk.slot)
    token = tokens.make(tokens.MANAGE, booking.pk)
    page = url("booking_reschedule", desk.hub, token=token)
    html = client.get(page).content.decode()
    assert f'value="{desk.other.pk}"' in html and f'value="{desk.slot.pk}"' not in html
    response = client.post(page, {"slot": desk.other.pk})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED and booking.slot == desk.other
    assert Booking.objects.filter(person=booking.person).count() == 1
    assert response.url == url("booking_manage", desk.hub, token=token)  # the same link


def test_reschedule_refuses_a_session_of_another_service_or_hub(client, world):
    booking = world.a.booking
    page = url("booking_reschedule", world.a.hub, token=tokens.make(tokens.MANAGE, booking.pk))
    other_service = SlotFactory(service=ServiceFactory(hub=world.a.hub))
    assert client.post(page, {"slot": other_service.pk}).status_code == 404
    assert client.post(page, {"slot": world.b.slot.pk}).status_code == 404
    assert client.post(page, {"slot": "x"}).status_code == 200
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_reschedule_inside_the_notice_is_refused(client, desk):
    soon = SlotFactory(service=desk.service, starts_at=timezone.now() + timedelta(hours=5))
    booking = BookingFactory(slot=soon)
    page = url("booking_reschedule", desk.hub, token=tokens.make(tokens.MANAGE, booking.pk))
    response = client.post(page, {"slot": desk.other.pk})
    assert response.status_code == 200
    assert "hours before the session" in response.content.decode()
    assert not Booking.objects.filter(slot=desk.other).exists()


# --- Waiting list --------------------------------------------------------------------------------


def test_waiting_list_offer_is_claimed_by_its_link(client, desk, django_capture_on_commit_callbacks):
    taken = BookingFactory(slot=desk.slot)
    BookingFactory(slot=desk.other)
    join = url("waitlist_join", desk.hub, service_id=desk.service.pk)
    form = client.get(join, {"channel": "hub"}).context["form"]
    assert form.initial["place"] == "hub"
    data = form_data(place="hub", email="attesa@example.org")
    response = client.post(join + "?channel=hub", data)
    assert response.status_code == 302 and "/lista-attesa/esci/" in response.url
    assert "waiting list" in client.get(response.url).content.decode()
    entry = WaitlistEntry.objects.for_hub(desk.hub).get()
    assert entry.channel == Channel.HUB and entry.status == WaitlistEntry.Status.WAITING

    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=taken)  # a place frees up: it is offered by e-mail
    offer = next(m for m in mail.outbox if m.to == ["attesa@example.org"])
    claim = link_in(offer, "waitlist_claim")
    page = client.get(claim)
    assert page.status_code == 200 and 'method="post"' in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(claim, {"first_name": "Anna", "last_name": "Bassi"})
    booking = Booking.objects.get(slot=desk.slot, status=Booking.Status.CONFIRMED)
    assert booking.person.email == "attesa@example.org"
    assert booking.source == Booking.Source.WAITLIST
    assert manages(response.url, booking)
    # The link again: the place is taken, the page says so and leads to the booking.
    html = client.get(claim).content.decode()
    assert "You took this place" in html
    assert any(manages(link, booking) for link in manage_links_in(html))


def test_an_expired_offer_says_so(client, desk):
    entry = WaitlistEntryFactory(
        service=desk.service,
        status=WaitlistEntry.Status.OFFERED,
        offered_slot=desk.slot,
        offer_expires_at=timezone.now() - timedelta(minutes=1),
    )
    claim = url("waitlist_claim", desk.hub, token=tokens.make(tokens.CLAIM, entry.pk))
    html = client.get(claim).content.decode()
    assert "no longer valid" in html
    response = client.post(claim)
    assert response.status_code == 200 and "expired" in response.content.decode()
    assert not Booking.objects.filter(person=entry.person).exists()


def test_waiting_list_refuses_a_place_of_another_hub(client, world):
    antenna_b = AntennaFactory(hub=world.b.hub)
    SlotFactory(service=world.a.service, channel=Channel.ANTENNA, antenna=world.a.antenna)
    join = url("waitlist_join", world.a.hub, service_id=world.a.service.pk)
    response = client.post(join, form_data(place=f"antenna:{antenna_b.pk}"))
    assert response.status_code == 200 and "place" in response.context["form"].errors
    assert not WaitlistEntry.objects.exists()


# --- Ask the desk ---------------------------------------------------------------------------------


def test_enquiry_is_created_for_the_hub(client, desk):
    page = url("enquiry_create", desk.hub)
    response = client.post(
        page,
        {
            "name": "Sara",
            "email": "sara@example.org",
            "subject": "Corsi estivi",
            "message": "Ci sono corsi?",
            "privacy": "on",
            "hub": 999,
        },
    )
    assert response.status_code == 302 and response.url == page + "?sent=1"
    enquiry = Enquiry.objects.get(subject="Corsi estivi")
    assert enquiry.hub == desk.hub and enquiry.person is None
    assert "Thank you" in client.get(response.url).content.decode()


def test_enquiry_checks_its_fields_and_links_the_account_holder(client, desk):
    page = url("enquiry_create", desk.hub)
    response = client.post(page, {"name": "Sara", "email": "sara@", "subject": "", "message": "x" * 3001})
    assert {"email", "subject", "message", "privacy"} <= set(response.context["form"].errors)
    user = UserFactory(email="tom@example.org")
    person = PersonFactory(user=user, email=user.email)
    client.force_login(user)
    client.post(
        page,
        {"name": "Tom", "email": "x@example.org", "subject": "Domanda", "message": "Ciao", "privacy": "on"},
    )
    enquiry = Enquiry.objects.get(subject="Domanda")
    assert enquiry.person == person and enquiry.email == "tom@example.org"


# --- My bookings -----------------------------------------------------------------------------------


def test_my_bookings_lists_only_mine_upcoming_first(client, desk):
    user = UserFactory()
    me = PersonFactory(user=user, email=user.email)
    past_slot = SlotFactory(service=desk.service, starts_at=timezone.now() - timedelta(days=2))
    past = BookingFactory(slot=past_slot, person=me, status=Booking.Status.ATTENDED)
    mine = BookingFactory(slot=desk.other, person=me)
    BookingFactory(slot=desk.slot)  # someone else's
    client.force_login(user)
    response = client.get(reverse("desk:my_bookings"))
    assert response.status_code == 200
    assert response.context["upcoming"] == [mine]
    assert response.context["past"] == [past]
    html = response.content.decode()
    assert any(manages(link, mine) for link in manage_links_in(html))


def test_my_bookings_empty_and_closed_to_anonymous(client):
    response = client.get(reverse("desk:my_bookings"))
    assert response.status_code == 302 and reverse("account_login") in response.url
    client.force_login(UserFactory())
    html = client.get(reverse("desk:my_bookings")).content.decode()
    assert "You have no session coming up" in html


def test_the_municipality_list_is_the_hubs_territory(client, desk):
    from hubs.tests.factories import SubAreaFactory

    town, elsewhere = MunicipalityFactory(name="Castelleone"), MunicipalityFactory(name="Lecco")
    SubAreaFactory(hub=desk.hub).municipalities.add(town)
    form_url = url("book_form", desk.hub, slot_id=desk.slot.pk)
    choices = list(client.get(form_url).context["form"].fields["municipality"].queryset)
    assert town in choices and elsewhere not in choices
    response = client.post(form_url, form_data(municipality=elsewhere.pk))
    assert "municipality" in response.context["form"].errors
    response = client.post(form_url, form_data(municipality=town.pk))
    assert response.status_code == 302
    assert Booking.objects.get(slot=desk.slot).person.municipality == town


def test_the_language_defaults_to_the_page_and_follows_the_form(client, desk):
    form_url = url("book_form", desk.hub, slot_id=desk.slot.pk)
    assert client.get(form_url).context["form"]["language"].value() == "en"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "it"
    assert client.get(form_url).context["form"]["language"].value() == "it"
    client.post(form_url, form_data(language="en"))
    assert Booking.objects.get(slot=desk.slot).language == "en"


def test_only_what_holds_the_place_is_required(client, desk):
    response = client.get(url("book_form", desk.hub, slot_id=desk.slot.pk))
    form = response.context["form"]
    required = {name for name, field in form.fields.items() if field.required and not field.disabled}
    assert required == {"first_name", "last_name", "email", "birth_date", "privacy", "language"}
    assert "For our statistics (optional)" in response.content.decode()
    short = form_data(gender="", status="", education="", reason="")
    assert client.post(url("book_form", desk.hub, slot_id=desk.slot.pk), short).status_code == 302
    person = Booking.objects.get(slot=desk.slot).person
    assert (person.gender, person.status, person.education) == ("unsaid", "", "")
