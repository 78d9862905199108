"""
The portal under its own Content-Security-Policy in Chromium: no script, style, font or image is
blocked on the public desk, the back office and the Cabina di Regia's dashboard, and the pages
still work (htmx swaps the list of sessions, the guardian's fields hide, the charts are drawn).
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from desk.models import Channel
from desk.tests.factories import SlotFactory
from hubs.models import Role

from .test_backoffice_pages import sign_in
from .test_desk_public import fill_birth_date
from .test_governance import monitored  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Installed before any page script (Playwright's init scripts are not subject to the page's CSP).
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || location.pathname}:${event.lineNumber}`);
});
"""


@pytest.fixture
def csp_page(page):
    """A page that records every CSP violation, from the DOM event and from the console."""
    page.console_violations = []
    page.on(
        "console",
        lambda message: (
            page.console_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.add_init_script(LISTEN)
    return page


def visit(page, url: str) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "camera=()" in response.headers["permissions-policy"]


def violations(page) -> list[str]:
    return page.console_violations + page.evaluate("window.__cspViolations")


def test_public_desk_works_with_no_csp_violation(live_server, world, csp_page):
    page, a = csp_page, world.a
    starts = timezone.now() + timedelta(days=3)
    SlotFactory(service=a.service, channel=Channel.HUB, starts_at=starts.replace(hour=10, minute=0))
    online = SlotFactory(
        service=a.service, channel=Channel.ONLINE, starts_at=starts.replace(hour=17, minute=0)
    )

    visit(page, live_server.url + reverse("hub_public", args=[a.hub.slug]))
    assert_no_violations(page)

    visit(page, live_server.url + reverse("desk:book_slots", args=[a.hub.slug, a.service.pk]))
    page.wait_for_function("window.htmx")
    with page.expect_response(lambda r: "channel=online" in r.url and r.request.headers.get("hx-request")):
        page.locator("label[for=channel-online]").check()  # htmx asks for the online sessions only
    page.wait_for_url("**channel=online**")
    expect(page.locator(f"#slot-list a[href$='/prenota/sessione/{online.pk}/']")).to_be_visible()
    assert_no_violations(page)

    visit(page, live_server.url + reverse("desk:book_form", args=[a.hub.slug, online.pk]))
    expect(page.locator("#guardian-fields")).to_be_hidden()  # desk/guardian.js ran
    fill_birth_date(page, timezone.localdate() - timedelta(days=365 * 12))
    expect(page.locator("#guardian-fields")).to_be_visible()  # a 12-year-old needs a guardian
    assert_no_violations(page)


def test_back_office_and_dashboard_work_with_no_csp_violation(live_server, monitored, csp_page):  # noqa: F811
    page, a = csp_page, monitored.a
    sign_in(page, live_server, a.users[Role.HUB_ADMIN])
    visit(page, live_server.url + reverse("backoffice_dashboard", args=[a.hub.slug]))
    assert_no_violations(page)

    visit(page, live_server.url + reverse("placementsbo:path_detail", args=[a.hub.slug, a.path.pk]))
    delivered = page.locator(".twk-bar .twk-delivered").first.bounding_box()
    assert delivered["width"] > 0  # the hours bar is drawn without inline styles
    assert_no_violations(page)

    visit(page, live_server.url + reverse("governance:dashboard", args=[a.hub.slug]))
    page.wait_for_function(
        "window.Chart && [...document.querySelectorAll('canvas[data-trend]')].length"
        " && [...document.querySelectorAll('canvas[data-trend]')].every(c => window.Chart.getChart(c))"
    )
    assert_no_violations(page)


def assert_no_violations(page) -> None:
    found = violations(page)
    assert found == [], "\n".join(v[:300] for v in found)
