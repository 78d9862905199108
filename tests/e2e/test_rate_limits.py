"""The "too many attempts" page (429) in a real browser at phone width: readable, and axe-clean."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from hubs.tests.factories import HubFactory

from .conftest import PHONE
from .test_desk_public import check_page, tick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_429_page_of_a_public_form_passes_axe_at_phone_width(
    live_server, page, settings, one_rate_limit_window
):
    settings.YIP_RATE_LIMITS = settings.YIP_RATE_LIMITS | {"desk_enquiry": "1/h/ip"}
    hub = HubFactory(slug="crema", name="Orientagiovani Crema")
    page.set_viewport_size(PHONE)
    enquiry = live_server.url + reverse("desk:enquiry_create", kwargs={"hub_slug": hub.slug})

    def send() -> None:
        page.goto(enquiry)
        page.locator("#id_name").fill("Sara")
        page.locator("#id_email").fill("sara@example.org")
        page.locator("#id_subject").fill("Corsi estivi")
        page.locator("#id_message").fill("Ci sono corsi d'estate?")
        tick(page, "id_privacy")
        page.locator("main form[method=post] button[type=submit]").click()

    send()
    page.wait_for_url("**?sent=1")
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        send()
    assert answer.value.status == 429
    expect(page.locator("h1")).to_have_text("Troppi tentativi")
    expect(
        page.locator("header").get_by_text("Orientagiovani Crema").first
    ).to_be_visible()  # the hub's layout
    check_page(page, "too-many-attempts")
