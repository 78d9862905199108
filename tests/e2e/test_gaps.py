"""
In a real browser at phone width (and the equity view at desk width too): a partner organization's
trainer takes the register of their own session; staff follow a job fair help request to the desk
request and the Together We Work request it became; the equity view with a figure of the
territory. Every page passes axe-core and nothing is wider than the phone.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from hubs.models import Role
from hubs.network.models import TerritoryFigure
from jobclub.models import RegisterStatus
from jobclub.tests.factories import make_session
from jobfair import services as fair_services
from jobfair.models import Fair
from jobfair.tests.factories import FairFactory
from people.models import PersonHub
from people.tests.factories import PersonFactory

from .conftest import PHONE, axe_violations, screenshot
from .test_backoffice_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, name: str, width: int = PHONE["width"]) -> None:
    screenshot(page, f"gaps-{name}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    assert axe_violations(page) == [], name


def bo(live_server, name, hub, **kwargs) -> str:
    return live_server.url + reverse(name, kwargs={"hub_slug": hub.slug, **kwargs})


def test_a_partner_trainer_takes_the_register_of_their_session(live_server, world, page):
    a = world.a
    trainer = a.users[Role.PARTNER]
    session = make_session(a.jobclub_path, days_ago=2, hour=11, trainer=trainer, topic="Colloquio")
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, trainer)
    page.goto(bo(live_server, "jobclubbo:home", a.hub))
    check(page, "trainer-home")
    page.locator(f'main a[href$="/incontri/{session.pk}/"]').click()
    check(page, "trainer-session")
    page.locator(f'main a[href$="/incontri/{session.pk}/registro/"]').click()
    check(page, "trainer-register")
    page.locator("main form.jc-register button[type=submit]").click()
    page.locator(f'main a[href$="/incontri/{session.pk}/firma/"]').click()
    check(page, "trainer-sign")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main [data-status=signed]")).to_be_visible()
    session.refresh_from_db()
    assert session.register_status == RegisterStatus.SIGNED and session.signed_by == trainer


def test_staff_follow_a_fair_help_request_to_where_it_landed(live_server, world, page):
    a = world.a
    fair = FairFactory(hub=a.hub, status=Fair.Status.PUBLISHED)
    people = [
        fair_services.registration_create(
            fair=fair,
            person_data={
                "first_name": first,
                "last_name": "Rota",
                "email": f"{first.lower()}@example.org",
                "birth_date": date(2003, 4, 1),
                "gender": "female",
                "status": "neet",
                "education": "lower_secondary",
            },
            notice_accepted=True,
        )
        for first in ("Ada", "Bea")
    ]
    fair_services.help_request_create(
        registration=people[0], kind="desk", consent=True, message="Orientamento"
    )
    to_path = fair_services.help_request_create(registration=people[1], kind="path", consent=True)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, a.users[Role.OPERATOR])
    page.goto(bo(live_server, "jobfairbo:help_list", a.hub, pk=fair.pk))
    check(page, "help-list")
    page.locator('main [data-landed^="desk-"] a').click()
    expect(page.locator("#enquiry-origin")).to_be_visible()
    check(page, "help-enquiry")
    page.goto(bo(live_server, "placementsbo:path_list", a.hub))
    expect(page.locator(f'[data-path-request="{to_path.landed_id}"]')).to_be_visible()
    check(page, "path-list-requests")
    page.locator(f'[data-path-request="{to_path.landed_id}"] a').click()
    expect(page.locator("#path-request-status")).to_be_visible()
    check(page, "path-request")


def test_the_equity_view_beside_the_territorys_figures(live_server, world, page):
    a = world.a
    here = a.antenna.municipality
    a.sub_area.municipalities.add(here)
    # the world's young people were reached last year: this year's are the test's own
    PersonHub.objects.filter(hub=a.hub).update(since=timezone.now() - timedelta(days=366))
    for n in range(12):
        person = PersonFactory(municipality=here, status="neet" if n < 6 else "student")
        PersonHub.objects.create(person=person, hub=a.hub)
    TerritoryFigure.objects.create(
        hub=a.hub, sub_area=a.sub_area, measure="neet", percent="18.5", source="ISTAT", year=2021
    )
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, a.users[Role.HUB_ADMIN])
    page.goto(bo(live_server, "network:equity", a.hub))
    expect(page.locator(f'[data-area="{a.sub_area.pk}"] [data-reached]')).to_have_text("12")
    check(page, "equity-phone")
    page.locator("#id_measure").select_option("low_schooling")
    page.locator("#id_percent").fill("12.0")
    page.locator("#id_source").fill("Piano di Zona")
    page.locator("#id_year").fill("2022")
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator(".alert-success, [role=status], .callout").first).to_be_visible()
    assert TerritoryFigure.objects.filter(hub=a.hub, sub_area=None, measure="low_schooling").exists()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    check(page, "equity-desk", width=1280)
