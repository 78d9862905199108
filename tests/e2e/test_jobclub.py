"""
The job club in a real browser at phone width: a school referent validates a register the
trainer signed; a student links their account with the school's code and downloads their
certificate; the public page checks the certificate's code. Every page passes axe-core and
nothing is wider than the phone.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from hubs.models import Role
from jobclub.models import RegisterStatus
from jobclub.tests.factories import make_session, take_register
from people.tests.factories import UserFactory

from .conftest import PHONE, axe_violations, screenshot
from .test_backoffice_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, name: str) -> None:
    screenshot(page, f"jobclub-{name}")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    assert axe_violations(page) == [], name


def test_a_school_referent_validates_a_signed_register(live_server, world, page):
    a = world.a
    session = take_register(make_session(a.jobclub_path, days_ago=2, hour=11), a.users[Role.OPERATOR])
    assert session.register_status == RegisterStatus.SIGNED
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, a.users[Role.SCHOOL])
    page.goto(live_server.url + reverse("jobclubbo:home", kwargs={"hub_slug": a.hub.slug}))
    check(page, "home-school")
    page.locator(f'main a[href$="/percorsi/{a.jobclub_path.pk}/"]').click()
    page.locator(f'main a[href$="/incontri/{session.pk}/"]').click()
    expect(page.locator("main [data-status=signed]")).to_be_visible()
    check(page, "session-signed")
    page.locator(f'main a[href$="/incontri/{session.pk}/convalida/"]').click()
    check(page, "validate")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main [data-status=validated]")).to_be_visible()
    check(page, "session-validated")
    session.refresh_from_db()
    assert session.validated_by == a.users[Role.SCHOOL]


def test_a_student_downloads_their_certificate_and_the_public_page_checks_it(live_server, world, page):
    a = world.a
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, UserFactory())
    page.goto(live_server.url + reverse("jobclub:my_hours"))
    check(page, "my-hours-empty")
    page.locator("#id_code").fill("WRONG")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_code-error")).to_be_visible()
    check(page, "my-hours-error")
    page.locator("#id_code").fill(a.student.access_code)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(f'main [data-student="{a.student.pk}"]')).to_be_visible()
    check(page, "my-hours")
    with page.expect_download() as download:
        page.locator(f'main a[href="{reverse("jobclub:my_certificate", args=[a.student.pk])}"]').click()
    assert download.value.suggested_filename.endswith(f"{a.certificate.code}.pdf")

    # two questions before the path: anonymous unless they untick it
    page.locator(f'main a[href="{reverse("jobclub:my_self_assessment", args=[a.student.pk])}"]').click()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_knowledge-error")).to_be_visible()
    check(page, "self-assessment-errors")
    page.locator("label[for=id_knowledge_3]").click()
    page.locator("label[for=id_readiness_1]").click()
    page.locator("main form button[type=submit]").click()
    expect(page.locator(f'main [data-student="{a.student.pk}"]')).to_be_visible()
    assert a.jobclub_path.self_assessments.get().student is None

    page.context.clear_cookies()
    page.goto(live_server.url + reverse("jobclub:verify", args=[a.hub.slug]))
    check(page, "verify")
    page.locator("#id_code").fill(a.certificate.code)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main [data-verdict=valid]")).to_be_visible()
    check(page, "verify-valid")
    page.locator("#id_code").fill("ABCDEFGHJKLM")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main [data-verdict=invalid]")).to_be_visible()
    check(page, "verify-invalid")
