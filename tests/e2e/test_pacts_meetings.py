"""
Young people and a pact's co-design meetings in a real browser at phone width: a young person
registers for a coming meeting from the pact's public page; on the meeting's day the hub's
operator opens the meeting's page with its QR code; a young person opens what the code carries
and marks themself present; the operator sees them ticked; the hub plans and pays a tranche.
Every page passes axe-core and fits the phone; each is also shot at desktop width.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from hubs.models import Role
from hubs.tests.factories import SubAreaFactory
from pacts import services
from pacts.models import MeetingAttendance, PactAction
from pacts.tests.factories import meeting, signed

from .conftest import PHONE, axe_violations, screenshot
from .test_backoffice_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}


def check(page, name: str) -> None:
    screenshot(page, f"pacts-{name}")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    assert axe_violations(page) == [], name
    page.set_viewport_size(DESKTOP)
    screenshot(page, f"pacts-{name}-desktop")
    assert axe_violations(page) == [], name
    page.set_viewport_size(PHONE)


def fill_person(page, *, first: str, last: str, email: str, born: str) -> None:
    page.locator("#id_first_name").fill(first)
    page.locator("#id_last_name").fill(last)
    page.locator("#id_email").fill(email)
    page.locator("#id_birth_date").fill(born)


def test_a_young_person_registers_and_marks_themself_present_by_the_meetings_qr(live_server, world, page):
    a = world.a
    pact = signed(a.hub, sub_area=SubAreaFactory(hub=a.hub, name="Castelleone"))
    coming = meeting(pact, date=date.today() + timedelta(days=4), place="Sala civica")
    today = meeting(pact, place="Oratorio")
    page.set_viewport_size(PHONE)

    # From the public page of the pact, a young person registers for the coming meeting.
    page.goto(live_server.url + reverse("pacts:public_pact", args=[a.hub.slug, pact.pk]))
    register = reverse("pacts:meeting_register", args=[a.hub.slug, coming.pk])
    check(page, "public-pact-meetings")
    page.locator(f'a[href="{register}"]').click()
    page.wait_for_url(f"**{register}")
    fill_person(page, first="Marta", last="Verdi", email="marta@example.org", born="2003-04-05")
    check(page, "meeting-register")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", name="Sei iscritto/a")).to_be_visible()
    check(page, "meeting-registered")
    assert coming.attendances.get().email == "marta@example.org"

    # On the meeting's day, the operator shows the meeting's QR code.
    sign_in(page, live_server, a.users[Role.OPERATOR])
    attendance = reverse("pactsbo:meeting_attendance", kwargs={"hub_slug": a.hub.slug, "pk": today.pk})
    page.goto(live_server.url + attendance)
    expect(page.locator(".pact-qr-code svg")).to_be_visible()
    check(page, "meeting-qr")
    qr_url = page.locator(".pact-qr a").get_attribute("href")
    checkin = qr_url[qr_url.index("/", len("https://")) :]

    # A young person scans it (a walk-in: not registered before) and is marked present, once.
    page.context.clear_cookies()
    for _ in range(2):
        page.goto(live_server.url + checkin)
        fill_person(page, first="Davide", last="Neri", email="davide@example.org", born="2002-06-07")
        check(page, "meeting-checkin")
        page.locator("main form button[type=submit]").click()
        expect(page.locator("[data-checked-in]")).to_be_visible()
    check(page, "meeting-checked-in")
    row = today.attendances.get(email="davide@example.org")
    assert row.attended and row.source == MeetingAttendance.Source.QR

    # The operator sees them on the list.
    sign_in(page, live_server, a.users[Role.OPERATOR])
    page.goto(live_server.url + attendance)
    expect(page.locator(f'input[name="guests"][value="{row.pk}"]')).to_be_checked()


def test_the_hub_plans_a_tranche_and_pays_it_once_its_milestone_is_done(live_server, world, page):
    a = world.a
    pact = signed(a.hub, sub_area=SubAreaFactory(hub=a.hub, name="Rivolta"))
    action = pact.actions.first()
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, a.users[Role.OPERATOR])
    page.goto(
        live_server.url + reverse("pactsbo:tranche_create", kwargs={"hub_slug": a.hub.slug, "pk": pact.pk})
    )
    page.locator("#id_milestone").select_option(str(action.pk))
    page.locator("#id_amount").fill("2000")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_amount-error")).to_contain_text("budget del patto")
    check(page, "tranche-too-much")
    page.locator("#id_amount").fill("400")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**#tranches")
    services.action_update(action=action, status=PactAction.Status.DONE)
    tranche = pact.tranches.get()
    page.reload()
    check(page, "detail-tranches")
    page.locator(
        f'a[href="{reverse("pactsbo:tranche_pay", kwargs={"hub_slug": a.hub.slug, "pk": tranche.pk})}"]'
    ).click()
    check(page, "tranche-pay")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**#tranches")
    expect(page.locator(f'[data-tranche="{tranche.pk}"] [data-status="paid"]')).to_be_visible()
    tranche.refresh_from_db()
    assert tranche.amount == Decimal("400") and tranche.paid_by == a.users[Role.OPERATOR]
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("pacts:public_pact", args=[a.hub.slug, pact.pk]))
    expect(page.locator('[data-figure="tranches"]')).to_have_attribute("data-paid", "400.00")
