"""The Cabina di Regia's pages as each role sees them: masking, drill-down, reports, meetings."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from desk.models import Booking, Channel
from desk.tests.factories import BookingFactory, SlotFactory
from governance import services
from governance.models import Decision, Meeting, MonitoringPlan, Report, Snapshot, Target
from governance.templatetags.governance import STATUS_LABELS
from governance.tests.factories import DecisionFactory, MeetingFactory, ReportFactory, TargetFactory
from hubs.models import Role


@pytest.fixture
def world(module_world):
    """Built once for this module; each test is rolled back and starts from the world as built."""
    return module_world


STAFF_LIST = "deskbo:person_list"  # where "Young people reached" drills down to


def url(name, hub_data, **kwargs):
    return reverse(f"governance:{name}", kwargs={"hub_slug": hub_data.hub.slug, **kwargs})


def reach(hub_data, people: int, days_ago: int = 10) -> None:
    """`people` young people who attended a session of the hub some days ago."""
    slot = SlotFactory(
        service=hub_data.service, capacity=people, starts_at=timezone.now() - timedelta(days=days_ago)
    )
    for _person in range(people):
        BookingFactory(slot=slot, status=Booking.Status.ATTENDED)


def row_of(response, key: str) -> str:
    """The markup of one indicator's row on a page."""
    html = response.content.decode()
    start = html.index(f'data-indicator="{key}"')
    end = html.find("data-indicator=", start + 1)
    return html[start : end if end != -1 else None]


# --- the dashboard ---------------------------------------------------------------------------


def test_operator_sees_the_number_with_a_link_to_the_list_it_counts(client, world):
    reach(world.a, 3)
    client.force_login(world.a.users[Role.OPERATOR])
    response = client.get(url("dashboard", world.a))
    assert response.status_code == 200
    row = row_of(response, "desk.people_reached")
    link = reverse(STAFF_LIST, kwargs={"hub_slug": world.a.hub.slug})
    assert f'href="{link}"' in row
    assert ">3<" in row
    assert "&lt; 5" not in row


def test_steering_sees_small_counts_masked_and_no_drill_down(client, world):
    reach(world.a, 3)
    client.force_login(world.a.users[Role.STEERING])
    response = client.get(url("dashboard", world.a))
    row = row_of(response, "desk.people_reached")
    assert "&lt; 5" in row
    assert ">3<" not in row
    assert "<a " not in row
    # no number anywhere on the page leads to a staff list
    assert reverse(STAFF_LIST, kwargs={"hub_slug": world.a.hub.slug}) not in response.content.decode()
    assert _("Counts of fewer than five people are shown as “< 5”, so that nobody can be recognised.") in (
        response.content.decode()
    )


def reach_by_gender(hub_data, **genders: int) -> None:
    """Young people of each gender who attended a session of the hub ten days ago."""
    for gender, people in genders.items():
        slot = SlotFactory(
            service=hub_data.service, capacity=people, starts_at=timezone.now() - timedelta(days=10)
        )
        for _person in range(people):
            BookingFactory(slot=slot, status=Booking.Status.ATTENDED, person__gender=gender)


def test_a_small_entry_cannot_be_worked_out_from_the_total_on_the_dashboard(client, world):
    """10 young people, 8 women and 2 men: "10" and "female: 8" would give "male: < 5" away."""
    reach_by_gender(world.a, female=8, male=2)
    client.force_login(world.a.users[Role.STEERING])
    response = client.get(url("dashboard", world.a))
    assert ">10<" in row_of(response, "desk.people_reached")
    row = row_of(response, "desk.people_by_gender")
    assert ">10<" in row  # the total stays: targets are measured against it
    assert "<strong>&lt; 5</strong>" in row and "<strong>*</strong>" in row
    assert ">8<" not in row and ">2<" not in row
    note = (
        "A number written “*” is hidden as well, so that a count under five cannot be worked out "
        "from the total."
    )
    assert _(note) in response.content.decode()
    client.force_login(world.a.users[Role.OPERATOR])  # the hub's staff see the numbers
    row = row_of(client.get(url("dashboard", world.a)), "desk.people_by_gender")
    assert "<strong>8</strong>" in row and "<strong>2</strong>" in row


def test_steering_sees_counts_of_five_or_more(client, world):
    reach(world.a, 6)
    client.force_login(world.a.users[Role.STEERING])
    row = row_of(client.get(url("dashboard", world.a)), "desk.people_reached")
    assert ">6<" in row


def test_every_target_of_the_plan_is_measured_now_that_every_action_has_its_app(client, world):
    """Until an action's app existed its targets read "not yet measured" (never 0); now none does."""
    services.load_targets(world.a.hub)
    client.force_login(world.a.users[Role.HUB_ADMIN])
    response = client.get(url("dashboard", world.a))
    assert response.context["counts"]["not_measured"] == 0
    for key in ("pacts.pacts", "jobclub.paths_technical", "jobclub.paths_licei", "jobfair.fairs"):
        assert 'data-value="not-measured"' not in row_of(response, key), key


def test_status_is_written_in_words_not_colour_only(client, world):
    services.load_targets(world.a.hub)
    client.force_login(world.a.users[Role.HUB_ADMIN])
    row = row_of(client.get(url("dashboard", world.a)), "placements.paths_completed")
    status = services.indicator_rows(hub=world.a.hub)
    expected = next(r["status"] for r in status if r["key"] == "placements.paths_completed")
    words = {"on_track": _("On track"), "at_risk": _("At risk"), "behind": _("Behind")}[expected]
    assert f'data-status="{expected}"' in row and words in row


def test_the_trend_comes_with_its_numbers_as_text(client, world):
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    before = last_month.replace(day=1) - timedelta(days=1)
    today = timezone.localdate()
    reach(world.a, 2, days_ago=(today - before).days + 5)
    services.snapshot_take(hub=world.a.hub, kind=Snapshot.Kind.MONTHLY, as_of=before)
    reach(world.a, 6, days_ago=(today - last_month).days + 3)
    services.snapshot_take(hub=world.a.hub, kind=Snapshot.Kind.MONTHLY, as_of=last_month)
    client.force_login(world.a.users[Role.STEERING])
    response = client.get(url("dashboard", world.a))
    row = row_of(response, "desk.people_reached")
    assert "<canvas" in row and 'role="img"' in row
    prefix = _("Trend over the monthly snapshots: %(text)s").split("%(text)s")[0]
    label = row[row.index(f'aria-label="{prefix}') :]
    label = label[: label.index('">')]
    assert "&lt; 5" in label and ": 8" in label
    assert 'id="gov-trends"' in response.content.decode()
    # the masked month is left out of the drawn line, the other is drawn
    chart_id = row[row.index('data-trend="') + 12 :].split('"')[0]
    assert response.context["charts"][chart_id]["values"] == [None, 8]


def _dashboard_queries(client, hub_data) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("dashboard", hub_data)).status_code == 200
    return len(queries)


def test_dashboard_query_count_does_not_grow_with_the_data(client, world, django_assert_max_num_queries):
    services.load_targets(world.a.hub)
    client.force_login(world.a.users[Role.OPERATOR])
    reach(world.a, 1)
    services.snapshot_take(
        hub=world.a.hub,
        kind=Snapshot.Kind.MONTHLY,
        as_of=timezone.localdate().replace(day=1) - timedelta(days=1),
    )
    small = _dashboard_queries(client, world.a)
    reach(world.a, 12)
    for months_ago in range(2, 8):
        day = timezone.localdate().replace(day=1) - timedelta(days=31 * months_ago)
        services.snapshot_take(hub=world.a.hub, kind=Snapshot.Kind.MONTHLY, as_of=day)
    with django_assert_max_num_queries(small):
        assert client.get(url("dashboard", world.a)).status_code == 200


# --- the network ---------------------------------------------------------------------------------


def test_the_network_page_shows_aggregates_only(client, world):
    reach(world.a, 2)
    reach(world.b, 1)
    client.force_login(world.a.users[Role.HUB_ADMIN])  # even the coordinator sees it masked
    response = client.get(url("network", world.a))
    assert response.status_code == 200
    row = row_of(response, "desk.people_reached")
    assert "&lt; 5" in row and ">3<" not in row
    assert "<a " not in row
    html = response.content.decode()
    assert world.b.hub.name not in html  # no hub by name: the network's sum
    # the page links to no list of people (the back-office menu, beside it, names the desk's tasks)
    page_body = html.split('id="backoffice-nav"', 1)[-1].split("</nav>", 1)[-1]
    assert reverse(STAFF_LIST, kwargs={"hub_slug": world.a.hub.slug}) not in page_body
    hubs_row = row_of(response, "hubs.hubs_in_network")
    assert ">2<" in hubs_row


def test_network_reports_are_for_network_roles_only(client, world):
    report = ReportFactory(snapshot__hub=None)
    assert services.report_generate(report_id=report.pk)
    client.force_login(world.a.users[Role.STEERING])
    network = client.get(url("network", world.a))
    download = url("report_download", world.a, pk=report.pk)
    assert download in network.content.decode()
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(world.a.users[Role.OPERATOR])
    assert client.get(download).status_code == 404
    assert client.get(url("network", world.a)).status_code == 403


# --- export --------------------------------------------------------------------------------------


KEY, VALUE, TARGET, STATUS = 3, 5, 8, 10  # columns of the file (headers are translated)


def _csv_rows(response) -> dict[str, list]:
    """The file's rows by indicator key (and part)."""
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))[1:]
    return {row[KEY] + (f":{row[4]}" if row[4] else ""): row for row in rows}


def test_export_csv_as_the_operator_has_the_numbers(client, world):
    reach(world.a, 3)
    services.load_targets(world.a.hub)
    TargetFactory(hub=world.a.hub, indicator_key="future.fairs", value=1)  # no app registers it
    client.force_login(world.a.users[Role.OPERATOR])
    response = client.get(url("export", world.a), {"scope": "hub", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv_rows(response)
    assert rows["desk.people_reached"][VALUE] == "3"
    fairs = rows["future.fairs"]
    assert fairs[VALUE] == "" and fairs[TARGET] == "1"
    assert fairs[STATUS] == str(STATUS_LABELS["not_measured"])


def test_export_is_masked_for_steering_and_the_network(client, world):
    reach(world.a, 3)
    client.force_login(world.a.users[Role.STEERING])
    rows = _csv_rows(client.get(url("export", world.a), {"scope": "hub", "format": "csv"}))
    assert rows["desk.people_reached"][VALUE] == "< 5"
    response = client.get(url("export", world.a), {"scope": "network", "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = {row[KEY]: row[VALUE] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["desk.people_reached"] == "< 5"
    assert values["hubs.hubs_in_network"] == 2


def test_a_small_entry_cannot_be_worked_out_from_the_total_in_the_export(client, world):
    reach_by_gender(world.a, female=8, male=2)
    client.force_login(world.a.users[Role.STEERING])
    for scope in ("hub", "network"):
        row = _csv_rows(client.get(url("export", world.a), {"scope": scope, "format": "csv"}))[
            "desk.people_by_gender"
        ]
        assert row[VALUE] == "10"
        entries = dict(entry.split(": ") for entry in row[VALUE + 2].split("; "))
        assert entries == {"female": "*", "male": "< 5"}, scope


def test_the_network_export_is_for_network_roles_only(client, world):
    client.force_login(world.a.users[Role.OPERATOR])
    assert client.get(url("export", world.a), {"scope": "network", "format": "csv"}).status_code == 403
    page = client.get(url("export", world.a))
    assert page.status_code == 200 and 'value="network"' not in page.content.decode()


# --- snapshots ----------------------------------------------------------------------------------


def test_steering_takes_a_snapshot_and_sees_it_masked_as_of_its_day(client, world):
    reach(world.a, 2)
    client.force_login(world.a.users[Role.STEERING])
    response = client.post(url("snapshot_create", world.a))
    snapshot = Snapshot.objects.for_hub(world.a.hub).get()
    assert response.url == url("snapshot_detail", world.a, pk=snapshot.pk)
    reach(world.a, 10)  # later data never changes a snapshot
    detail = client.get(response.url)
    assert "data-as-of" in detail.content.decode()
    assert "&lt; 5" in row_of(detail, "desk.people_reached")
    client.force_login(world.a.users[Role.OPERATOR])
    assert ">2<" in row_of(client.get(response.url), "desk.people_reached")


# --- reports -------------------------------------------------------------------------------------


def test_a_report_request_returns_at_once_and_the_status_shows_the_download_once_ready(client, world):
    client.force_login(world.a.users[Role.STEERING])
    response = client.post(url("report_request", world.a))
    assert response.url == url("report_list", world.a)
    report = Report.objects.for_hub(world.a.hub).get()
    assert report.status == Report.Status.PENDING  # generation is queued after commit, not done
    status_url = url("report_status", world.a, pk=report.pk)
    listing = client.get(response.url).content.decode()
    assert f'hx-get="{status_url}"' in listing and 'hx-trigger="every 2s"' in listing
    partial = client.get(status_url, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert 'hx-trigger="every 2s"' in partial.content.decode()
    assert "<html" not in partial.content.decode()

    assert services.report_generate(report_id=report.pk)
    partial = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    download = url("report_download", world.a, pk=report.pk)
    assert f'href="{download}"' in partial
    assert "hx-trigger" not in partial  # it stops polling
    pdf = client.get(download)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    # a plain GET of the status is a whole page, with a live region
    page = client.get(status_url).content.decode()
    assert "<html" in page and 'role="status"' in page


def test_a_report_not_ready_cannot_be_downloaded(client, world):
    report = ReportFactory(snapshot__hub=world.a.hub)
    client.force_login(world.a.users[Role.HUB_ADMIN])
    assert client.get(url("report_download", world.a, pk=report.pk)).status_code == 404


def test_a_failed_report_shows_its_error_and_a_retry_to_the_coordinator(
    client, world, django_capture_on_commit_callbacks, monkeypatch
):
    report = ReportFactory(
        snapshot__hub=world.a.hub,
        status=Report.Status.FAILED,
        attempts=3,
        error="OSError: disk full",
    )
    retry = url("report_retry", world.a, pk=report.pk)
    client.force_login(world.a.users[Role.STEERING])
    listing = client.get(url("report_list", world.a)).content.decode()
    assert str(Report.Status.FAILED.label) in listing
    assert "disk full" not in listing and retry not in listing
    client.force_login(world.a.users[Role.HUB_ADMIN])
    listing = client.get(url("report_list", world.a)).content.decode()
    assert "disk full" in listing and retry in listing
    assert client.get(retry).status_code == 200
    queued = []
    monkeypatch.setattr("governance.tasks.report_generate.delay", lambda **kw: queued.append(kw))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry)
    assert response.url == url("report_list", world.a)
    report.refresh_from_db()
    assert report.status == Report.Status.PENDING and report.attempts == 0
    assert queued == [{"report_id": report.pk}]


# --- targets and timeline --------------------------------------------------------------------------


def test_the_coordinator_edits_a_target_and_the_timeline(client, world):
    services.load_targets(world.a.hub)
    target = Target.objects.for_hub(world.a.hub).get(indicator_key="pacts.pacts")
    client.force_login(world.a.users[Role.STEERING])
    listing = client.get(url("target_list", world.a)).content.decode()
    assert url("target_update", world.a, pk=target.pk) not in listing
    client.force_login(world.a.users[Role.HUB_ADMIN])
    listing = client.get(url("target_list", world.a)).content.decode()
    assert url("target_update", world.a, pk=target.pk) in listing
    response = client.post(url("target_update", world.a, pk=target.pk), {"value": "6", "notes": "Cut"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.value == 6 and target.notes == "Cut"


def test_the_timeline_must_end_after_it_starts(client, world):
    client.force_login(world.a.users[Role.HUB_ADMIN])
    response = client.post(url("plan_update", world.a), {"starts_on": "2023-05-01", "ends_on": "2023-01-01"})
    assert response.status_code == 200
    assert escape(_("The project must end after it starts.")) in response.content.decode()
    assert 'value="2023-05-01"' in response.content.decode()  # what was typed is kept
    plan = MonitoringPlan.objects.get(hub=world.a.hub)
    assert plan.ends_on > plan.starts_on
    response = client.post(url("plan_update", world.a), {"starts_on": "2022-05-01", "ends_on": "2023-12-31"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.ends_on == date(2023, 12, 31)


# --- meetings and decisions ------------------------------------------------------------------------


def test_a_meeting_with_a_snapshot_and_decisions_is_recorded_and_shown(client, world):
    client.force_login(world.a.users[Role.OPERATOR])
    response = client.post(
        url("meeting_create", world.a),
        {
            "date": "2023-03-15",
            "place": "Sala consiliare, Crema",
            "attendees": "Anna Rossi, Comune di Crema\nLuca Bianchi, Cooperativa",
            "agenda": "Stato degli indicatori",
            "minutes": "Si decide di contattare le scuole.",
            "take_snapshot": "on",
        },
    )
    meeting = Meeting.objects.for_hub(world.a.hub).get()
    assert response.url == url("meeting_detail", world.a, pk=meeting.pk)
    assert meeting.snapshot is not None and meeting.snapshot.hub == world.a.hub
    owner = world.a.users[Role.OPERATOR]
    response = client.post(
        url("decision_create", world.a, meeting_id=meeting.pk),
        {
            "text": "Contattare i tre istituti tecnici",
            "owner": owner.pk,
            "owner_name": "",
            "due_on": "2023-04-15",
            "status": "open",
        },
    )
    assert response.status_code == 302
    client.post(
        url("decision_create", world.a, meeting_id=meeting.pk),
        {
            "text": "Preparare il calendario della fiera",
            "owner": "",
            "owner_name": "Marta Verdi",
            "due_on": "2023-05-01",
            "status": "open",
        },
    )
    assert Decision.objects.for_hub(world.a.hub).filter(meeting=meeting).count() == 2
    client.force_login(world.a.users[Role.STEERING])
    page = client.get(url("meeting_detail", world.a, pk=meeting.pk)).content.decode()
    assert "Anna Rossi, Comune di Crema" in page and "Luca Bianchi, Cooperativa" in page
    assert "Contattare i tre istituti tecnici" in page and "Marta Verdi" in page
    assert owner.email in page or owner.get_full_name() in page
    assert url("snapshot_detail", world.a, pk=meeting.snapshot_id) in page
    assert url("decision_create", world.a, meeting_id=meeting.pk) not in page  # steering reads only
    listing = client.get(url("meeting_list", world.a)).content.decode()
    assert "Preparare il calendario della fiera" in listing  # an open decision


def test_a_meeting_can_attach_an_existing_snapshot_of_its_hub_only(client, world):
    own = services.snapshot_take(hub=world.a.hub)
    other = services.snapshot_take(hub=world.b.hub)
    client.force_login(world.a.users[Role.HUB_ADMIN])
    data = {"date": "2023-03-15", "attendees": "Anna", "agenda": "Indicatori"}
    response = client.post(url("meeting_create", world.a), {**data, "snapshot": other.pk})
    assert response.status_code == 200 and not Meeting.objects.exists()
    client.post(url("meeting_create", world.a), {**data, "snapshot": own.pk})
    assert Meeting.objects.get().snapshot == own


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_dates_of_year_1_or_9999_are_refused_with_a_message(client, world, day):
    client.force_login(world.a.users[Role.HUB_ADMIN])
    message = _("Enter a date between the years %(first)s and %(last)s.") % {"first": 1900, "last": 2100}
    meeting = client.post(
        url("meeting_create", world.a), {"date": day, "attendees": "Anna", "agenda": "Indicatori"}
    )
    assert meeting.status_code == 200 and message in meeting.content.decode()
    assert not Meeting.objects.exists()
    plan = client.post(url("plan_update", world.a), {"starts_on": day, "ends_on": "2023-10-31"})
    assert plan.status_code == 200 and message in plan.content.decode()


def test_a_decision_due_before_its_meeting_is_refused_with_a_clear_message(client, world):
    meeting = MeetingFactory(hub=world.a.hub, date=date(2023, 3, 15))
    client.force_login(world.a.users[Role.HUB_ADMIN])
    response = client.post(
        url("decision_create", world.a, meeting_id=meeting.pk),
        {
            "text": "Rivedere gli obiettivi",
            "owner_name": "Anna",
            "due_on": "2023-03-01",
            "status": "open",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert _("The due date cannot come before the meeting (%(day)s).") % {"day": "15/03/2023"} in html
    assert "Rivedere gli obiettivi" in html  # nothing typed is lost
    response = client.post(
        url("decision_create", world.a, meeting_id=meeting.pk),
        {
            "text": "Rivedere gli obiettivi",
            "owner": "",
            "owner_name": "",
            "due_on": "2023-04-01",
            "status": "open",
        },
    )
    assert escape(_("Say who carries the decision out: a member of the hub or, below, a name.")) in (
        response.content.decode()
    )
    assert not Decision.objects.exists()


def test_a_decision_owner_is_an_active_member_of_the_hub(client, world):
    meeting = MeetingFactory(hub=world.a.hub, date=date(2023, 3, 15))
    client.force_login(world.a.users[Role.HUB_ADMIN])
    outsider = world.b.users[Role.OPERATOR]
    response = client.post(
        url("decision_create", world.a, meeting_id=meeting.pk),
        {
            "text": "X",
            "owner": outsider.pk,
            "due_on": "2023-04-01",
            "status": "open",
        },
    )
    assert response.status_code == 200 and not Decision.objects.exists()


def test_staff_update_a_decisions_status(client, world):
    meeting = MeetingFactory(hub=world.a.hub, date=date(2023, 3, 15))
    decision = DecisionFactory(meeting=meeting, text="X", owner_name="Anna", due_on=date(2023, 4, 1))
    client.force_login(world.a.users[Role.OPERATOR])
    response = client.post(
        url("decision_update", world.a, pk=decision.pk),
        {"text": "X", "owner_name": "Anna", "due_on": "2023-04-10", "status": "done"},
    )
    assert response.url == url("meeting_detail", world.a, pk=meeting.pk)
    decision.refresh_from_db()
    assert decision.status == Decision.Status.DONE and decision.due_on == date(2023, 4, 10)


def test_breakdowns_are_written_in_words_not_codes(client, world):
    reach(world.a, 6)
    client.force_login(world.a.users[Role.OPERATOR])
    row = row_of(client.get(url("dashboard", world.a)), "desk.sessions_held")
    assert escape(str(Channel.HUB.label)) in row  # "In presenza all'hub", not "hub"
    assert ">hub:" not in row


def test_a_number_drills_down_to_the_list_filtered_as_it_counts(client, world):
    services.load_targets(world.a.hub)
    client.force_login(world.a.users[Role.OPERATOR])
    row = row_of(client.get(url("dashboard", world.a)), "placements.paths_completed")
    paths = reverse("placementsbo:path_list", kwargs={"hub_slug": world.a.hub.slug})
    assert f'href="{paths}?status=completed"' in row
    listed = client.get(f"{paths}?status=completed").context["paths"]
    assert [p.pk for p in listed] == [world.a.closed_path.pk]  # the one completed path
