"""
The youth pacts in a real browser at phone width: a young person proposes a pact for a sub-area
(refused first without objectives and actions, the form keeping what was typed), submits it; a
hub operator approves it and records the signatures; a partner operator records an expense with
its receipt and the operator approves it; the public page then shows the pact with the money
spent and no one's name. Every page on the way passes axe-core and fits the phone.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from hubs.models import Role
from hubs.tests.factories import SubAreaFactory
from pacts import services
from pacts.models import Expense, Pact
from pacts.tests.factories import PNG_BYTES, signed
from people.tests.factories import UserFactory

from .conftest import PHONE, axe_violations, screenshot
from .test_backoffice_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, name: str) -> None:
    screenshot(page, f"pacts-{name}")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    assert axe_violations(page) == [], name


def test_a_group_proposes_the_hub_approves_and_signs_an_expense_is_approved_the_public_sees_it(
    live_server, world, page, tmp_path
):
    a = world.a
    area = SubAreaFactory(hub=a.hub, name="Pandino e Adda")
    page.set_viewport_size(PHONE)
    young = UserFactory(email="sara@example.org", first_name="Sara", last_name="Neri")
    sign_in(page, live_server, young)

    # The public page of the pacts: the sub-area has no pact yet.
    page.goto(live_server.url + reverse("pacts:public_board", args=[a.hub.slug]))
    expect(page.locator(".pact-empty", has_text="Pandino e Adda")).to_have_count(1)
    check(page, "public-board")
    page.locator(f'main a[href="{reverse("pacts:proposal_create", args=[a.hub.slug])}"]').first.click()
    page.wait_for_url("**/patti/proponi/")
    page.locator("#id_sub_area").select_option(str(area.pk))
    page.locator("#id_title").fill("Adda in bici")
    page.locator("#id_group_name").fill("Giovani dell'Adda")
    page.locator("#id_idea").fill("Percorsi in bici lungo l'Adda.")
    page.locator("#id_birth_date").fill("2004-05-01")
    page.locator("#id_gender").select_option("female")
    check(page, "proposal-form")
    page.locator("button[name=save]").click()
    page.wait_for_url("**/patti/proposte/*/")
    page.locator("button[name=submit]").click()
    expect(page.locator("#id_objectives-error")).to_be_visible()
    expect(page.locator("#id_title")).to_have_value("Adda in bici")
    check(page, "proposal-errors")
    page.locator("#id_objectives").fill("Conoscere il fiume")
    page.locator("#id_actions_proposed").fill("Tre uscite\nUna mappa")
    page.locator("button[name=submit]").click()
    expect(page.locator('[data-status="in_review"]')).to_be_visible()
    check(page, "proposal-submitted")
    pact = Pact.objects.get(title="Adda in bici")

    # The hub decides and records the signatures.
    sign_in(page, live_server, a.users[Role.OPERATOR])
    detail = reverse("pactsbo:pact_detail", kwargs={"hub_slug": a.hub.slug, "pk": pact.pk})
    page.goto(live_server.url + reverse("pactsbo:board", args=[a.hub.slug]))
    check(page, "board")
    page.goto(live_server.url + detail)
    check(page, "review")
    page.goto(live_server.url + reverse("pactsbo:decision", kwargs={"hub_slug": a.hub.slug, "pk": pact.pk}))
    page.locator("#id_decision").select_option("approve")
    page.locator("#id_motivation").fill("Un bel progetto.")
    page.locator("#id_partners").select_option(str(a.cooperative.pk))
    check(page, "decision")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{detail}")
    page.goto(
        live_server.url
        + reverse("pactsbo:budget_line_create", kwargs={"hub_slug": a.hub.slug, "pk": pact.pk})
    )
    page.locator("#id_category").select_option("events")
    page.locator("#id_description").fill("Serate")
    page.locator("#id_planned").fill("500")
    check(page, "budget-line")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{detail}")
    signature = reverse("pactsbo:signature", kwargs={"hub_slug": a.hub.slug, "pk": pact.pk})
    for party, name in (("hub", "Anna Coordinatrice"), ("group", "Sara Neri")):
        page.goto(live_server.url + signature)
        page.locator("#id_party").select_option(party)
        page.locator("#id_name").fill(name)
        page.locator("#id_role").fill("Firmataria")
        page.locator("#id_signed_on").fill(date.today().isoformat())
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"**{detail}")
    expect(page.locator('h1 + [data-status="signed"]')).to_be_visible()
    check(page, "detail-signed")
    line = pact.budget_lines.get()

    # The partner records an expense with its receipt; the hub approves it.
    receipt = tmp_path / "scontrino.png"
    receipt.write_bytes(PNG_BYTES)
    sign_in(page, live_server, a.users[Role.PARTNER])
    page.goto(
        live_server.url + reverse("pactsbo:expense_create", kwargs={"hub_slug": a.hub.slug, "pk": pact.pk})
    )
    page.locator("#id_line").select_option(str(line.pk))
    page.locator("#id_date").fill(date.today().isoformat())
    page.locator("#id_description").fill("Noleggio bici")
    page.locator("#id_amount").fill("120,50")
    page.locator("#id_receipt").set_input_files(str(receipt))
    check(page, "expense-form")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{detail}#money")
    check(page, "detail-partner")
    expense = Expense.objects.get(description="Noleggio bici")
    sign_in(page, live_server, a.users[Role.OPERATOR])
    page.goto(
        live_server.url + reverse("pactsbo:expense_decide", kwargs={"hub_slug": a.hub.slug, "pk": expense.pk})
    )
    check(page, "expense-decide")
    page.locator("button[name=decision][value=approve]").click()
    page.wait_for_url(f"**{detail}#money")
    expect(page.locator(f'[data-expense="{expense.pk}"] [data-status="approved"]')).to_be_visible()

    # The public page: the pact, its money, the young people as a number, no names.
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("pacts:public_pact", args=[a.hub.slug, pact.pk]))
    expect(page.locator('[data-figure="spent"]')).to_have_text("24%")
    expect(page.locator('[data-figure="young-people"]')).to_have_text("1")
    assert "Sara" not in page.content()
    check(page, "public-pact")


def test_the_hub_plans_a_co_design_meeting_ticks_who_came_closes_it_and_the_public_sees_the_next(
    live_server, world, page
):
    a = world.a
    pact = signed(a.hub, sub_area=SubAreaFactory(hub=a.hub, name="Vaiano"))
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, a.users[Role.OPERATOR])
    detail = reverse("pactsbo:pact_detail", kwargs={"hub_slug": a.hub.slug, "pk": pact.pk})
    page.goto(live_server.url + detail)
    page.locator(
        f'a[href="{reverse("pactsbo:meeting_create", kwargs={"hub_slug": a.hub.slug, "pk": pact.pk})}"]'
    ).click()
    page.get_by_label("data").fill(date.today().isoformat())
    page.get_by_label("Luogo").fill("Sala civica")
    page.get_by_label("Ordine del giorno").fill("Le serate d'estate")
    check(page, "meeting-create")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{detail}#meetings")
    meeting = pact.meetings.get()
    check(page, "detail-with-meeting")
    page.goto(
        live_server.url
        + reverse("pactsbo:meeting_attendance", kwargs={"hub_slug": a.hub.slug, "pk": meeting.pk})
    )
    proposer = pact.members.get(is_proposer=True)
    box = page.locator(f'input[name=attended][value="{proposer.pk}"]')
    page.locator(f'label[for="{box.get_attribute("id")}"]').click()  # the styled box is the label's
    expect(box).to_be_checked()
    check(page, "meeting-attendance")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{detail}#meetings")
    expect(page.locator(f'[data-meeting="{meeting.pk}"] [data-lists="1/1"]')).to_be_visible()
    page.goto(
        live_server.url + reverse("pactsbo:meeting_close", kwargs={"hub_slug": a.hub.slug, "pk": meeting.pk})
    )
    page.get_by_role("textbox", name="Verbale").fill("Scelte le date delle serate.")
    check(page, "meeting-close")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{detail}#meetings")
    expect(page.locator(f'[data-meeting="{meeting.pk}"] details')).to_contain_text("Scelte le date")
    services.meeting_add(
        pact=pact, date=date.today() + timedelta(days=7), place="Oratorio", agenda="Bilancio"
    )

    page.context.clear_cookies()
    page.goto(live_server.url + reverse("pacts:public_pact", args=[a.hub.slug, pact.pk]))
    expect(page.locator('[data-figure="next-meeting"]')).to_contain_text("Oratorio")
    expect(page.locator('[data-figure="meetings-held"]')).to_have_attribute("data-value", "1")
    check(page, "public-next-meeting")
