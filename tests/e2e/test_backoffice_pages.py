"""Every back-office page, as the role that uses it, at phone width: axe-core finds nothing."""

import pprint

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from hubs.models import Role
from tests.test_url_access import ACCESS, HUB_URLS, build_url

from .conftest import PHONE, axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user) -> None:
    """Reuse a Django session in the browser (the login flow itself is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def role_for(name: str) -> Role:
    allowed = ACCESS[name]
    return Role.HUB_ADMIN if Role.HUB_ADMIN in allowed else sorted(allowed)[0]


# URLs that answer with a file (PDF, ZIP, calendar, JSON) rather than a page: their own tests read it.
FILES = {
    "governance:report_download",
    "placementsbo:path_sheet",
    "jobclubbo:register_pdf",
    "jobclubbo:certificate_pdf",
    "jobclubbo:certificates_zip",
    "jobclubbo:class_calendar",
    "jobclubbo:trainer_calendar",
    "jobfairbo:report",
    "jobfairbo:check_in_sync",
    "pactsbo:timeline_photo",
    "pactsbo:pact_pdf",
    "pactsbo:ledger",
    "pactsbo:receipts_zip",
    "pactsbo:receipt",
}
PAGES = [(name, kwargs) for name, kwargs in HUB_URLS if name not in FILES]


def test_every_back_office_page_passes_axe_at_phone_width(live_server, world, page):
    """
    Each page of the sweep, as a role allowed on it, in one browser session per role (one world
    for all: building it per page cost minutes). Every failing page is listed, not just the first.
    """
    page.set_viewport_size(PHONE)
    problems, signed_in = {}, None
    for name, kwargs in sorted(PAGES, key=lambda item: (role_for(item[0]), item[0])):
        role = role_for(name)
        if role != signed_in:
            page.context.clear_cookies()
            sign_in(page, live_server, world.a.users[role])
            signed_in = role
        response = page.goto(live_server.url + build_url(name, kwargs, world.a))
        if response.status != 200:
            problems[name] = f"status {response.status}"
            continue
        screenshot(page, f"phone-{name}")
        if violations := axe_violations(page):
            problems[name] = violations
        elif page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]:
            problems[name] = "scrolls sideways at phone width"
    assert not problems, pprint.pformat(problems, width=160)
    assert len(PAGES) > 60  # the sweep really walked the back office


def test_form_errors_pass_axe_and_sit_by_their_fields(live_server, world, page):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, world.a.users[Role.HUB_ADMIN])
    page.goto(
        live_server.url + reverse("backoffice_invitation_create", kwargs={"hub_slug": world.a.hub.slug})
    )
    page.locator("#id_email").fill("not-an-email")
    page.locator("#id_role").select_option(Role.PARTNER.value)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_email-error")).to_be_visible()
    expect(page.locator("#id_organization-error")).to_be_visible()
    # the summary above the form has the focus and links to each field in error
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(2)
    summary.get_by_role("link").first.click()
    expect(page.locator("#id_email")).to_be_focused()
    screenshot(page, "phone-invitation-errors")
    assert axe_violations(page) == []


def test_back_office_menu_opens_on_a_phone(live_server, world, page):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, world.a.users[Role.HUB_ADMIN])
    page.goto(live_server.url + reverse("backoffice_dashboard", kwargs={"hub_slug": world.a.hub.slug}))
    members = page.locator("#backoffice-nav").get_by_role("link", name="Membri")
    expect(members).to_be_hidden()
    page.get_by_role("button", name="Menu del back office").click()
    expect(members).to_be_visible()
    members.click()
    page.wait_for_url("**/membri/")
