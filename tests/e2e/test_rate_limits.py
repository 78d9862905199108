"""The "too many attempts" page (429) in a real browser at phone width: readable, and axe-clean."""

import pytest
from django.urls import reverse

from hubs.tests.factories import HubFactory

from .conftest import PHONE
from .test_desk_public import check_page, tick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_429_page_of_a_public_form_passes_axe_at_phone_width(live_server, page, settings):
    settings.YIP_RATE_LIMITS = settings.YIP_RATE_LIMITS | {"desk_enquiry": "1/h/ip"}
    hub = HubFactory(slug="crema", name="Orientagiovani Crema")
    page.set_viewport_size(PHONE)
    enquiry = live_server.url + reverse("desk:enquiry_create", kwargs={"hub_slug": hub.slug})
    for _n in range(2):
        page.goto(enquiry)
        page.locator("#id_name").fill("Sara")
        page.locator("#id_email").fill("sara@example.org")
        page.locator("#id_subject").fill("Corsi estivi")
        page.locator("#id_message").fill("Ci sono corsi d'estate?")
        tick(page, "#id_privacy")
        with page.expect_navigation() as answer:
            page.locator("main form[method=post] button[type=submit]").click()
    assert answer.value.status == 429
    assert page.locator("h1").inner_text() == "Troppi tentativi"
    assert page.locator("header").get_by_text("Orientagiovani Crema").count() >= 1  # the hub's layout
    check_page(page, "too-many-attempts")
