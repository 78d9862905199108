"""Targets against indicators, masking, frozen snapshots, trends."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import timezone

from governance import selectors, services
from governance.models import Decision, Meeting, MonitoringPlan, Snapshot, Target
from governance.tests.factories import TargetFactory
from hubs.models import Role
from placements import services as placements
from placements.tests.factories import PathFactory, log


@pytest.fixture
def world(module_world):
    """Built once for this module; each test is rolled back and starts from the world as built."""
    return module_world


START, END = date(2022, 4, 1), date(2023, 10, 31)


def _row(rows, key, part=""):
    return next(row for row in rows if row["key"] == key and row["part"] == part)


def _plan_around_today(hub, days_before=300, days_after=300):
    """A timeline around today, so that the world's recent data falls inside it."""
    today = timezone.localdate()
    plan = services.plan_get(hub=hub)
    plan.starts_on, plan.ends_on = today - timedelta(days=days_before), today + timedelta(days=days_after)
    plan.save()
    return plan


# --- the timeline and the statuses ----------------------------------------------------------


def test_expected_value_is_linear_along_the_timeline():
    def expected(day):
        return services.expected_value(target=10, starts_on=START, ends_on=END, as_of=day)

    middle = START + (END - START) / 2
    assert expected(START - timedelta(days=30)) == 0
    assert expected(START) == 0
    assert expected(middle) == pytest.approx(5, abs=0.01)
    assert expected(END) == 10
    assert expected(END + timedelta(days=400)) == 10


@pytest.mark.parametrize(
    "value, expected, status",
    [
        (None, 4, "not_measured"),
        (4, 4, "on_track"),
        (5, 4, "on_track"),
        (3, 4, "at_risk"),  # exactly 75 %
        (2.99, 4, "behind"),
        (0, 0, "on_track"),  # nothing expected yet
    ],
)
def test_status_at_the_boundaries(value, expected, status):
    assert services.status_of(value=value, target=10, expected=expected) == status


def test_status_without_a_target():
    assert services.status_of(value=3, target=None, expected=None) == "no_target"


# --- indicator rows -----------------------------------------------------------------------------


def test_a_registered_indicator_with_a_target_gets_its_value_expected_and_status(world):
    hub = world.a.hub
    _plan_around_today(hub)
    TargetFactory(
        hub=hub,
        indicator_key="placements.paths_completed",
        action=5,
        title="Percorsi conclusi",
        value=Decimal("4"),
    )
    rows = services.indicator_rows(hub=hub)
    row = _row(rows, "placements.paths_completed")
    assert row["measured"] is True
    assert row["value"] == 1 and row["compared"] == 1  # world.a.closed_path, 200 days ago
    assert row["target"] == 4.0
    assert row["expected"] == pytest.approx(2, abs=0.05)  # halfway along the timeline
    assert row["status"] == "behind"  # 1 < 75 % of 2
    assert row["title"] == "Percorsi conclusi"
    assert row["link"] == "placementsbo:path_list?status=completed"  # the list, filtered as counted


def test_an_unregistered_indicator_is_not_measured_never_zero(world):
    services.load_targets(world.a.hub)
    TargetFactory(hub=world.a.hub, indicator_key="future.fairs", value=1)  # no app registers it
    row = _row(services.indicator_rows(hub=world.a.hub), "future.fairs")
    assert row["measured"] is False
    assert row["value"] is None and row["compared"] is None
    assert row["status"] == "not_measured"
    assert row["target"] == 1.0


def test_after_the_end_the_whole_target_is_expected(world):
    services.load_targets(world.a.hub)  # the project's timeline, over long ago
    row = _row(services.indicator_rows(hub=world.a.hub), "placements.paths_completed")
    assert row["expected"] == 10.0
    assert row["status"] == "behind"


def test_targets_come_first_then_every_other_registered_indicator(world):
    services.load_targets(world.a.hub)
    rows = services.indicator_rows(hub=world.a.hub)
    keys = [row["key"] for row in rows]
    assert keys[:7] == [key for key, *_rest in services.PLAN_TARGETS]
    assert "desk.sessions_booked" in keys[7:]
    extra = _row(rows, "desk.sessions_booked")
    assert extra["target"] is None and extra["status"] == "no_target"


def test_a_breakdown_is_compared_by_its_part_or_its_sum(world):
    hub = world.a.hub
    TargetFactory(hub=hub, indicator_key="hubs.antennas_active", action=2, title="Antenne", value=8)
    TargetFactory(
        hub=hub,
        indicator_key="placements.paths_within_bounds",
        part="within",
        action=5,
        title="Entro i limiti",
        value=5,
    )
    rows = services.indicator_rows(hub=hub)
    antennas = _row(rows, "hubs.antennas_active")
    assert isinstance(antennas["value"], dict)
    assert antennas["compared"] == sum(antennas["value"].values()) == 1
    within = _row(rows, "placements.paths_within_bounds", "within")
    assert within["compared"] == within["value"]["within"]


def test_network_targets_are_the_sum_of_the_hubs_targets(world):
    services.load_targets(world.a.hub)
    services.load_targets(world.b.hub)
    Target.objects.for_hub(world.b.hub).filter(indicator_key="pacts.pacts").update(value=5)
    rows = services.indicator_rows(hub=None)
    assert _row(rows, "pacts.pacts")["target"] == 13.0
    assert _row(rows, "placements.paths_completed")["target"] == 20.0
    assert _row(rows, "placements.paths_completed")["value"] == 2  # both hubs' closed paths
    assert not MonitoringPlan.objects.filter(hub__isnull=True).exists()


def test_load_targets_is_idempotent_and_keeps_what_the_hub_changed(world):
    assert services.load_targets(world.a.hub) == len(services.PLAN_TARGETS)
    Target.objects.for_hub(world.a.hub).filter(indicator_key="pacts.pacts").update(value=6)
    assert services.load_targets(world.a.hub) == 0
    assert Target.objects.for_hub(world.a.hub).get(indicator_key="pacts.pacts").value == 6
    assert Target.objects.for_hub(world.b.hub).count() == 0


def test_indicator_rows_run_a_constant_number_of_queries(world, django_assert_max_num_queries):
    hub = world.a.hub
    services.load_targets(hub)
    services.indicator_rows(hub=hub)  # the plan exists from here on
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        services.indicator_rows(hub=hub)
    for _ in range(15):
        path = PathFactory(
            hub=hub, cooperative=world.a.cooperative, starts_on=timezone.localdate() - timedelta(days=20)
        )
        log(path, 3, days_ago=10)
        placements.path_close(path=path, outcome="searching", closed_on=timezone.localdate())
    with django_assert_max_num_queries(len(small.captured_queries)):
        rows = services.indicator_rows(hub=hub)
    assert _row(rows, "placements.paths_completed")["value"] == 16


# --- masking ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, masked",
    [
        (0, 0),
        (1, "< 5"),
        (3, "< 5"),
        (4, "< 5"),
        (5, 5),
        (120, 120),
        (None, None),
        # the total 9 minus the 7 shown would give the 2 away: the 7 is hidden too
        ({"a": 0, "b": 2, "c": 7}, {"a": 0, "b": "< 5", "c": "*"}),
        ({"a": 30, "b": 2, "c": 6, "d": 0}, {"a": 30, "b": "< 5", "c": "*", "d": 0}),
        ({"a": 2, "b": 5}, {"a": "< 5", "b": "*"}),
        # fewer than five people in all: no entry is shown
        ({"a": 2, "b": 0, "c": 1}, {"a": "*", "b": "*", "c": "*"}),
        ({"a": 6, "b": 9}, {"a": 6, "b": 9}),
    ],
)
def test_mask_hides_small_counts_of_people(value, masked):
    assert services.mask(value, personal=True) == masked


def _same_total(total: int, size: int):
    """Every breakdown of `size` entries that a reader could take for one whose total is shown
    as mask(total): the same total, or any total from 1 to 4 when it reads "< 5"."""
    totals = [total] if total >= services.SMALL else range(1, services.SMALL)
    for candidate_total in totals:
        for values in itertools.product(range(candidate_total + 1), repeat=size):
            if sum(values) == candidate_total:
                yield values


@pytest.mark.parametrize(
    "breakdown",
    [
        {"female": 8, "male": 2},
        {"female": 2, "male": 8},
        {"a": 0, "b": 2, "c": 7},
        {"a": 4, "b": 7, "c": 7},
        {"a": 30, "b": 2, "c": 6},
        {"a": 1, "b": 5},
        {"a": 1, "b": 1, "c": 5},
        {"a": 2, "b": 1, "c": 12},
        {"a": 1, "b": 1, "c": 1, "d": 1},
        {"a": 1, "b": 3},
        {"a": 1, "b": 0, "c": 2},
        {"a": 4, "b": 20, "c": 21, "d": 0},
    ],
)
def test_no_hidden_entry_of_a_breakdown_can_be_worked_out_from_its_total(breakdown):
    """
    A reader sees the total (steering members see it: targets are measured against it) and the
    masked breakdown, and knows the masking rule. Every breakdown that would be shown to them in
    the same way is a candidate: each hidden entry must take at least two values among them.
    """
    labels, total = list(breakdown), sum(breakdown.values())

    def seen(values: dict):
        return services.mask(sum(values.values()), personal=True), services.mask(values, personal=True)

    shown = seen(breakdown)
    candidates = [
        dict(zip(labels, values, strict=True))
        for values in _same_total(total, len(labels))
        if seen(dict(zip(labels, values, strict=True))) == shown
    ]
    hidden = [label for label, value in shown[1].items() if isinstance(value, str)]
    assert hidden and breakdown in candidates
    for label in hidden:
        values = sorted({candidate[label] for candidate in candidates})
        assert len(values) >= 2, f"{label} = {values[0]} can be worked out from {shown}"


def test_a_part_of_a_breakdown_shows_what_the_breakdown_shows():
    row = {"value": {"female": 8, "male": 2}, "part": "female", "compared": 8.0, "personal": True}
    main, breakdown = services.mask_row(row)
    assert breakdown == {"female": "*", "male": "< 5"} and main == "*"
    total, _breakdown = services.mask_row(row | {"part": "", "compared": 10.0})
    assert total == 10.0


def test_mask_leaves_non_personal_values_alone():
    assert services.mask(3, personal=False) == 3
    assert services.mask({"hub": 2}, personal=False) == {"hub": 2}


# --- snapshots ----------------------------------------------------------------------------------


def test_a_snapshot_is_frozen(world):
    hub = world.a.hub
    services.load_targets(hub)
    snapshot = services.snapshot_take(hub=hub, by=world.a.users["hub_admin"])
    before = _row(snapshot.rows, "placements.paths_completed")["value"]
    log(world.a.path, 2, days_ago=1)
    placements.path_close(path=world.a.path, outcome="searching", closed_on=timezone.localdate())
    assert _row(services.indicator_rows(hub=hub), "placements.paths_completed")["value"] == before + 1
    snapshot = Snapshot.objects.get(pk=snapshot.pk)
    assert _row(snapshot.rows, "placements.paths_completed")["value"] == before
    snapshot.rows = []
    with pytest.raises(PermissionError):
        snapshot.save()
    assert Snapshot.objects.get(pk=snapshot.pk).rows != []


def test_snapshot_rows_are_json_with_titles_in_the_portal_language(world):
    from django.utils import translation

    services.load_targets(world.a.hub)
    with translation.override("en"):
        snapshot = services.snapshot_take(hub=world.a.hub)
    snapshot.refresh_from_db()
    row = _row(snapshot.rows, "desk.sessions_booked")
    assert isinstance(row["title"], str)
    with translation.override("it"):
        assert row["title"] == str(services.REGISTRY["desk.sessions_booked"].title)


def test_a_monthly_snapshot_is_taken_once_per_hub_and_month(world):
    first = services.snapshot_take(hub=world.a.hub, kind=Snapshot.Kind.MONTHLY, as_of=date(2023, 3, 31))
    again = services.snapshot_take(hub=world.a.hub, kind=Snapshot.Kind.MONTHLY, as_of=date(2023, 3, 20))
    other = services.snapshot_take(hub=world.b.hub, kind=Snapshot.Kind.MONTHLY, as_of=date(2023, 3, 31))
    network = services.snapshot_take(hub=None, kind=Snapshot.Kind.MONTHLY, as_of=date(2023, 3, 31))
    assert again.pk == first.pk
    assert len({first.pk, other.pk, network.pk}) == 3
    assert network.hub is None
    same = services.snapshot_take(hub=None, kind=Snapshot.Kind.MONTHLY, as_of=date(2023, 3, 1))
    assert same.pk == network.pk
    # on demand: as many as asked for
    services.snapshot_take(hub=world.a.hub, as_of=date(2023, 3, 31))
    assert Snapshot.objects.for_hub(world.a.hub).count() == 2


def test_a_concurrent_monthly_snapshot_returns_the_first(world, monkeypatch):
    """The unique constraint settles a race: the loser gets the winner's snapshot."""
    first = services.snapshot_take(hub=world.a.hub, kind=Snapshot.Kind.MONTHLY, as_of=date(2023, 3, 31))
    real_filter = Snapshot.objects.filter

    class Blind:
        """The lookup before the insert misses the existing row, as a concurrent run would."""

        def __init__(self, queryset):
            self.queryset = queryset

        def first(self):
            return None

        def get(self):
            return self.queryset.get()

    monkeypatch.setattr(Snapshot.objects, "filter", lambda **kw: Blind(real_filter(**kw)))
    assert (
        services.snapshot_take(hub=world.a.hub, kind=Snapshot.Kind.MONTHLY, as_of=date(2023, 3, 31)).pk
        == first.pk
    )
    monkeypatch.undo()
    assert Snapshot.objects.for_hub(world.a.hub).count() == 1


def test_trends_follow_the_monthly_snapshots_oldest_first(world):
    hub = world.a.hub
    services.load_targets(hub)
    TargetFactory(hub=hub, indicator_key="future.fairs")  # no app registers it
    for as_of in (date(2023, 1, 31), date(2023, 2, 28), date(2023, 3, 31)):
        services.snapshot_take(hub=hub, kind=Snapshot.Kind.MONTHLY, as_of=as_of)
    services.snapshot_take(hub=hub, as_of=date(2023, 3, 31))  # on demand: not a trend point
    series = services.trends(hub=hub, months=2, as_of=date(2023, 3, 31))
    assert [month for month, _value in series["future.fairs"]] == ["2023-02", "2023-03"]
    assert [value for _month, value in series["future.fairs"]] == [None, None]
    assert series["placements.paths_completed"] == [("2023-02", 0.0), ("2023-03", 0.0)]
    assert list(services.trends(hub=hub, as_of=date(2023, 1, 31))["future.fairs"]) == [("2023-01", None)]
    assert services.trends(hub=None) == {}


# --- meetings, decisions and the timeline written through services ---------------------------


def test_a_meeting_saved_with_a_snapshot_gets_one_of_its_hub(world):
    by = world.a.users[Role.OPERATOR]
    meeting = services.meeting_save(
        meeting=Meeting(date=date(2023, 3, 15), agenda="Stato degli indicatori"),
        hub=world.a.hub,
        by=by,
        take_snapshot=True,
    )
    assert Meeting.objects.for_hub(world.a.hub).get() == meeting
    assert meeting.snapshot.hub == world.a.hub and meeting.snapshot.created_by == by
    assert not Snapshot.objects.for_hub(world.b.hub).exists()


def test_a_meeting_that_cannot_be_saved_leaves_no_snapshot_behind(world):
    with pytest.raises(IntegrityError):
        services.meeting_save(
            meeting=Meeting(date=None, agenda="Senza data"),
            hub=world.a.hub,
            by=world.a.users[Role.OPERATOR],
            take_snapshot=True,
        )
    assert not Snapshot.objects.for_hub(world.a.hub).exists()


def test_a_decision_with_a_member_as_owner_drops_the_written_in_name(world):
    meeting = services.meeting_save(
        meeting=Meeting(date=date(2023, 3, 15), agenda="Agenda"), hub=world.a.hub, by=None
    )
    owner = world.a.users[Role.OPERATOR]
    decision = services.decision_save(
        decision=Decision(text="Contattare le scuole", owner=owner, owner_name="Marta Verdi", due_on=START),
        meeting=meeting,
    )
    stored = Decision.objects.for_hub(world.a.hub).get(pk=decision.pk)
    assert stored.meeting == meeting and stored.owner == owner and stored.owner_name == ""
    named = services.decision_save(
        decision=Decision(text="Fiera", owner_name="Marta Verdi", due_on=END), meeting=meeting
    )
    assert Decision.objects.get(pk=named.pk).owner_name == "Marta Verdi"


def test_a_saved_timeline_moves_the_value_expected_of_a_target(world):
    hub = world.a.hub
    plan = services.plan_get(hub=hub)
    plan.starts_on, plan.ends_on = START, END
    services.plan_save(plan=plan)
    assert services.plan_get(hub=hub).ends_on == END
    target = Target.objects.create(hub=hub, indicator_key="placements.paths_completed", action=5, value=1)
    target.value = Decimal("7")
    services.target_save(target=target)
    assert Target.objects.for_hub(hub).get(pk=target.pk).value == Decimal("7")


def test_reading_the_timeline_for_a_report_never_creates_one(world):
    plan = selectors.plan_of(world.a.hub)
    assert (plan.starts_on, plan.ends_on) == (MonitoringPlan().starts_on, MonitoringPlan().ends_on)
    assert not MonitoringPlan.objects.filter(hub=world.a.hub).exists()
