"""
The Cabina di Regia's pages in a browser: the dashboard at phone and desktop width, the network
view, a report that turns ready while the list polls, meetings and targets. axe-core finds
nothing on any of them, and nothing scrolls sideways at 390 px.
"""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from desk.models import Booking
from desk.tests.factories import BookingFactory, SlotFactory
from governance import services
from governance.models import Meeting, Report, Snapshot, Target
from governance.tests.factories import DecisionFactory, MeetingFactory, ReportFactory, TargetFactory
from hubs.models import Role

from .conftest import PHONE, axe_violations, font_families_loaded, overlapping_text, screenshot
from .test_backoffice_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}


def url(name, hub, **kwargs):
    return reverse(f"governance:{name}", kwargs={"hub_slug": hub.slug, **kwargs})


def problems(page, name: str, width: dict = PHONE) -> list:
    """A screenshot to look at; what axe finds, and anything wider than the window."""
    screenshot(page, f"governance-{name}")
    found = axe_violations(page)
    if page.evaluate("document.documentElement.scrollWidth") > width["width"]:
        found.append(f"scrolls sideways at {width['width']} px")
    return found


def check(page, name: str, width: dict = PHONE) -> None:
    assert problems(page, name, width) == [], name


@pytest.fixture
def monitored(world):
    """Hub A a year into the project: targets, people reached month by month, monthly snapshots."""
    a = world.a
    today = timezone.localdate()
    plan = services.plan_get(hub=a.hub)
    plan.starts_on, plan.ends_on = today - timedelta(days=330), today + timedelta(days=240)
    plan.save()
    services.load_targets(a.hub)
    TargetFactory(
        hub=a.hub,
        indicator_key="desk.people_reached",
        action=2,
        position=1,
        title="Giovani raggiunti dallo sportello",
        value=Decimal(40),
    )
    TargetFactory(
        hub=a.hub,
        indicator_key="placements.hours_delivered",
        action=5,
        position=9,
        title="Ore di accompagnamento erogate",
        value=Decimal(90),
    )
    for months_ago in range(9, -1, -1):
        slot = SlotFactory(
            service=a.service, capacity=6, starts_at=timezone.now() - timedelta(days=30 * months_ago + 3)
        )
        for _ in range(1 + months_ago % 3 + (9 - months_ago) // 3):
            BookingFactory(slot=slot, status=Booking.Status.ATTENDED)
    month = today.replace(day=1)
    for _ in range(8):  # the last day of each of the eight months before this one
        as_of = month - timedelta(days=1)
        services.snapshot_take(hub=a.hub, kind=Snapshot.Kind.MONTHLY, as_of=as_of)
        services.snapshot_take(hub=None, kind=Snapshot.Kind.MONTHLY, as_of=as_of)
        month = as_of.replace(day=1)
    meeting = MeetingFactory(
        hub=a.hub,
        date=today - timedelta(days=20),
        place="Sala riunioni, Crema",
        attendees="Anna Rossi, Comune di Crema\nLuca Bianchi, Cooperativa Il Seme",
        agenda="1. Stato degli indicatori\n2. Calendario della fiera",
        minutes="Si decide di contattare gli istituti tecnici entro fine mese.",
        snapshot=services.snapshot_take(hub=a.hub, by=a.users[Role.HUB_ADMIN]),
    )
    DecisionFactory(
        meeting=meeting,
        text="Contattare i tre istituti tecnici",
        owner=a.users[Role.OPERATOR],
        due_on=today + timedelta(days=10),
    )
    DecisionFactory(
        meeting=meeting,
        text="Preparare il calendario della fiera",
        owner_name="Marta Verdi",
        due_on=today - timedelta(days=2),
    )
    a.meeting = meeting
    return world


def test_dashboard_at_desktop_and_phone_width(live_server, monitored, page):
    a = monitored.a
    sign_in(page, live_server, a.users[Role.STEERING])
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + url("dashboard", a.hub))
    page.wait_for_function(
        "window.Chart && document.querySelectorAll('canvas[data-trend]').length"
        " && [...document.querySelectorAll('canvas[data-trend]')]"
        ".every(c => window.Chart.getChart(c))"
    )
    expect(page.locator("[data-summary]")).to_have_count(4)
    people = page.locator('[data-indicator="desk.people_reached"]')
    expect(people.locator("[data-status]")).to_have_text(re.compile(r"\S"))
    # the chart says its points in words: eight months or more, "month: value" each
    expect(people.locator("canvas")).to_have_attribute("aria-label", re.compile(r"(.*:){8}"))
    check(page, "dashboard-desktop", DESKTOP)
    # Bootstrap Italia's font, not a fallback: loaded, and the one the cards' headings are set in
    assert "Titillium Web" in font_families_loaded(page)
    heading = page.locator(".gov-indicator h3").first
    assert heading.evaluate("h => getComputedStyle(h).fontFamily").startswith('"Titillium Web"')
    overlaps = overlapping_text(page)
    assert overlaps == [], overlaps
    # a link to each action above them, each leading to its section
    jumps = page.get_by_role("navigation", name="Vai a un'azione").get_by_role("link")
    expect(jumps).to_have_count(page.locator("section.gov-action").count())
    jumps.last.click()
    expect(page.locator("section.gov-action").last).to_be_in_viewport()
    page.set_viewport_size(PHONE)
    page.reload()
    page.wait_for_function("window.Chart && window.Chart.getChart(document.querySelector('canvas'))")
    check(page, "dashboard-phone")


def test_operator_drills_down_from_a_number(live_server, monitored, page):
    a = monitored.a
    sign_in(page, live_server, a.users[Role.OPERATOR])
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + url("dashboard", a.hub))
    link = page.locator('[data-indicator="desk.people_reached"] [data-value] a')
    link.click()
    page.wait_for_url(f"**{reverse('deskbo:person_list', kwargs={'hub_slug': a.hub.slug})}")


def test_network_view(live_server, monitored, page):
    a = monitored.a
    report = ReportFactory(snapshot=Snapshot.objects.network().first(), hub=None)
    services.report_generate(report_id=report.pk)
    sign_in(page, live_server, a.users[Role.REGIONAL])
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + url("network", a.hub))
    page.wait_for_function("window.Chart && document.querySelector('canvas[data-trend]')")
    expect(page.locator("main [data-value] a")).to_have_count(0)
    expect(page.locator("[data-download]")).to_have_count(1)
    check(page, "network-desktop", DESKTOP)
    page.set_viewport_size(PHONE)
    page.reload()
    check(page, "network-phone")


def test_a_pending_report_turns_ready_while_the_list_polls(live_server, monitored, page):
    a = monitored.a
    snapshot = services.snapshot_take(hub=a.hub)
    report = ReportFactory(snapshot=snapshot, requested_by=a.users[Role.STEERING])
    failed = ReportFactory(
        snapshot__hub=a.hub,
        status=Report.Status.FAILED,
        attempts=3,
        error="OSError: [Errno 28] No space left on device",
    )
    sign_in(page, live_server, a.users[Role.HUB_ADMIN])
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + url("report_list", a.hub))
    row = page.locator(f'tr[data-report="{report.pk}"]')
    expect(row.locator("[data-report-status]")).to_have_attribute("data-report-status", "pending")
    expect(row.locator('[role="status"]')).to_have_count(1)
    check(page, "reports-pending")
    assert services.report_generate(report_id=report.pk)
    expect(row.locator("[data-download]")).to_be_visible()  # the list asks every 2 seconds
    expect(row.locator("[data-report-status]")).to_have_attribute("data-report-status", "ready")
    expect(page.locator(f'tr[data-report="{failed.pk}"] [data-error]')).to_be_visible()
    check(page, "reports-ready")
    with page.expect_download() as download:
        row.locator("[data-download]").click()
    assert download.value.suggested_filename.endswith(".pdf")


def test_request_a_report_from_the_page(live_server, monitored, page):
    a = monitored.a
    sign_in(page, live_server, a.users[Role.STEERING])
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + url("report_request", a.hub))
    check(page, "report-request")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{url('report_list', a.hub)}")
    report = Report.objects.for_hub(a.hub).latest("created_at")
    # generated at once in tests (eager tasks) or still on its way: either way the row tells it
    expect(page.locator(f'tr[data-report="{report.pk}"] [data-download]')).to_be_visible(timeout=20_000)
    check(page, "report-requested")


def test_meetings_pages(live_server, monitored, page):
    a = monitored.a
    sign_in(page, live_server, a.users[Role.OPERATOR])
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + url("meeting_list", a.hub))
    expect(page.locator("main").get_by_text("scaduta").first).to_be_visible()
    check(page, "meeting-list")
    page.goto(live_server.url + url("meeting_detail", a.hub, pk=a.meeting.pk))
    check(page, "meeting-detail")
    page.goto(live_server.url + url("meeting_create", a.hub))
    page.locator("#id_date").fill("2023-03-15")
    page.locator("#id_attendees").fill("Anna Rossi")
    page.locator("#id_agenda").fill("Indicatori")
    page.locator("label[for=id_take_snapshot]").check()  # Bootstrap Italia draws the box on the label
    expect(page.locator("#id_take_snapshot")).to_be_checked()
    page.locator("#id_snapshot").select_option(str(a.meeting.snapshot_id))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_snapshot-error")).to_be_visible()  # not both
    check(page, "meeting-form-errors")
    page.locator("#id_snapshot").select_option("")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/riunioni/*/")
    meeting = Meeting.objects.for_hub(a.hub).get(date=date(2023, 3, 15))
    assert meeting.snapshot is not None
    page.locator(f'a[href="{url("decision_create", a.hub, meeting_id=meeting.pk)}"]').click()
    page.locator("#id_text").fill("Rivedere gli obiettivi")
    page.locator("#id_owner_name").fill("Marta Verdi")
    page.locator("#id_due_on").fill("2023-03-01")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_due_on-error")).to_be_visible()
    check(page, "decision-form-errors")
    page.locator("#id_due_on").fill("2023-04-01")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{url('meeting_detail', a.hub, pk=meeting.pk)}")
    expect(page.locator("main table").get_by_text("Rivedere gli obiettivi")).to_be_visible()
    check(page, "meeting-with-decision")


def test_targets_and_timeline(live_server, monitored, page):
    a = monitored.a
    sign_in(page, live_server, a.users[Role.HUB_ADMIN])
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + url("target_list", a.hub))
    check(page, "target-list")
    page.goto(live_server.url + url("plan_update", a.hub))
    page.locator("#id_ends_on").fill("2020-01-01")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_ends_on-error")).to_be_visible()
    check(page, "plan-errors")


GOVERNANCE_PAGES = [
    ("dashboard", Role.HUB_ADMIN),
    ("network", Role.STEERING),
    ("export", Role.HUB_ADMIN),
    ("snapshot_list", Role.STEERING),
    ("snapshot_create", Role.STEERING),
    ("snapshot_detail", Role.STEERING),
    ("report_list", Role.STEERING),
    ("report_request", Role.OPERATOR),
    ("target_list", Role.HUB_ADMIN),
    ("target_update", Role.HUB_ADMIN),
    ("plan_update", Role.HUB_ADMIN),
    ("meeting_list", Role.STEERING),
    ("meeting_create", Role.OPERATOR),
    ("meeting_detail", Role.STEERING),
    ("meeting_update", Role.OPERATOR),
    ("decision_create", Role.OPERATOR),
    ("decision_update", Role.OPERATOR),
]


def test_every_governance_page_passes_axe_at_desktop_width(live_server, monitored, page):
    """Each page as a role that uses it, in one browser session (one world for all pages)."""
    a = monitored.a
    kwargs = {
        "snapshot_detail": {"pk": a.meeting.snapshot.pk},
        "target_update": {"pk": Target.objects.for_hub(a.hub).first().pk},
        "meeting_detail": {"pk": a.meeting.pk},
        "meeting_update": {"pk": a.meeting.pk},
        "decision_create": {"meeting_id": a.meeting.pk},
        "decision_update": {"pk": a.meeting.decisions.first().pk},
    }
    page.set_viewport_size(DESKTOP)
    found, signed_in = {}, None
    for name, role in sorted(GOVERNANCE_PAGES, key=lambda item: item[1]):
        if role != signed_in:
            page.context.clear_cookies()
            sign_in(page, live_server, a.users[role])
            signed_in = role
        response = page.goto(live_server.url + url(name, a.hub, **kwargs.get(name, {})))
        if response.status != 200:
            found[name] = f"status {response.status}"
        elif wrong := problems(page, f"desktop-{name}", DESKTOP):
            found[name] = wrong
    assert found == {}
