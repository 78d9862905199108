"""In a real browser at phone width: the public pages pass axe-core; an operator signs in."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core.management import call_command
from django.test import override_settings

from hubs.demo import DEMO_PASSWORD
from people.models import User

from .conftest import PHONE, axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    with override_settings(DEBUG=True):  # demo accounts are made only with DEBUG on
        call_command("seed_demo", verbosity=0)


@pytest.fixture
def phone_page(page):
    page.set_viewport_size(PHONE)
    return page


@pytest.mark.parametrize("path", ["/", "/crema/", "/accounts/login/", "/privacy/", "/accessibilita/"])
def test_public_pages_pass_axe_at_phone_width(live_server, demo, phone_page, path):
    response = phone_page.goto(live_server.url + path)
    assert response.status == 200
    assert phone_page.locator("h1").first.is_visible()
    name = path.strip("/").replace("/", "-") or "home"
    screenshot(phone_page, f"phone-{name}")
    assert axe_violations(phone_page) == []
    # Nothing wider than the phone: no sideways scrolling.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_hub_home_is_italian_first_and_switches_to_english(live_server, demo, phone_page):
    phone_page.goto(live_server.url + "/crema/")
    assert phone_page.locator("html").get_attribute("lang") == "it"
    assert phone_page.get_by_role("heading", name="Servizi").is_visible()
    phone_page.get_by_role("button", name="English version").click()
    phone_page.wait_for_load_state()
    assert phone_page.locator("html").get_attribute("lang") == "en"
    assert phone_page.get_by_role("heading", name="Services").is_visible()


def test_demo_operator_signs_in_with_totp_and_reaches_the_back_office(live_server, demo, phone_page):
    operator = User.objects.get(email="operator@crema.demo")
    secret = generate_totp_secret()
    TOTP.activate(operator, secret)

    phone_page.goto(live_server.url + "/backoffice/crema/")
    assert "/accounts/login/" in phone_page.url
    phone_page.locator("input[name=login]").fill("operator@crema.demo")
    phone_page.locator("input[name=password]").fill(DEMO_PASSWORD)
    phone_page.locator("main form button[type=submit]").click()
    phone_page.wait_for_url("**/2fa/authenticate/**")
    screenshot(phone_page, "phone-mfa-authenticate")
    assert axe_violations(phone_page) == []
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    phone_page.locator("input[name=code]").fill(code)
    phone_page.locator("input[name=code]").press("Enter")
    phone_page.wait_for_url("**/backoffice/crema/")
    assert phone_page.get_by_role("heading", name="Cruscotto").is_visible()
    screenshot(phone_page, "phone-backoffice-dashboard")
    assert axe_violations(phone_page) == []


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
