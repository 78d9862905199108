"""The monitoring report (PDF): made from the snapshot, every indicator against its target."""

import re
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone, translation
from pypdf import PdfReader

from governance import report as rendering
from governance import services
from governance.models import Decision, Meeting, Report, Snapshot, Target
from governance.tests.factories import DecisionFactory, ReportFactory, TargetFactory
from placements import services as placements
from placements.tests.factories import log


@pytest.fixture
def world(module_world):
    """Built once for this module; each test is rolled back and starts from the world as built."""
    return module_world


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf_text(report: Report) -> str:
    with report.file.open("rb") as handle:
        reader = PdfReader(BytesIO(handle.read()))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def generate(hub, by=None) -> Report:
    report = services.report_request(hub=hub, by=by)
    assert services.report_generate(report_id=report.pk) is True
    return Report.objects.get(pk=report.pk)


def test_the_report_shows_every_target_with_its_value_target_and_expected_value(world):
    hub = world.a.hub
    services.load_targets(hub)
    plan = services.plan_get(hub=hub)  # halfway along the timeline: expected ≈ half the target
    plan.starts_on = timezone.localdate() - timedelta(days=300)
    plan.ends_on = timezone.localdate() + timedelta(days=300)
    plan.save()
    Target.objects.for_hub(hub).filter(indicator_key="placements.paths_completed").update(value=Decimal("37"))
    Target.objects.for_hub(hub).filter(indicator_key="hubs.antennas_active").update(value=Decimal("12.5"))
    report = generate(hub, by=world.a.users["steering"])
    assert report.status == Report.Status.READY and report.pages >= 3
    assert report.file.name.endswith(".pdf") and report.finished_at is not None
    text = pdf_text(report)
    with translation.override("it"):
        not_measured = str(rendering.status_labels()[services.NOT_MEASURED][1])
        for row in report.snapshot.rows:
            if row["target"] is None:
                continue
            target = rendering.format_number(row["target"], row["unit"])
            expected = rendering.format_number(row["expected"], row["unit"])
            if row["measured"]:
                value = rendering.format_number(row["compared"], row["unit"])
                assert f"{value} {target} {expected}" in text, row["key"]
            else:
                assert f"{target} {expected} ○ {not_measured}" in text, row["key"]
    assert "12,5 6,2" in text or "12,5 6,3" in text  # Italian decimals; expected ≈ half
    assert "37 18,5" in text or "37 18,4" in text
    assert hub.name in text


def test_the_report_is_made_from_the_snapshot_not_from_todays_data(world):
    hub = world.a.hub
    TargetFactory(
        hub=hub,
        indicator_key="placements.paths_opened",
        action=5,
        title="Percorsi avviati",
        value=Decimal("91"),
    )
    report = services.report_request(hub=hub, by=None)
    frozen = next(r for r in report.snapshot.rows if r["key"] == "placements.paths_opened")
    log(world.a.path, 1)
    placements.path_close(path=world.a.path, outcome="searching", closed_on=timezone.localdate())
    Target.objects.for_hub(hub).update(value=Decimal("55"))  # changed after the snapshot
    services.report_generate(report_id=report.pk)
    text = pdf_text(Report.objects.get(pk=report.pk))
    assert f"Percorsi avviati {rendering.format_number(frozen['compared'])} 91" in text
    assert " 55 " not in text


def test_small_counts_of_people_are_masked_in_the_report(world):
    report = services.report_request(hub=world.a.hub, by=None)
    context = rendering.report_context(report)
    rows = {
        row["key"]: row for section in context["sections"] for row in section["targets"] + section["others"]
    }
    gender = rows["placements.reach_by_gender"]
    raw = gender["value"]
    assert raw and all(0 < number < 5 for number in raw.values())
    assert gender["shown_value"] == "< 5"
    # fewer than five people in all: no entry of the breakdown is shown
    assert gender["breakdown"] and all(number == "*" for _label, number in gender["breakdown"])
    hours = rows["placements.hours_delivered"]  # not personal: shown as it is
    assert hours["shown_value"] == rendering.format_number(hours["value"], "hours")


def test_a_small_entry_cannot_be_worked_out_from_the_total_in_the_report(world):
    from governance.tests.test_views import reach_by_gender

    reach_by_gender(world.a, female=8, male=2)
    context = rendering.report_context(services.report_request(hub=world.a.hub, by=None))
    rows = {
        row["key"]: row for section in context["sections"] for row in section["targets"] + section["others"]
    }
    gender = rows["desk.people_by_gender"]
    assert gender["shown_value"] == "10"
    assert sorted(number for _label, number in gender["breakdown"]) == ["*", "< 5"]
    assert "8" not in dict(gender["breakdown"]).values()


def test_the_hub_report_lists_the_hubs_open_decisions_only(world):
    today = timezone.localdate()
    for side, text in ((world.a, "Convocare le scuole del Cremasco"), (world.b, "Decisione di Beta")):
        DecisionFactory(
            meeting__hub=side.hub, text=text, owner=side.users["hub_admin"], due_on=today + timedelta(days=3)
        )
    DecisionFactory(
        meeting=Meeting.objects.for_hub(world.a.hub).get(),
        text="Decisione chiusa",
        due_on=today,
        status=Decision.Status.DONE,
    )
    text = pdf_text(generate(world.a.hub))
    assert "Convocare le scuole del Cremasco" in text
    assert (today + timedelta(days=3)).strftime("%d/%m/%Y") in text
    assert "Decisione di Beta" not in text and "Decisione chiusa" not in text


def test_the_report_draws_the_trend_from_the_monthly_snapshots(world):
    hub = world.a.hub
    services.load_targets(hub)
    TargetFactory(hub=hub, indicator_key="future.fairs")  # no app registers it
    for as_of in (date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)):
        services.snapshot_take(hub=hub, kind=Snapshot.Kind.MONTHLY, as_of=as_of)
    report = ReportFactory(snapshot=Snapshot.objects.for_hub(hub).get(month=date(2026, 2, 1)))
    context = rendering.report_context(report)
    antennas = next(row for row in context["target_rows"] if row["key"] == "hubs.antennas_active")
    assert "<svg" in antennas["chart"] and "polyline" in antennas["chart"]
    assert "02/26" in antennas["chart"] and "03/26" not in antennas["chart"]  # up to this one
    fairs = next(row for row in context["target_rows"] if row["key"] == "future.fairs")
    assert fairs["chart"] == ""  # never measured: no line at zero


def test_the_network_report_has_the_network_and_no_hubs_decisions(world):
    services.load_targets(world.a.hub)
    services.load_targets(world.b.hub)
    report = generate(None)
    assert report.hub is None and report.snapshot.hub is None
    text = pdf_text(report)
    with translation.override("it"):
        assert str(rendering._("Regional network")) in text
    assert world.a.hub.name not in text
    assert "20 20" in text  # paths completed: both hubs' targets (10 + 10), fully expected by now


def test_the_report_is_a_tagged_pdf_with_its_title_and_language(world, tmp_path):
    """PDF/UA: a screen reader finds the headings and tables, in Italian, under the report's title."""
    report = generate(world.a.hub, by=world.a.users["steering"])
    path = tmp_path / "report.pdf"
    with report.file.open("rb") as handle:
        path.write_bytes(handle.read())
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(r"^Title:\s+Report di monitoraggio", info, re.M)
    reader = PdfReader(path)
    assert reader.trailer["/Root"]["/Lang"] == "it"
    assert "/StructTreeRoot" in reader.trailer["/Root"]
