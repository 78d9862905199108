"""
The guardian's fields in a real browser follow the consent age the form gives the page
(`data-consent-age`, from settings.YIP_CONSENT_AGE), counted on the session's day for a booking
and on today for the waiting list: a day short of it they appear, on the birthday they go.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from desk.tests.factories import ServiceFactory, SlotFactory
from hubs.tests.factories import HubFactory
from tests.test_minors import years_before

from .conftest import PHONE
from .test_desk_public import fill_birth_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("consent_age", [16, 12])
def test_the_guardian_fields_follow_the_consent_age_of_the_form(live_server, page, settings, consent_age):
    settings.YIP_CONSENT_AGE = consent_age
    hub = HubFactory(slug="crema")
    service = ServiceFactory(hub=hub)
    slot = SlotFactory(service=service, starts_at=timezone.now() + timedelta(days=20), capacity=1)
    page.set_viewport_size(PHONE)
    pages = {
        reverse("desk:book_form", args=[hub.slug, slot.pk]): timezone.localdate(slot.starts_at),
        reverse("desk:waitlist_join", args=[hub.slug, service.pk]): timezone.localdate(),
    }
    for address, day in pages.items():
        page.goto(live_server.url + address)
        guardian = page.locator("#guardian-fields")
        expect(guardian).to_have_attribute("data-consent-age", str(consent_age))
        expect(guardian).to_be_hidden()  # nothing typed yet
        fill_birth_date(page, years_before(day, consent_age) + timedelta(days=1))
        expect(guardian).to_be_visible()
        fill_birth_date(page, years_before(day, consent_age))
        expect(guardian).to_be_hidden()
