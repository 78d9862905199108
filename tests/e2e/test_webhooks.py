"""The webhooks' back office in a browser: make a hook, copy its secret, test it, read the log."""

import pytest
from playwright.sync_api import expect

from hubs.models import Role
from hubs.restapi.models import Webhook
from hubs.restapi.tests.test_webhooks import Receiver, verified

from .conftest import PHONE, axe_violations, screenshot
from .test_backoffice_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}


def check(page, name: str, size: dict) -> None:
    page.set_viewport_size(size)
    screenshot(page, f"{'phone' if size == PHONE else 'desktop'}-webhooks-{name}")
    assert axe_violations(page) == [], name
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], name


def test_the_coordinator_makes_tests_and_disables_a_webhook(live_server, world, page):
    receiver = Receiver()
    try:
        sign_in(page, live_server, world.a.users[Role.HUB_ADMIN])
        base = f"{live_server.url}/backoffice/{world.a.hub.slug}/api/webhook/"
        page.goto(base)
        expect(page.get_by_role("heading", name="Webhook", exact=True)).to_be_visible()
        page.get_by_role("link", name="Nuovo webhook").click()
        for size in (PHONE, DESKTOP):
            check(page, "form", size)
        page.get_by_label("Indirizzo").fill(receiver.url)
        page.locator("label[for=id_events_0]").check()  # Bootstrap Italia draws the box on the label
        page.locator("label[for=id_events_4]").check()
        page.get_by_role("button", name="Salva").click()
        secret = page.get_by_label("Segreto di firma").input_value()
        assert secret.startswith("whsec_")
        for size in (PHONE, DESKTOP):
            check(page, "created", size)
        hook = Webhook.objects.get(hub=world.a.hub)
        assert hook.events == ["booking.created", "fair.checked_in"]

        page.goto(base)
        for size in (PHONE, DESKTOP):
            check(page, "list", size)
        page.get_by_role("link", name=f"Prova {receiver.url}").click()
        page.get_by_role("button", name="Invia un evento di prova").click()
        expect(page.get_by_role("cell", name="Consegnato")).to_be_visible()
        [(headers, body)] = receiver.requests
        assert headers["X-YIP-Event"] == "ping" and verified(secret, headers, body)
        for size in (PHONE, DESKTOP):
            check(page, "deliveries", size)

        page.goto(f"{base}{hook.pk}/modifica/")
        page.locator("label[for=id_is_active]").uncheck()
        for size in (PHONE, DESKTOP):
            check(page, "edit", size)
        page.get_by_role("button", name="Salva").click()
        expect(page.get_by_role("cell", name="Disattivato")).to_be_visible()
    finally:
        receiver.close()
