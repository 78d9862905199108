"""
The job fair in a real browser at phone width: a young person registers and opens the ticket
from the e-mail; at the door two staff phones scan the same ticket while the venue's
connection is down, and when it is back the fair counts one check-in and one "already used",
both logged with device and time; an exhibitor's person sees the contact a young person chose
to share at the stand. Every page on the way passes axe-core and fits the phone.
"""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from hubs import services as hub_services
from hubs.models import Role
from hubs.tests.factories import HubFactory, OrganizationFactory
from jobfair.models import CheckIn, Fair
from jobfair.tests.factories import FairFactory, exhibitor_for
from people.tests.factories import UserFactory

from .conftest import PHONE, axe_violations, link_from_mail, screenshot
from .test_backoffice_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, name: str) -> None:
    screenshot(page, f"jobfair-{name}")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    assert axe_violations(page) == [], name


@pytest.fixture
def today_fair():
    hub = HubFactory(slug="crema")
    today = timezone.localdate()
    fair = FairFactory(
        hub=hub,
        status=Fair.Status.PUBLISHED,
        date=today,
        opens_at=time(0, 0),
        closes_at=time(23, 59),
        visitors_until=today + timedelta(days=1),
    )
    staff = []
    for n in range(2):
        user = UserFactory(email=f"door{n}@crema.example.org", totp=True)
        hub_services.membership_create(hub=hub, user=user, role=Role.OPERATOR)
        staff.append(user)
    return fair, staff


def test_a_visitor_registers_and_two_offline_phones_check_the_ticket_in_once(
    live_server, today_fair, page, browser
):
    fair, staff = today_fair
    hub = fair.hub
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("jobfair:register", kwargs={"hub_slug": hub.slug, "pk": fair.pk}))
    check(page, "register")
    page.locator("#id_first_name").fill("Giulia")
    page.locator("#id_last_name").fill("Bianchi")
    page.locator("#id_email").fill("giulia@example.org")
    page.locator("#id_birth_date").fill(date(2005, 4, 2).isoformat())
    page.locator("#id_gender").select_option("female")
    page.locator("#id_status").select_option("student")
    page.locator("#id_education").select_option("upper_secondary")
    page.locator("label[for=id_notice_accepted]").check(position={"x": 10, "y": 12})
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator("main .alert-success")).to_be_visible()
    check(page, "registered")
    page.goto(link_from_mail(live_server.url, r"/fiera/biglietto/[^/\s]+/", to="giulia@example.org"))
    expect(page.locator("main .jf-qr svg")).to_be_visible()
    check(page, "ticket")
    token = fair.registrations.get().token

    # Two staff phones at the door; the venue's connection drops before either scans.
    phones = []
    for n, user in enumerate(staff):
        context = browser.new_context(viewport=PHONE)
        phone = context.new_page()
        sign_in(phone, live_server, user)
        phone.goto(
            live_server.url + reverse("jobfairbo:check_in", kwargs={"hub_slug": hub.slug, "pk": fair.pk})
        )
        expect(phone.locator("#jf-net")).to_be_visible()
        if n == 0:
            check(phone, "check-in")
        context.set_offline(True)
        phone.locator("#jf-token").fill(token)
        phone.locator("#jf-scan-form button[type=submit]").click()
        expect(phone.locator("#jf-feedback.jf-queued")).to_be_visible()
        expect(phone.locator("#jf-pending")).to_have_text("1")
        phones.append((context, phone))
    assert not CheckIn.objects.exists()  # nothing reached the server yet

    # The connection is back: each phone sends its queue.
    results = []
    for context, phone in phones:
        context.set_offline(False)
        phone.evaluate("window.dispatchEvent(new Event('online'))")
        expect(phone.locator("#jf-pending")).to_have_text("0")
        feedback = phone.locator("#jf-feedback")
        expect(feedback).not_to_have_class("jf-feedback jf-queued")
        results.append(feedback.get_attribute("class"))
        expect(phone.locator("#jf-counter")).to_have_text("1")
    assert results == ["jf-feedback jf-valid", "jf-feedback jf-already_used"]
    rows = list(CheckIn.objects.order_by("pk").values_list("result", "device", "scanned_at"))
    assert [r[0] for r in rows] == ["valid", "already_used"]
    assert rows[0][1] != rows[1][1] and all(r[1].startswith("device-") and r[2] for r in rows)
    for context, _phone in phones:
        context.close()


def test_an_exhibitor_sees_the_contact_a_young_person_shared_at_the_stand(live_server, page, browser):
    from jobfair import services

    hub = HubFactory(slug="crema")
    fair = FairFactory(hub=hub, status=Fair.Status.PUBLISHED)
    company = OrganizationFactory(hubs=[hub], kind="company", name="Cosmetica Cremasca")
    exhibitor = exhibitor_for(fair, company, area_slug="cosmetica")
    rep = UserFactory(email="rep@cosmetica.example.org", totp=True)
    hub_services.membership_create(hub=hub, user=rep, role=Role.EXHIBITOR, organization=company)
    registration = services.registration_create(
        fair=fair,
        person_data={
            "first_name": "Luca",
            "last_name": "Ferrari",
            "email": "luca@example.org",
            "phone": "333 1",
            "birth_date": date(2004, 1, 1),
            "gender": "male",
            "status": "student",
            "education": "upper_secondary",
        },
        notice_accepted=True,
    )
    # The young person opens the ticket on the phone, then scans the stand's QR.
    page.set_viewport_size(PHONE)
    page.goto(
        live_server.url
        + reverse("jobfair:ticket", kwargs={"hub_slug": hub.slug, "token": registration.token})
    )
    page.goto(
        live_server.url + reverse("jobfair:stand", kwargs={"hub_slug": hub.slug, "token": exhibitor.token})
    )
    check(page, "stand")
    page.locator("label[for=id_share_phone]").check(position={"x": 10, "y": 12})
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator("main .alert-success[role=status]")).to_be_visible()
    check(page, "stand-shared")

    context = browser.new_context(viewport=PHONE)
    desk = context.new_page()
    sign_in(desk, live_server, rep)
    desk.goto(live_server.url + reverse("jobfairbo:leads", kwargs={"hub_slug": hub.slug, "pk": exhibitor.pk}))
    expect(desk.locator("main table")).to_contain_text("luca@example.org")
    expect(desk.locator("main table")).to_contain_text("333 1")
    check(desk, "leads")
    context.close()
