"""
The operator's day in a real browser at phone width: signing in (password and authenticator)
lands on "today"; from there the day's calendar, where one roll call marks a whole session;
the week a click away; the printable agenda. Every page: 0 axe violations, no sideways scroll,
and the same pages at 1280 px for a person to look at (var/screenshots/).
"""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse
from playwright.sync_api import expect

from desk.models import Booking
from hubs.models import Role
from people.tests.factories import PASSWORD

from .conftest import screenshot
from .test_desk_backoffice import check, filled, url  # noqa: F401  (the filled hub is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_signing_in_lands_on_today_and_one_roll_call_marks_the_session(live_server, filled, page):  # noqa: F811
    a = filled.a
    operator = a.users[Role.OPERATOR]
    slot = a.today_booking.slot
    other = Booking.objects.get(slot=slot, person=a.person)
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(live_server.url + reverse("account_login"))
    page.locator("input[name=login]").fill(operator.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/2fa/authenticate/**")
    page.locator("input[name=code]").fill(
        format_hotp_value(hotp_value(operator.totp_secret, int(time.time()) // 30))
    )
    page.locator("input[name=code]").press("Enter")

    page.wait_for_url(f"**{url('today', a.hub)}")
    expect(page.locator("main h1")).to_have_text("Oggi")
    expect(page.locator(f'main [data-slot="{slot.pk}"]')).to_contain_text("posti prenotati: 2 su 2")
    nav = page.locator("#backoffice-nav")
    for label in ("Sportello", "Calendario", "Persone", "Richieste"):
        expect(nav.get_by_role("link", name=label, exact=True, include_hidden=True)).to_have_count(1)
    check(page, "today")

    page.get_by_role("link", name="La mia giornata nel calendario").click()
    page.wait_for_url("**view=day**")
    form = page.locator(f'form[action="{url("roll_call", a.hub, slot_id=slot.pk)}"]')
    expect(form.locator("fieldset")).to_have_count(2)
    check(page, "calendar-day-roll-call")
    form.locator(f'label[for="rc-{other.pk}-n"]').click()  # Giulia came (the default), the other did not
    form.get_by_role("button", name="Salva l'appello").click()
    expect(page.locator("main .alert-success")).to_contain_text("Appello salvato: 2 prenotazioni registrate.")
    statuses = dict(Booking.objects.filter(slot=slot).values_list("pk", "status"))
    assert statuses == {a.today_booking.pk: "attended", other.pk: "no_show"}
    expect(page.locator(f"#rc-{other.pk}-n")).to_be_checked()
    check(page, "calendar-day-after-roll-call")

    page.get_by_role("link", name="Mostra la settimana").click()
    page.wait_for_url("**view=week**")
    expect(page.locator(f'main [data-slot="{slot.pk}"]')).to_contain_text("Giulia Verdi")
    check(page, "calendar-week-grid")

    page.goto(live_server.url + url("calendar", a.hub))
    page.get_by_role("link", name="Agenda da stampare").click()
    expect(page.locator("main")).to_contain_text("Scegliere l'università")
    check(page, "agenda")
    page.emulate_media(media="print")
    expect(page.locator("#backoffice-nav")).to_be_hidden()
    expect(page.locator("header.it-header-wrapper")).to_be_hidden()
    screenshot(page, "deskbo-agenda-print")
    page.emulate_media(media="screen")

    page.set_viewport_size({"width": 1280, "height": 900})
    for name, address in (
        ("today", url("today", a.hub)),
        ("calendar-day", url("calendar", a.hub)),
        ("calendar-week", url("calendar", a.hub) + "?view=week"),
        ("agenda", url("agenda", a.hub)),
    ):
        page.goto(live_server.url + address)
        screenshot(page, f"deskbo-desktop-{name}")
