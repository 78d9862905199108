"""
The operator's records in a real browser at phone width: the quick search in the header finds a
person; two records of one person are merged and the bookings of both are kept. axe finds nothing.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from desk.models import Booking
from desk.tests.factories import BookingFactory, SlotFactory
from hubs.models import Role
from people.models import PersonHub
from people.tests.factories import PersonFactory

from .conftest import PHONE, axe_violations, screenshot
from .test_backoffice_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def problems(page, name: str) -> list:
    screenshot(page, f"records-{name}")
    found = axe_violations(page)
    if page.evaluate("document.documentElement.scrollWidth") > page.viewport_size["width"]:
        found.append("scrolls sideways")
    return found


def test_the_header_search_finds_a_person_on_a_phone(live_server, world, page):
    a = world.a
    person = PersonFactory(first_name="Ottavia", last_name="Zambelli", phone="333 765 4321")
    PersonHub.objects.create(person=person, hub=a.hub)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, a.users[Role.OPERATOR])
    page.goto(live_server.url + reverse("backoffice_dashboard", kwargs={"hub_slug": a.hub.slug}))
    search = page.get_by_role("search", name="Ricerca rapida").get_by_role("searchbox")
    expect(search).to_be_visible()
    assert problems(page, "header-phone") == []
    search.fill("3337654321")
    search.press("Enter")
    results = page.get_by_role("region", name="Persone")
    expect(results.get_by_role("link", name="Zambelli Ottavia")).to_be_visible()
    assert problems(page, "search-results-phone") == []
    results.get_by_role("link", name="Zambelli Ottavia").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ottavia Zambelli")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.go_back()
    assert problems(page, "search-results-desktop") == []


def test_a_merge_keeps_the_bookings_of_both_records_on_a_phone(live_server, world, page):
    a = world.a
    keep = PersonFactory(first_name="Sara", last_name="Galli", email="sara.galli@example.org", phone="")
    other = PersonFactory(
        first_name="Sara", last_name="Galli", email="sara.galli@example.org", phone="3401112233"
    )
    for person in (keep, other):
        PersonHub.objects.create(person=person, hub=a.hub)
        BookingFactory(slot=SlotFactory(service=a.service), person=person)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, a.users[Role.OPERATOR])
    page.goto(live_server.url + reverse("deskbo:person_duplicates", kwargs={"hub_slug": a.hub.slug}))
    assert problems(page, "duplicates-phone") == []
    page.get_by_role("link", name="Confronta e unisci").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Unisci due schede")
    assert problems(page, "merge-phone") == []
    page.get_by_role("group", name="Telefono").get_by_label("3401112233").check()
    page.get_by_role("button", name="Unisci le due schede").click()
    expect(page.get_by_text("Le due schede ora sono una sola")).to_be_visible()
    assert Booking.objects.filter(person=keep).count() == 2
    assert not Booking.objects.filter(person=other).exists()
    keep.refresh_from_db()
    assert keep.phone == "3401112233"
    assert problems(page, "merged-record-phone") == []


def test_the_new_desk_pages_pass_axe_at_phone_and_desktop_width(live_server, world, page):
    a = world.a
    slot = SlotFactory(service=a.service, operator=a.users[Role.HUB_ADMIN])
    for last in ("Fusar", "Fusari"):
        PersonHub.objects.create(person=PersonFactory(last_name=last), hub=a.hub)
    sign_in(page, live_server, a.users[Role.OPERATOR])
    found = {}
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 844})
        pages = {
            "weekly": reverse("deskbo:rule_create_weekly", kwargs={"hub_slug": a.hub.slug}),
            "feed": reverse("deskbo:calendar_feed", kwargs={"hub_slug": a.hub.slug}),
            "on-behalf-search": reverse(
                "deskbo:booking_on_behalf", kwargs={"hub_slug": a.hub.slug, "slot_id": slot.pk}
            )
            + "?q=fusar",
            "rules": reverse("deskbo:rule_list", kwargs={"hub_slug": a.hub.slug}),
            "export": reverse("deskbo:export", kwargs={"hub_slug": a.hub.slug}),
        }
        for name, address in pages.items():
            page.goto(live_server.url + address)
            found[f"{name}-{width}"] = problems(page, f"{name}-{width}")
        # the weekly form with its errors, and the feed's address shown once
        page.goto(live_server.url + pages["weekly"])
        page.get_by_role("button", name="Salva").click()
        expect(page.get_by_role("group", name="Giorni della settimana").get_by_role("alert")).to_be_visible()
        found[f"weekly-errors-{width}"] = problems(page, f"weekly-errors-{width}")
        page.goto(live_server.url + pages["feed"])
        page.get_by_role("button", name="Crea").first.click()
        expect(page.locator("#feed-url")).to_have_value(re.compile(r"/calendario-operatore/.+\.ics$"))
        found[f"feed-made-{width}"] = problems(page, f"feed-made-{width}")
    assert {name: issues for name, issues in found.items() if issues} == {}
