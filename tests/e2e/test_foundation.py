"""In a real browser at phone width: the public pages pass axe-core; an operator signs in."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from playwright.sync_api import expect

from hubs.demo import DEMO_PASSWORD
from people.models import User

from .conftest import PHONE, axe_violations, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def phone_page(page):
    page.set_viewport_size(PHONE)
    return page


@pytest.mark.parametrize("path", ["/", "/crema/", "/accounts/login/", "/privacy/", "/accessibilita/"])
def test_public_pages_pass_axe_at_phone_width(demo, phone_page, path):
    response = phone_page.goto(demo.url + path)
    assert response.status == 200
    expect(phone_page.locator("h1").first).to_be_visible()
    name = path.strip("/").replace("/", "-") or "home"
    screenshot(phone_page, f"phone-{name}")
    assert axe_violations(phone_page) == []
    # Nothing wider than the phone: no sideways scrolling.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_hub_home_is_italian_first_and_switches_to_english(demo, phone_page):
    phone_page.goto(demo.url + "/crema/")
    expect(phone_page.locator("html")).to_have_attribute("lang", "it")
    expect(phone_page.get_by_role("heading", name="Servizi")).to_be_visible()
    phone_page.get_by_role("button", name="English version").click()
    expect(phone_page.locator("html")).to_have_attribute("lang", "en")
    expect(phone_page.get_by_role("heading", name="Services")).to_be_visible()


@pytest.fixture
def operator_with_authenticator(demo):
    """The demo operator with an authenticator app, taken away again afterwards (the demo is shared)."""
    operator = User.objects.get(email="operator@crema.demo")
    secret = generate_totp_secret()
    authenticator = TOTP.activate(operator, secret).instance
    yield operator, secret
    authenticator.delete()


def test_demo_operator_signs_in_with_totp_and_reaches_the_back_office(
    demo, operator_with_authenticator, phone_page
):
    operator, secret = operator_with_authenticator
    phone_page.goto(demo.url + "/backoffice/crema/")
    expect(phone_page).to_have_url(f"{demo.url}/accounts/login/?next=/backoffice/crema/")
    phone_page.locator("input[name=login]").fill(operator.email)
    phone_page.locator("input[name=password]").fill(DEMO_PASSWORD)
    phone_page.locator("main form button[type=submit]").click()
    phone_page.wait_for_url("**/2fa/authenticate/**")
    screenshot(phone_page, "phone-mfa-authenticate")
    assert axe_violations(phone_page) == []
    # The code of this 30-second step; if the step ends before the server reads it, the
    # tolerance of one step (settings MFA_TOTP_TOLERANCE) still takes it.
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    phone_page.locator("input[name=code]").fill(code)
    phone_page.locator("input[name=code]").press("Enter")
    phone_page.wait_for_url("**/backoffice/crema/")
    expect(phone_page.get_by_role("heading", name="Cruscotto")).to_be_visible()
    screenshot(phone_page, "phone-backoffice-dashboard")
    assert axe_violations(phone_page) == []


@pytest.mark.django_db(transaction=True)
def test_my_area_and_my_data_pass_axe_at_phone_width(live_server, phone_page):
    from people.tests.factories import PersonFactory, UserFactory
    from tests.e2e.test_backoffice_pages import sign_in

    user = UserFactory()
    PersonFactory(user=user, email=user.email)
    sign_in(phone_page, live_server, user)
    for path, name in (("/backoffice/", "my-area"), ("/account/i-miei-dati/", "my-data")):
        assert phone_page.goto(live_server.url + path).status == 200
        screenshot(phone_page, f"phone-{name}")
        assert axe_violations(phone_page) == []
