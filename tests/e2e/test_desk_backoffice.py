"""
The desk's back office in a real browser at phone width: an operator records that a young person
came to today's session; every desk page passes axe-core empty, filled and with form errors.
"""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from desk import services
from desk.models import Channel, Enquiry
from desk.tests.factories import BookingFactory, EnquiryFactory, SlotFactory
from hubs import services as hub_services
from hubs.models import Role
from hubs.tests.factories import HubFactory
from people.models import CaseNote
from people.tests.factories import PersonFactory, UserFactory

from .conftest import PHONE, axe_violations, screenshot
from .test_backoffice_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def url(name, hub, **kwargs):
    return reverse(f"deskbo:{name}", kwargs={"hub_slug": hub.slug, **kwargs})


def earlier_today():
    now = timezone.localtime()
    midnight = timezone.make_aware(datetime.combine(now.date(), time(0, 0)))
    return max(midnight, (now - timedelta(hours=2)).replace(second=0, microsecond=0))


def problems(page, name: str) -> list:
    """Phone width: a screenshot to look at; what axe finds, and anything wider than the phone."""
    screenshot(page, f"deskbo-{name}")
    found = axe_violations(page)
    if page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]:
        found.append("scrolls sideways at phone width")
    return found


def check(page, name: str) -> None:
    assert problems(page, name) == [], name


@pytest.fixture
def filled(world):
    """Hub A with a day's work: a session of this morning, a waiting list, notes, enquiries."""
    a = world.a
    operator = a.users[Role.OPERATOR]
    start = earlier_today()
    today = SlotFactory(
        service=a.service,
        operator=operator,
        starts_at=start,
        ends_at=start + timedelta(minutes=45),
        capacity=2,
    )
    a.today_booking = BookingFactory(
        slot=today,
        person=PersonFactory(first_name="Giulia", last_name="Verdi"),
        reason="Scegliere l'università",
    )
    BookingFactory(slot=today, person=a.person)
    online = SlotFactory(
        service=a.service,
        operator=a.users[Role.HUB_ADMIN],
        channel=Channel.ONLINE,
        video_url="https://meet.example.org/a",
        capacity=3,
    )
    BookingFactory(slot=online, channel=Channel.ONLINE)
    services.slots_sync(hub=a.hub)
    services.waitlist_join(hub=a.hub, service=a.service, channel=Channel.HUB, antenna=None, person=a.person)
    CaseNote.objects.create(
        hub=a.hub, person=a.person, author=operator, text="Vuole iscriversi a un corso serale."
    )
    EnquiryFactory(
        hub=a.hub,
        name="Sara",
        email="sara@example.org",
        subject="Tirocini",
        message="Ci sono tirocini estivi?",
        status=Enquiry.Status.ANSWERED,
        reply="Sì, da giugno.",
        replied_by=operator,
        replied_at=timezone.now(),
    )
    return world


def test_operator_marks_todays_session_attended_on_a_phone(live_server, filled, page):
    a = filled.a
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, a.users[Role.OPERATOR])
    page.goto(live_server.url + url("calendar", a.hub))
    detail = url("booking_detail", a.hub, pk=a.today_booking.pk)
    link = page.locator(f'a[href="{detail}"]')
    expect(link).to_have_text("Giulia Verdi")
    check(page, "calendar-week")
    link.click()
    page.wait_for_url(f"**{detail}")
    status = page.locator("main h1 + p [data-status]")
    expect(status).to_have_attribute("data-status", "confirmed")
    check(page, "booking-detail")
    page.locator("button[name=action][value=attended]").click()
    expect(status).to_have_attribute("data-status", "attended")
    expect(page.locator("main .alert-success")).to_be_visible()
    check(page, "booking-attended")
    a.today_booking.refresh_from_db()
    assert a.today_booking.status == "attended"


FILLED_PAGES = [
    "today",
    "calendar",
    "calendar-week",
    "roll_call",
    "agenda",
    "calendar-day",
    "calendar-filtered",
    "booking_detail",
    "booking_on_behalf",
    "rule_list",
    "rule_create",
    "rule_update",
    "closure_create",
    "closure_delete",
    "service_list",
    "service_create",
    "service_update",
    "settings",
    "person_list",
    "person_record",
    "enquiry_list",
    "enquiry_detail",
    "enquiry_detail-answered",
    "waitlist",
    "export",
]


def filled_url(name: str, a) -> str:
    return {
        "calendar-day": lambda: url("calendar", a.hub) + "?view=day",
        "calendar-week": lambda: url("calendar", a.hub) + "?view=week",
        "roll_call": lambda: url("roll_call", a.hub, slot_id=a.today_booking.slot_id),
        "calendar-filtered": lambda: (
            url("calendar", a.hub) + f"?channel=hub&operator={a.users[Role.OPERATOR].pk}&antenna=999999"
        ),
        "booking_detail": lambda: url("booking_detail", a.hub, pk=a.today_booking.pk),
        "booking_on_behalf": lambda: url("booking_on_behalf", a.hub, slot_id=a.slot.pk),
        "rule_update": lambda: url("rule_update", a.hub, pk=a.rule.pk),
        "closure_delete": lambda: url("closure_delete", a.hub, pk=a.closure.pk),
        "service_update": lambda: url("service_update", a.hub, pk=a.service.pk),
        "person_record": lambda: url("person_record", a.hub, pk=a.person.pk),
        "enquiry_detail": lambda: url("enquiry_detail", a.hub, pk=a.enquiry.pk),
        "enquiry_detail-answered": lambda: url(
            "enquiry_detail", a.hub, pk=Enquiry.objects.get(subject="Tirocini").pk
        ),
        "enquiry_list": lambda: url("enquiry_list", a.hub) + "?status=all",
    }.get(name, lambda: url(name, a.hub))()


def sweep(page, addresses: dict[str, str]) -> dict:
    """Each page in turn, in one browser session: every failing page is listed, not just the first."""
    found = {}
    for name, address in addresses.items():
        response = page.goto(address)
        if response.status != 200:
            found[name] = f"status {response.status}"
        elif wrong := problems(page, name):
            found[name] = wrong
    return found


def test_filled_desk_pages_pass_axe_at_phone_width(live_server, filled, page):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, filled.a.users[Role.HUB_ADMIN])
    addresses = {f"filled-{name}": live_server.url + filled_url(name, filled.a) for name in FILLED_PAGES}
    assert sweep(page, addresses) == {}


EMPTY_PAGES = [
    "today",
    "calendar",
    "agenda",
    "rule_list",
    "service_list",
    "person_list",
    "enquiry_list",
    "waitlist",
    "export",
    "settings",
    "rule_create",
    "closure_create",
    "service_create",
]


@pytest.fixture
def empty_hub(db):
    hub = HubFactory(slug="vuoto", name="Hub vuoto")
    admin = UserFactory(totp=True)
    hub_services.membership_create(hub=hub, user=admin, role=Role.HUB_ADMIN)
    return hub, admin


def test_empty_desk_pages_pass_axe_at_phone_width(live_server, empty_hub, page):
    hub, admin = empty_hub
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, admin)
    assert sweep(page, {f"empty-{name}": live_server.url + url(name, hub) for name in EMPTY_PAGES}) == {}


def test_a_search_with_no_match_passes_axe(live_server, filled, page):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, filled.a.users[Role.OPERATOR])
    page.goto(live_server.url + url("person_list", filled.a.hub))
    page.locator("#people-q").fill("nessuno-si-chiama-così")
    page.locator("#people-q").press("Enter")
    page.wait_for_url("**?q=*")
    expect(page.locator("main table")).to_have_count(0)
    check(page, "people-no-match")


def submit(page, form_selector: str = "main form[method=post]") -> None:
    """Send the form; the caller then `expect`s what the answer shows."""
    page.locator(f"{form_selector} button[type=submit]").last.click()


def test_desk_forms_show_errors_by_their_fields_and_pass_axe(live_server, filled, page):
    a = filled.a
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, a.users[Role.HUB_ADMIN])
    base = live_server.url

    page.goto(base + url("rule_create", a.hub))
    page.locator("#id_service").select_option(str(a.service.pk))
    page.locator("#id_operator").select_option(str(a.users[Role.OPERATOR].pk))
    page.locator("#id_channel").select_option(Channel.ONLINE.value)
    page.locator("#id_weekday").select_option("2")
    page.locator("#id_start_time").fill("12:00")
    page.locator("#id_end_time").fill("10:00")
    page.locator("#id_video_url").fill("not a link")  # the video service is optional, but a link
    submit(page)
    expect(page.locator("#id_end_time")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_end_time-error")).to_be_visible()
    expect(page.locator("#id_video_url-error")).to_be_visible()
    check(page, "error-rule")

    page.goto(base + url("closure_create", a.hub))
    page.locator("#id_starts_on").fill("2030-05-10")
    page.locator("#id_ends_on").fill("2030-05-01")
    submit(page)
    expect(page.locator("#id_ends_on-error")).to_be_visible()
    check(page, "error-closure")

    page.goto(base + url("service_create", a.hub))
    page.locator("#id_duration_minutes").fill("5")
    submit(page)
    expect(page.locator("#id_name-error")).to_be_visible()
    expect(page.locator("#id_duration_minutes-error")).to_be_visible()
    check(page, "error-service")

    page.goto(base + url("settings", a.hub))
    page.locator("#id_horizon_days").fill("1000")
    submit(page)
    expect(page.locator("#id_horizon_days-error")).to_be_visible()
    check(page, "error-settings")

    page.goto(base + url("booking_on_behalf", a.hub, slot_id=a.slot.pk))
    page.locator("#id_birth_date").fill((timezone.localdate() - timedelta(days=365 * 12)).isoformat())
    submit(page)
    expect(page.locator("#id_first_name-error")).to_be_visible()
    expect(page.locator("#id_guardian_consent-error")).to_be_visible()
    check(page, "error-on-behalf")

    page.goto(base + url("export", a.hub))
    page.locator("#id_starts_on").fill("2026-11-30")
    page.locator("#id_ends_on").fill("2026-11-01")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_ends_on-error")).to_be_visible()
    check(page, "error-export")

    page.goto(base + url("enquiry_detail", a.hub, pk=a.enquiry.pk))
    page.locator("textarea[name=reply]").fill("")  # the box starts with the greeting: empty it
    submit(page, "main form:has(textarea[name=reply])")
    expect(page.locator("#id_reply-error")).to_be_visible()
    check(page, "error-enquiry-reply")

    page.goto(base + url("person_record", a.hub, pk=a.person.pk))
    submit(page, "main form:has(textarea[name=text])")
    expect(page.locator("#id_text-error")).to_be_visible()
    check(page, "error-case-note")


def test_changing_availability_lists_the_booked_sessions_it_keeps(live_server, filled, page):
    a = filled.a
    booked = a.rule.slots.order_by("starts_at").first()
    BookingFactory(slot=booked, person=PersonFactory(first_name="Piero", last_name="Neri"))
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, a.users[Role.OPERATOR])
    page.goto(live_server.url + url("rule_update", a.hub, pk=a.rule.pk))
    page.locator("#id_start_time").fill("09:00")
    page.locator("#id_end_time").fill("10:00")
    submit(page)
    page.wait_for_url(f"**{url('rule_list', a.hub)}")
    warning = page.locator("main .alert-warning")
    expect(warning).to_be_visible()
    expect(warning.locator("li")).to_have_count(1)
    expect(warning.locator("li")).to_contain_text(booked.service.name)
    check(page, "rule-conflicts")
    assert a.rule.slots.filter(pk=booked.pk).exists()
