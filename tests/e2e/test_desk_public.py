"""
The online desk in a real browser at phone width: a guest books a session, confirms it from the
e-mail, moves it and cancels it; every public desk page passes axe-core, empty, filled and with
errors.
"""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from desk import tokens
from desk.models import Booking, Channel, WaitlistEntry
from desk.tests.factories import BookingFactory, ServiceFactory, SlotFactory, WaitlistEntryFactory
from hubs.tests.factories import AntennaFactory, HubFactory
from people.tests.factories import PersonFactory, UserFactory

from .conftest import PHONE, axe_violations, link_from_mail, screenshot
from .test_backoffice_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def at(days: int, hour: int, minute: int = 0) -> datetime:
    """An aware moment `days` from today at a local (Europe/Rome) time."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def desk(db):
    hub = HubFactory(
        slug="crema", name="Orientagiovani Crema", address="Via Civerchi 9, Crema", phone="0373 218820"
    )
    antenna = AntennaFactory(hub=hub, name="Antenna di Castelleone")
    service = ServiceFactory(
        hub=hub,
        name="Orientamento scolastico",
        description="Scegliere la scuola superiore o l'università, con un orientatore.",
    )
    ServiceFactory(hub=hub, name="Curriculum e lettera", description="Un aiuto a scriverli.")
    slots = []
    for days in (2, 3, 5):
        for hour in (10, 11, 15):
            slots.append(SlotFactory(service=service, starts_at=at(days, hour), capacity=1))
    SlotFactory(
        service=service, channel=Channel.ANTENNA, antenna=antenna, starts_at=at(4, 14, 30), capacity=3
    )
    SlotFactory(
        service=service,
        channel=Channel.ONLINE,
        starts_at=at(3, 17),
        video_url="https://meet.example.org/ig40",
    )
    return type("Desk", (), {"hub": hub, "antenna": antenna, "service": service, "slots": slots})


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def check_page(page, name: str) -> None:
    """Screenshot, axe-core, and nothing wider than the phone."""
    screenshot(page, f"desk-{name}")
    assert axe_violations(page) == [], name
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name


def test_a_guest_books_confirms_moves_and_cancels_on_a_phone(live_server, desk, phone):
    hub, service = desk.hub, desk.service
    phone.goto(live_server.url + reverse("desk:book_service", kwargs={"hub_slug": hub.slug}))
    check_page(phone, "services")
    phone.locator(f"a[href$='/prenota/{service.pk}/']").click()

    # The sessions at the hub come first, as a month calendar: the first day with free times is
    # chosen and its times shown; choosing the antenna refreshes the calendar (htmx).
    phone.wait_for_url(f"**/prenota/{service.pk}/")
    expect(phone.locator("#slot-status")).to_contain_text("9")
    expect(phone.locator("#times a.btn")).to_have_count(3)
    check_page(phone, "slots-hub")
    phone.locator("label[for=channel-antenna]").check()
    phone.wait_for_url("**channel=antenna**")
    expect(phone.locator("#times a.btn")).to_have_count(1)
    expect(phone.locator("#slot-status")).to_contain_text("Antenna di Castelleone")
    phone.locator("label[for=channel-hub]").check()
    expect(phone.locator("#times a.btn")).to_have_count(3)
    check_page(phone, "slots-after-htmx")
    first = desk.slots[0]
    phone.locator(f"#slot-list a[href$='/prenota/sessione/{first.pk}/']").click()

    # The form: sent empty, every field says what is wrong.
    phone.wait_for_url(f"**/prenota/sessione/{first.pk}/")
    check_page(phone, "form")
    phone.locator("main form button[type=submit]").click()
    expect(phone.locator("#id_first_name")).to_have_attribute("aria-invalid", "true")
    expect(phone.locator("#id_privacy-error")).to_be_visible()
    check_page(phone, "form-errors")

    # Under 14 the guardian's fields appear; an adult does not see them.
    guardian = phone.locator("#guardian-fields")
    born_12 = timezone.localdate() - timedelta(days=365 * 12)
    fill_birth_date(phone, born_12)
    expect(guardian).to_be_visible()
    fill_birth_date(phone, "2004-03-01")
    expect(guardian).to_be_hidden()

    fill_person(phone)
    phone.locator("#id_reason").fill("Vorrei capire quale università scegliere.")
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url("**/prenota/inviata/**")
    check_page(phone, "sent")

    # The confirmation link comes by e-mail, to the address typed in the form.
    verify = link_from_mail(live_server.url, r"/prenota/conferma/[^/\s]+/", to="giulia@example.org")
    phone.goto(verify)
    check_page(phone, "verify")
    assert Booking.objects.get(slot=first).status == Booking.Status.PENDING  # GET changes nothing
    phone.locator("main form button[type=submit]").click()
    expect(phone.locator("main .alert-success")).to_be_visible()
    assert Booking.objects.get(slot=first).status == Booking.Status.CONFIRMED
    check_page(phone, "verified")

    # Manage: move to another session, then cancel.
    phone.locator("main a[href*='/prenotazione/']:not([download])").click()
    phone.wait_for_url("**/prenotazione/**")
    check_page(phone, "manage")
    phone.locator("main a[href$='/sposta/']").click()
    phone.wait_for_url("**/sposta/")
    check_page(phone, "reschedule")
    target = desk.slots[4]
    manage_page = phone.url.removesuffix("sposta/")
    choose_day(phone, timezone.localdate(target.starts_at))
    phone.locator(f"label[for=slot-{target.pk}]").check()
    expect(phone.locator(f"#slot-{target.pk}")).to_be_checked()
    phone.locator("main form[method=post] button[type=submit]").click()
    # (the browser keeps the calendar's "#times" across the redirect)
    phone.wait_for_url(re.compile(r"/prenotazione/[^/]+/(#times)?$"))
    assert phone.url.removesuffix("#times") == manage_page  # a move is a move: the same link
    moved = Booking.objects.get(slot=target)
    assert moved.status == Booking.Status.CONFIRMED and moved.sequence == 1
    assert not Booking.objects.filter(slot=first).exists()
    link_from_mail(live_server.url, r"/prenotazione/[^/\s]+/", to="giulia@example.org")
    check_page(phone, "moved")

    phone.locator("main a[href$='?cancel=1']").click()
    phone.wait_for_url("**?cancel=1")
    check_page(phone, "cancel-confirm")
    phone.locator("main form button.btn-danger").click()
    expect(phone.locator("main .alert-info")).to_have_text("Questa prenotazione è annullata.")
    moved.refresh_from_db()
    assert moved.status == Booking.Status.CANCELLED
    check_page(phone, "cancelled")


def test_a_13_year_olds_booking_waits_for_the_guardians_link_on_a_phone(live_server, desk, phone):
    slot = desk.slots[0]
    session_day = timezone.localdate(slot.starts_at)
    born = session_day.replace(year=session_day.year - 14) + timedelta(days=1)  # 13 years 364 days
    phone.goto(live_server.url + reverse("desk:book_form", args=[desk.hub.slug, slot.pk]))
    fill_person(phone)
    fill_birth_date(phone, born)
    expect(phone.locator("#guardian-fields")).to_be_visible()
    expect(phone.locator("#id_guardian_consent")).to_have_count(0)  # no box for the child to tick
    phone.locator("#id_guardian_name").fill("Marta Rossi")
    phone.locator("#id_guardian_email").fill("marta@example.org")
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url("**/prenota/inviata/**")

    phone.goto(link_from_mail(live_server.url, r"/prenota/conferma/[^/\s]+/", to="giulia@example.org"))
    phone.locator("main form button[type=submit]").click()
    expect(phone.locator("main .alert-info")).to_contain_text("marta@example.org")
    check_page(phone, "waiting-guardian")
    booking = Booking.objects.get(slot=slot)
    assert booking.status == Booking.Status.GUARDIAN

    phone.goto(link_from_mail(live_server.url, r"/prenota/consenso/[^/\s]+/", to="marta@example.org"))
    check_page(phone, "guardian-consent")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.GUARDIAN  # opening the link changes nothing
    phone.locator("main form button[type=submit]").click()
    expect(phone.locator("main .alert-success")).to_be_visible()
    check_page(phone, "guardian-consented")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED and booking.guardian_consent_at is not None


def fill_birth_date(page, born) -> None:
    """The date of birth as a person types it on a phone: day, month and year."""
    born = date.fromisoformat(born) if isinstance(born, str) else born
    page.locator("#id_birth_date_0").fill(str(born.day))
    page.locator("#id_birth_date_1").fill(str(born.month))
    page.locator("#id_birth_date_2").fill(str(born.year))


def choose_day(page, day) -> None:
    """Open a day of the month calendar (the next month first, if the day is in it)."""
    link = page.locator(f"#calendar a[href*='day={day.isoformat()}']")
    if not link.count():
        page.locator("#calendar .desk-month-nav a").last.click()
    link.click()
    expect(page.locator("#calendar [aria-current=date]")).to_have_attribute(
        "href", re.compile(day.isoformat())
    )


def fill_person(page) -> None:
    page.locator("#id_first_name").fill("Giulia")
    page.locator("#id_last_name").fill("Rossi")
    page.locator("#id_email").fill("giulia@example.org")
    fill_birth_date(page, "2004-03-01")
    page.locator("#id_gender").select_option("female")
    page.locator("#id_status").select_option("student")
    page.locator("#id_education").select_option("upper_secondary")
    tick(page, "id_privacy")


def tick(page, field_id: str) -> None:
    """
    Tick a checkbox as a person does: Bootstrap Italia hides the input under the box it draws at
    the start of the label (and the privacy label has a link in its middle), so click that box.
    """
    page.locator(f"label[for={field_id}]").check(position={"x": 10, "y": 12})
    expect(page.locator(f"#{field_id}")).to_be_checked()


def test_every_desk_page_passes_axe_empty_filled_and_with_errors(live_server, desk, phone):
    hub = desk.hub
    empty_hub = HubFactory(slug="cremona", name="Informagiovani Cremona")
    idle = ServiceFactory(hub=hub, name="Servizio senza sessioni")
    full = ServiceFactory(hub=hub, name="Servizio al completo")
    BookingFactory(slot=SlotFactory(service=full, starts_at=at(2, 9), capacity=1))
    booking = BookingFactory(slot=desk.slots[1])
    soon = BookingFactory(
        slot=SlotFactory(service=desk.service, starts_at=timezone.now() + timedelta(hours=3))
    )
    entry = WaitlistEntryFactory(
        service=desk.service,
        status=WaitlistEntry.Status.OFFERED,
        offered_slot=desk.slots[2],
        offer_expires_at=timezone.now() + timedelta(hours=6),
    )
    lapsed = WaitlistEntryFactory(
        service=desk.service,
        status=WaitlistEntry.Status.LAPSED,
        offered_slot=desk.slots[2],
        offer_expires_at=timezone.now() - timedelta(hours=1),
    )

    def desk_url(name, **kwargs):
        return live_server.url + reverse(f"desk:{name}", kwargs={"hub_slug": hub.slug, **kwargs})

    pages = {
        "services-empty": live_server.url + reverse("desk:book_service", kwargs={"hub_slug": empty_hub.slug}),
        "slots-none": desk_url("book_slots", service_id=idle.pk),
        "slots-full": desk_url("book_slots", service_id=full.pk),
        "slots-online": desk_url("book_slots", service_id=desk.service.pk) + "?channel=online",
        "form-unavailable": desk_url("book_form", slot_id=full.slots.get().pk),
        "waitlist": desk_url("waitlist_join", service_id=full.pk) + "?channel=hub",
        "claim": desk_url("waitlist_claim", token=tokens.make(tokens.CLAIM, entry.pk)),
        "claim-lapsed": desk_url("waitlist_claim", token=tokens.make(tokens.CLAIM, lapsed.pk)),
        "manage-inside-notice": desk_url("booking_manage", token=tokens.make(tokens.MANAGE, soon.pk)),
        "reschedule-inside-notice": desk_url("booking_reschedule", token=tokens.make(tokens.MANAGE, soon.pk)),
        "link-invalid": desk_url("booking_manage", token="not-a-real-token"),
        "enquiry": desk_url("enquiry_create"),
    }
    for name, url in pages.items():
        response = phone.goto(url)
        assert response.status == (404 if name == "link-invalid" else 200), name
        expect(phone.locator("h1"), name).to_have_count(1)
        check_page(phone, name)

    # Forms sent empty: the errors sit by their fields, still no violation.
    for name in ("waitlist", "enquiry"):
        phone.goto(pages[name])
        phone.locator("main form[method=post] button[type=submit]").click()
        expect(phone.locator("[aria-invalid=true]").nth(1)).to_be_visible()  # two fields or more
        check_page(phone, f"{name}-errors")
        if name == "waitlist":
            phone.locator("#id_email").fill("giulia@example.org")
            fill_birth_date(phone, "2004-03-01")
            tick(phone, "id_privacy")
            phone.locator("main form[method=post] button[type=submit]").click()
            phone.wait_for_url("**/lista-attesa/esci/**")
            check_page(phone, "waitlist-joined")
            assert WaitlistEntry.objects.filter(service=full, person__email="giulia@example.org").exists()

    phone.locator("#id_name").fill("Sara")
    phone.locator("#id_email").fill("sara@example.org")
    phone.locator("#id_subject").fill("Corsi estivi")
    phone.locator("#id_message").fill("Ci sono corsi d'estate per diciottenni?")
    tick(phone, "id_privacy")
    phone.locator("main form[method=post] button[type=submit]").click()
    phone.wait_for_url("**?sent=1")
    check_page(phone, "enquiry-sent")

    # An account holder: the form is prefilled, My bookings lists the booking.
    user = UserFactory(email="marco@example.org", first_name="Marco")
    PersonFactory(user=user, email=user.email, first_name="Marco")
    sign_in(phone, live_server, user)
    phone.goto(live_server.url + reverse("desk:my_bookings"))
    check_page(phone, "my-bookings-empty")
    phone.goto(desk_url("book_form", slot_id=desk.slots[3].pk))
    expect(phone.locator("#id_first_name")).to_have_value("Marco")
    check_page(phone, "form-signed-in")
    phone.goto(desk_url("booking_manage", token=tokens.make(tokens.MANAGE, booking.pk)))
    check_page(phone, "manage-signed-in")
    BookingFactory(slot=desk.slots[5], person=user.person)
    phone.goto(live_server.url + reverse("desk:my_bookings"))
    check_page(phone, "my-bookings")
