"""
The young person's side of the desk in a real browser at phone width (390 px): a guest books
from the month calendar (days, then times), sees "check your e-mail" with the address, asks for
the link again and confirms; a full service leads to the waiting list, which asks only for an
e-mail and a date of birth, shows the position and lets one leave. Every page: 0 axe violations,
nothing wider than the phone. The clicks and required fields of the booking are counted.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from desk.models import Booking, WaitlistEntry
from desk.tests.factories import BookingFactory, ServiceFactory, SlotFactory

from .conftest import PHONE, axe_violations, link_from_mail, screenshot
from .test_desk_public import at, check_page, fill_birth_date, tick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


@pytest.fixture
def desk(db):
    from hubs.tests.factories import HubFactory

    hub = HubFactory(slug="crema", name="Orientagiovani Crema", address="Via Civerchi 9, Crema")
    service = ServiceFactory(hub=hub, name="Orientamento scolastico")
    slots = [SlotFactory(service=service, starts_at=at(days, hour)) for days in (2, 3) for hour in (10, 15)]
    full = ServiceFactory(hub=hub, name="Curriculum e lettera")
    BookingFactory(slot=SlotFactory(service=full, starts_at=at(2, 9)))
    return type("Desk", (), {"hub": hub, "service": service, "slots": slots, "full": full})


def check_desktop(page, name: str) -> None:
    """The same page at 1280 px: a screenshot to look at, and axe-core again."""
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, f"desk-{name}-1280")
    assert axe_violations(page) == [], name
    page.set_viewport_size(PHONE)


class Clicks:
    """Counts what a person does: clicks (and Enter on a link) and fields they must fill in."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def click(self, locator):
        self.count += 1
        locator.click()


def test_a_guest_books_from_the_month_calendar_on_a_phone(live_server, desk, phone):
    clicks = Clicks(phone)
    hub, service = desk.hub, desk.service
    phone.goto(live_server.url + reverse("desk:book_service", kwargs={"hub_slug": hub.slug}))
    check_page(phone, "young-services")
    check_desktop(phone, "young-services")
    expect(phone.locator("main")).to_contain_text("Al completo in questo momento.")
    clicks.click(phone.locator(f"main a[href$='/prenota/{service.pk}/']"))

    # The month calendar: days with free times are links; the first is chosen, its times below.
    phone.wait_for_url(f"**/prenota/{service.pk}/")
    calendar = phone.locator("#calendar table")
    expect(calendar.locator("th abbr").first).to_have_text("lun")  # lower case, as Italian writes
    expect(phone.locator("#calendar-month")).to_have_text(
        [
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
        ][timezone.localdate(desk.slots[0].starts_at).month - 1]
        + f" {timezone.localdate(desk.slots[0].starts_at).year}"
    )
    expect(phone.locator("#times a.btn")).to_have_count(2)
    check_page(phone, "young-calendar")
    check_desktop(phone, "young-calendar")

    # The second day, by keyboard: the link takes focus and Enter opens it.
    second_day = timezone.localdate(desk.slots[2].starts_at)
    day_link = phone.locator(f"#calendar a[href*='day={second_day.isoformat()}']")
    if not day_link.count():  # the second day falls in the next month
        clicks.click(phone.locator("#calendar .desk-month-nav a").last)
    day_link.focus()
    clicks.count += 1
    phone.keyboard.press("Enter")
    phone.wait_for_url(f"**day={second_day.isoformat()}**")
    expect(phone.locator("#calendar [aria-current=date]")).to_contain_text(str(second_day.day))
    expect(phone.locator("#times h3")).to_contain_text(f"{second_day.day}")
    check_page(phone, "young-calendar-day")
    slot = desk.slots[3]  # 15:00 of the second day
    clicks.click(phone.locator(f"#times a[href$='/prenota/sessione/{slot.pk}/']"))

    # The form: only what holds the place is required.
    phone.wait_for_url(f"**/prenota/sessione/{slot.pk}/")
    # Required: name, surname, e-mail, date of birth, the language (already chosen) and the
    # privacy box; everything else is optional.
    starred = phone.locator(  # a label, or the legend of a group (the date of birth's three boxes)
        "main form label.form-label:has(span[aria-hidden=true]), main form legend:has(span[aria-hidden=true])"
    )
    expect(starred).to_have_count(5)
    check_page(phone, "young-form")
    check_desktop(phone, "young-form")
    for box in ("0", "1", "2"):
        expect(phone.locator(f"#id_birth_date_{box}")).to_have_attribute("inputmode", "numeric")
    phone.locator("#id_first_name").fill("Giulia")
    phone.locator("#id_last_name").fill("Rossi")
    phone.locator("#id_email").fill("giulia@example.org")
    fill_birth_date(phone, "2004-03-01")
    tick(phone, "id_privacy")
    clicks.count += 1
    clicks.click(phone.locator("main form button[type=submit]"))

    # "Check your e-mail": the address, and a way to get the link again.
    phone.wait_for_url("**/prenota/inviata/**")
    expect(phone.locator("main .alert-success")).to_contain_text("giulia@example.org")
    check_page(phone, "young-check-email")
    check_desktop(phone, "young-check-email")
    phone.locator("main form button[type=submit]").click()
    expect(phone.locator(".alert").first).to_contain_text("poco fa")  # the first left a moment ago
    check_page(phone, "young-check-email-again")

    clicks.count += 1  # the link in the e-mail
    phone.goto(link_from_mail(live_server.url, r"/prenota/conferma/[^/\s]+/", to="giulia@example.org"))
    clicks.click(phone.locator("main form button[type=submit]"))
    expect(phone.locator("main .alert-success")).to_be_visible()
    booking = Booking.objects.get(slot=slot)
    assert booking.status == Booking.Status.CONFIRMED
    # services, day, time, privacy box, submit, e-mail link, confirm
    assert clicks.count == 7, clicks.count


def test_the_waiting_list_asks_only_for_an_email_on_a_phone(live_server, desk, phone):
    hub = desk.hub
    phone.goto(live_server.url + reverse("desk:book_service", kwargs={"hub_slug": hub.slug}))
    phone.locator(f"main a[href$='/lista-attesa/{desk.full.pk}/']").click()
    phone.wait_for_url(f"**/lista-attesa/{desk.full.pk}/")
    form = phone.locator("main form[method=post]")
    expect(form.locator("#id_first_name")).to_have_count(0)
    expect(form.locator("#id_email")).to_be_visible()
    check_page(phone, "young-waitlist")
    check_desktop(phone, "young-waitlist")
    form.locator("button[type=submit]").click()
    expect(phone.locator("#id_email")).to_have_attribute("aria-invalid", "true")
    check_page(phone, "young-waitlist-errors")
    phone.locator("#id_email").fill("anna@example.org")
    fill_birth_date(phone, timezone.localdate() - timedelta(days=365 * 20))
    tick(phone, "id_privacy")
    phone.locator("main form[method=post] button[type=submit]").click()

    # The place's page: the position, and the way out (the same link as in the e-mail).
    phone.wait_for_url("**/lista-attesa/esci/**")
    expect(phone.locator("main dl")).to_contain_text("1")
    check_page(phone, "young-waitlist-joined")
    leave = link_from_mail(live_server.url, r"/lista-attesa/esci/[^/\s]+/", to="anna@example.org")
    assert leave == phone.url
    entry = WaitlistEntry.objects.get(person__email="anna@example.org")
    assert entry.status == WaitlistEntry.Status.WAITING and entry.person.first_name == ""
    phone.locator("main form button[type=submit]").click()
    expect(phone.locator("main dl")).to_contain_text("Ritirata")
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.WITHDRAWN
    check_page(phone, "young-waitlist-left")


def test_find_my_bookings_on_a_phone(live_server, desk, phone):
    phone.goto(live_server.url + reverse("desk:links_resend", kwargs={"hub_slug": desk.hub.slug}))
    check_page(phone, "young-find-bookings")
    phone.locator("main form button[type=submit]").click()
    expect(phone.locator("#id_email")).to_have_attribute("aria-invalid", "true")
    check_page(phone, "young-find-bookings-errors")
    phone.locator("#id_email").fill("nessuno@example.org")
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url("**?sent=1")
    check_page(phone, "young-find-bookings-sent")
