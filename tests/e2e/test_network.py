"""
The regional network (action 1) in a browser at phone width: a young person finds a service of
another hub in the regional catalogue and books it there; a referral goes from the young person's
consent to the receiving hub's outcome; the regional coordinator compares the hubs. axe-core
finds nothing on any page, and nothing scrolls sideways at 390 px.
"""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from desk.models import Booking
from hubs.models import Role
from hubs.network import services
from hubs.network.models import NetworkMembership, Referral
from people.models import PersonHub

from .conftest import PHONE, axe_violations, link_from_mail, screenshot
from .test_backoffice_pages import sign_in
from .test_desk_public import fill_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def network(world):
    for h in (world.a, world.b):
        membership = NetworkMembership.objects.create(
            hub=h.hub,
            joined_on=date(2026, 1, 15),
            charter_accepted=True,
            contact_name="Referente",
            contact_email="rete@example.org",
            young_residents=5000,
        )
        services.network_approve(membership=membership, by=None)
    world.b.service.name = "Curriculum vitae"
    world.b.service.save()
    return world


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def check(page, name: str) -> None:
    screenshot(page, f"network-{name}")
    assert axe_violations(page) == [], name
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name


def test_a_young_person_finds_a_service_of_another_hub_and_books_it_there(live_server, network, phone):
    b = network.b
    phone.goto(live_server.url + reverse("catalogue"))
    check(phone, "catalogue")
    phone.locator("#id_q").fill("curriculum")
    phone.locator("main form[role=search] button[type=submit]").click()
    phone.wait_for_url("**q=curriculum**")
    cards = phone.locator("ul.catalogue > li")
    expect(cards).to_have_count(1)
    expect(cards).to_contain_text(b.hub.name)
    check(phone, "catalogue-results")

    cards.locator("a.btn").click()  # to hub B's own booking page
    phone.wait_for_url(f"**/{b.hub.slug}/prenota/{b.service.pk}/")
    phone.locator(f"#slot-list a[href$='/prenota/sessione/{b.slot.pk}/']").click()
    phone.wait_for_url(f"**/prenota/sessione/{b.slot.pk}/")
    fill_person(phone)
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url("**/prenota/inviata/**")

    booking = Booking.objects.get(person__email="giulia@example.org")
    assert booking.hub == b.hub and booking.slot == b.slot
    assert set(PersonHub.objects.filter(person=booking.person).values_list("hub", flat=True)) == {b.hub.pk}


def test_a_referral_goes_from_consent_to_outcome(live_server, network, phone):
    a, b = network.a, network.b
    sign_in(phone, live_server, a.users[Role.OPERATOR])
    phone.goto(live_server.url + reverse("network:referral_create", args=[a.hub.slug]))
    check(phone, "referral-form")
    phone.locator("#id_email").fill(a.person.email)
    phone.locator("#id_to_hub").select_option(str(b.hub.pk))
    phone.locator("#id_service").fill("Curriculum vitae")
    phone.locator("#id_purpose").fill("Un aiuto a scrivere il CV vicino a casa")
    phone.locator("label[for=id_items_5]").click()  # the current status, besides name and e-mail
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url("**/rete/segnalazioni/*/")
    expect(phone.locator("main .status-badge")).to_have_attribute("data-status", "proposed")
    check(phone, "referral-sent")

    # the young person, signed out, reads what would be shared and consents
    phone.context.clear_cookies()
    phone.goto(link_from_mail(live_server.url, r"rete/segnalazione/[^/\s]+/", to=a.person.email))
    expect(phone.locator("main")).to_contain_text(b.hub.name)
    check(phone, "consent")
    phone.locator("main button[value=consent]").click()
    expect(phone.locator("main button[value=revoke]")).to_be_visible()
    check(phone, "consented")

    # hub B accepts, then closes with the outcome
    referral = Referral.objects.get()
    sign_in(phone, live_server, b.users[Role.OPERATOR])
    phone.goto(live_server.url + reverse("network:referral_detail", args=[b.hub.slug, referral.pk]))
    expect(phone.locator("dl.shared-items")).to_contain_text(a.person.first_name)
    check(phone, "received")
    phone.locator("#id_decision").select_option("accept")
    phone.locator("main form button[type=submit]").click()
    expect(phone.locator("main .status-badge")).to_have_attribute("data-status", "accepted")
    phone.locator("#id_outcome").fill("CV scritto insieme")
    phone.locator("main form button[type=submit]").click()
    expect(phone.locator("main .status-badge")).to_have_attribute("data-status", "completed")
    check(phone, "completed")

    # hub A sees the outcome
    sign_in(phone, live_server, a.users[Role.OPERATOR])
    phone.goto(live_server.url + reverse("network:referral_detail", args=[a.hub.slug, referral.pk]))
    expect(phone.locator("main")).to_contain_text("CV scritto insieme")


def test_the_regional_coordinator_compares_hubs(live_server, network, phone):
    a = network.a
    sign_in(phone, live_server, a.users[Role.REGIONAL])
    phone.goto(live_server.url + reverse("network:compare", args=[a.hub.slug]))
    table = phone.locator("table.compare-table")
    expect(table.locator("thead th")).to_have_count(3)
    expect(table).to_contain_text(network.b.hub.name)
    screenshot(phone, "network-compare")
    assert axe_violations(phone) == []
    # the wide table scrolls inside its own box, not the page
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # a link to each action's rows above the table, each leading to them
    jumps = phone.get_by_role("navigation", name="Vai a un'azione").get_by_role("link")
    expect(jumps).to_have_count(table.locator("tr.compare-action").count())
    jumps.last.click()
    expect(table.locator("tr.compare-action").last).to_be_in_viewport()
