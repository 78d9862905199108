"""
Together We Work in a real browser at phone width: a partner operator logs an activity on their
cooperative's path and asks the young person to confirm it; the young person confirms from the
e-mailed link in a browser of their own; the path then shows it confirmed. Every page on the way
passes axe-core, with and without form errors, and nothing is wider than the phone.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from hubs.models import Role
from placements import services
from placements.models import Activity, ActivityKind

from .conftest import PHONE, axe_violations, link_from_mail, screenshot
from .test_backoffice_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def url(name, hub, **kwargs):
    return reverse(f"placementsbo:{name}", kwargs={"hub_slug": hub.slug, **kwargs})


def check(page, name: str) -> None:
    """Phone width: a screenshot to look at, nothing wider than the phone, no axe violation."""
    screenshot(page, f"placements-{name}")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    assert axe_violations(page) == [], name


def submit(page) -> None:
    """Send the form; the caller then `expect`s what the answer shows."""
    page.locator("main form[method=post] button[type=submit]").last.click()


@pytest.fixture
def planned(world):
    """Hub A's path with a personal plan, so every section of the path page has content."""
    services.plan_save(
        path=world.a.path,
        goals="Trovare un lavoro nella logistica.",
        lines=[
            {"kind": ActivityKind.INTAKE, "hours": "1", "description": ""},
            {"kind": ActivityKind.COACHING, "hours": "4", "description": "Incontri settimanali"},
            {"kind": ActivityKind.CV, "hours": "2", "description": ""},
        ],
    )
    return world


def test_partner_logs_asks_and_the_young_person_confirms(live_server, planned, page, browser):
    a = planned.a
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, a.users[Role.PARTNER])

    # The list: their cooperative's open path, with its hours bar.
    page.goto(live_server.url + url("path_list", a.hub))
    detail = url("path_detail", a.hub, pk=a.path.pk)
    expect(page.locator(f'main a[href="{detail}"]')).to_have_count(1)
    expect(page.locator(f'main a[href="{url("path_detail", a.hub, pk=a.closed_path.pk)}"]')).to_have_count(1)
    check(page, "list")
    page.locator(f'main a[href="{detail}"]').click()
    page.wait_for_url(f"**{detail}")
    check(page, "detail")

    # Log an activity: too many hours first (the form keeps what was typed), then right.
    page.locator(f'main a[href="{url("activity_create", a.hub, pk=a.path.pk)}"]').first.click()
    page.wait_for_url("**/attivita/nuova/")
    check(page, "activity-form")
    page.locator("#id_kind").select_option(ActivityKind.CV.value)
    page.locator("#id_hours").fill("30")
    page.locator("#id_note").fill("CV rivisto insieme")
    submit(page)
    expect(page.locator("#id_hours")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_hours-error")).to_be_visible()
    expect(page.locator("#id_note")).to_have_value("CV rivisto insieme")
    check(page, "activity-form-errors")
    page.locator("#id_hours").fill("1,5")
    submit(page)
    page.wait_for_url(f"**{detail}*")
    activity = Activity.objects.get(path=a.path, note="CV rivisto insieme")
    card = page.locator(f"[data-activity='{activity.pk}']")
    status = card.locator("[data-confirmation]")
    expect(status).to_have_attribute("data-confirmation", "not-asked")

    # Ask the young person to confirm it (one POST, one e-mail).
    card.locator("form button[type=submit]").click()
    expect(status).to_have_attribute("data-confirmation", "asked")
    expect(page.locator("main .alert-success")).to_be_visible()
    check(page, "detail-asked")

    # The young person, in a browser of their own (no session), opens the e-mailed link and confirms.
    link = link_from_mail(live_server.url, r"/percorsi/conferma/[^/\s]+/", to=a.path.person.email)
    context = browser.new_context(viewport=PHONE)
    young = context.new_page()
    young.goto(link)
    check(young, "confirm-public")
    activity.refresh_from_db()
    assert not activity.is_confirmed  # opening the link confirms nothing
    young.locator("main form button[type=submit]").click()
    expect(young.locator("main .alert-success")).to_be_visible()
    check(young, "confirm-public-done")
    context.close()
    activity.refresh_from_db()
    assert activity.is_confirmed

    # The partner's path page shows it confirmed.
    page.reload()
    expect(status).to_have_attribute("data-confirmation", "confirmed")
    check(page, "detail-confirmed")


def test_plan_and_close_forms_pass_axe_with_and_without_errors(live_server, planned, page):
    a = planned.a
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, a.users[Role.PARTNER])

    page.goto(live_server.url + url("plan_update", a.hub, pk=a.path.pk))
    check(page, "plan-form")
    page.locator("#id_plan-1-hours").fill("0,3")
    submit(page)
    expect(page.locator("#id_plan-1-hours-error")).to_be_visible()
    check(page, "plan-form-errors")

    page.goto(live_server.url + url("path_close", a.hub, pk=a.path.pk))
    check(page, "close-form")
    page.locator("#id_outcome").select_option("employed")
    page.locator("#id_closed_on").fill("")
    submit(page)
    expect(page.locator("#id_closed_on-error")).to_be_visible()
    expect(page.locator("#id_contract_kind-error")).to_be_visible()
    check(page, "close-form-errors")


def test_staff_pages_pass_axe_at_phone_width(live_server, planned, page):
    a = planned.a
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, a.users[Role.OPERATOR])
    pages = {
        "list-staff": url("path_list", a.hub) + "?status=open&hours=under_3",
        "intake": url("path_create", a.hub),
        "intake-from-record": url("path_create", a.hub) + f"?person={a.person.pk}",
        "closed-detail": url("path_detail", a.hub, pk=a.closed_path.pk),
        "follow-up": url("follow_up_update", a.hub, pk=a.follow_up.pk),
        "assign": url("path_assign", a.hub, pk=a.path.pk),
        "export": url("export", a.hub),
    }
    for name, address in pages.items():
        response = page.goto(live_server.url + address)
        assert response.status == 200, name
        check(page, name)

    page.goto(live_server.url + url("path_create", a.hub))
    page.locator("#id_email").fill("non-una-mail")
    submit(page)
    expect(page.locator("#id_email-error")).to_be_visible()
    expect(page.locator("#id_is_neet-error")).to_be_visible()
    check(page, "intake-errors")
