"""Every back-office page, as the role that uses it, at phone width: axe-core finds nothing."""
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from hubs.models import Role
from tests.test_url_access import ACCESS, HUB_URLS, build_url

from .conftest import PHONE, axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user) -> None:
    """Reuse a Django session in the browser (the login flow itself is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }])


def role_for(name: str) -> Role:
    allowed = ACCESS[name]
    return Role.HUB_ADMIN if Role.HUB_ADMIN in allowed else sorted(allowed)[0]


@pytest.mark.parametrize(("name", "kwargs"), HUB_URLS, ids=[n for n, _ in HUB_URLS])
def test_back_office_page_passes_axe_at_phone_width(live_server, world, page, name, kwargs):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, world.a.users[role_for(name)])
    response = page.goto(live_server.url + build_url(name, kwargs, world.a))
    assert response.status == 200
    screenshot(page, f"phone-{name}")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_form_errors_pass_axe_and_sit_by_their_fields(live_server, world, page):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, world.a.users[Role.HUB_ADMIN])
    page.goto(live_server.url + reverse("backoffice_invitation_create",
                                        kwargs={"hub_slug": world.a.hub.slug}))
    page.locator("#id_email").fill("not-an-email")
    page.locator("#id_role").select_option(Role.PARTNER.value)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#id_email").get_attribute("aria-invalid") == "true"
    assert page.locator("#id_email-error").is_visible()
    assert page.locator("#id_organization-error").is_visible()
    screenshot(page, "phone-invitation-errors")
    assert axe_violations(page) == []


def test_back_office_menu_opens_on_a_phone(live_server, world, page):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, world.a.users[Role.HUB_ADMIN])
    page.goto(live_server.url + reverse("backoffice_dashboard", kwargs={"hub_slug": world.a.hub.slug}))
    members = page.locator("#backoffice-nav").get_by_role("link", name="Membri")
    assert not members.is_visible()
    page.get_by_role("button", name="Menu del back office").click()
    members.wait_for(state="visible")
    members.click()
    page.wait_for_url("**/membri/")
