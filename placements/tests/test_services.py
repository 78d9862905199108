"""The rules of Together We Work, at their boundaries, and who reaches a path."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from hubs import services as hub_services
from hubs.models import Organization, Role
from hubs.tests.factories import OrganizationFactory
from people.models import Person
from people.services import person_erase, person_export
from people.tests.factories import PersonFactory, UserFactory
from placements import selectors, services
from placements.models import Activity, FollowUp, Path, Situation
from placements.tests.factories import PathFactory, log

pytestmark = pytest.mark.django_db


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Hours -----------------------------------------------------------------------------------


@pytest.fixture
def path(world):
    return PathFactory(hub=world.a.hub, cooperative=world.a.cooperative)


def test_the_log_reaches_24_hours_and_refuses_a_quarter_more(path):
    log(path, 20)
    log(path, "3.75")
    with pytest.raises(ValidationError) as refused:
        log(path, "0.5")
    assert "0,25" in messages_of(refused.value) or "0.25" in messages_of(refused.value)
    log(path, "0.25")
    path.refresh_from_db()
    assert path.delivered_hours == Decimal("24")
    with pytest.raises(ValidationError) as refused:
        log(path, "0.25")
    assert "restano 0 ore" in messages_of(refused.value)  # the portal speaks Italian first
    assert path.activities.count() == 3  # nothing already logged is lost


@pytest.mark.parametrize("hours", ["0", "-1", "0.3", "1.1", "abc", None])
def test_hours_must_be_positive_quarter_hours(path, hours):
    with pytest.raises(ValidationError) as refused:
        log(path, hours) if hours is not None else services.activity_log(
            path=path, by=UserFactory(), kind="coaching", date=timezone.localdate(), hours=None
        )
    assert "hours" in refused.value.message_dict
    path.refresh_from_db()
    assert path.delivered_hours == 0


def test_an_activity_cannot_predate_the_path_or_be_in_the_future(path):
    with pytest.raises(ValidationError) as before:
        services.activity_log(
            path=path, by=UserFactory(), kind="coaching", date=path.starts_on - timedelta(days=1), hours=1
        )
    assert "date" in before.value.message_dict
    with pytest.raises(ValidationError) as future:
        services.activity_log(
            path=path,
            by=UserFactory(),
            kind="coaching",
            date=timezone.localdate() + timedelta(days=1),
            hours=1,
        )
    assert "date" in future.value.message_dict
    services.activity_log(path=path, by=UserFactory(), kind="coaching", date=path.starts_on, hours=1)
    assert path.activities.count() == 1


def test_the_database_itself_refuses_more_than_24_hours(path):
    with pytest.raises(IntegrityError), transaction.atomic():
        Path.objects.filter(pk=path.pk).update(delivered_hours=Decimal("24.25"))


def test_a_path_is_completed_from_3_hours(path):
    log(path, "2.75")
    with pytest.raises(ValidationError) as refused:
        services.path_close(path=path, outcome=Situation.SEARCHING, closed_on=timezone.localdate())
    assert "2,75" in messages_of(refused.value)
    log(path, "0.25")
    closed = services.path_close(path=path, outcome=Situation.SEARCHING, closed_on=timezone.localdate())
    assert closed.status == Path.Status.COMPLETED


def test_a_drop_out_closes_under_3_hours(path):
    log(path, 1)
    closed = services.path_close(path=path, outcome=Situation.DROPPED_OUT, closed_on=timezone.localdate())
    assert closed.status == Path.Status.DROPPED


def test_an_outcome_needs_a_date_and_employment_a_contract(path):
    log(path, 5)
    with pytest.raises(ValidationError) as refused:
        services.path_close(path=path, outcome=Situation.EMPLOYED, closed_on=None)
    assert set(refused.value.message_dict) == {"closed_on", "contract_kind"}
    path.refresh_from_db()
    assert path.is_open


def test_a_closed_path_takes_no_more_activities(path):
    log(path, 4)
    services.path_close(path=path, outcome=Situation.INTERNSHIP, closed_on=timezone.localdate())
    with pytest.raises(ValidationError):
        log(path, 1)


@pytest.mark.parametrize(
    ("hours", "ok"),
    [
        (["2.75"], False),
        (["3"], True),
        (["12", "12"], True),
        (["12", "12.25"], False),
    ],
)
def test_the_plan_is_between_3_and_24_hours(path, hours, ok):
    lines = [{"kind": "coaching", "hours": h, "description": ""} for h in hours]
    if ok:
        services.plan_save(path=path, goals="Trovare un tirocinio", lines=lines)
        path.refresh_from_db()
        assert path.planned_hours == sum(Decimal(h) for h in hours)
        assert path.plan.count() == len(hours)
    else:
        with pytest.raises(ValidationError):
            services.plan_save(path=path, goals="x", lines=lines)
        assert path.plan.count() == 0


def test_deleting_an_entry_gives_its_hours_back_but_a_confirmed_one_stays(path):
    first, second = log(path, 2), log(path, 3)
    services.activity_delete(activity=first)
    services.activity_confirm(activity=second)
    with pytest.raises(ValidationError):
        services.activity_delete(activity=second)
    path.refresh_from_db()
    assert path.delivered_hours == 3 and path.confirmed_hours == 3


# --- Evidence ----------------------------------------------------------------------------------


def test_the_young_person_confirms_once_through_the_link(path, django_capture_on_commit_callbacks):
    activity = log(path, "1.5")
    with django_capture_on_commit_callbacks(execute=True):
        services.confirmation_request(activity=activity)
    (message,) = mail.outbox
    assert message.to == [path.person.email]
    token = re.search(r"/percorsi/conferma/([^/\s]+)/", message.body).group(1)  # the e-mailed link's
    assert services.activity_from_token(hub=path.hub, token=token) == activity
    assert services.activity_from_token(hub=path.hub, token=token + "x") is None
    assert services.activity_confirm(activity=activity) is True
    assert services.activity_confirm(activity=activity) is False
    path.refresh_from_db()
    assert path.confirmed_hours == Decimal("1.5")
    with pytest.raises(ValidationError):
        services.confirmation_request(activity=activity)


def test_a_confirmation_link_of_another_hub_finds_nothing(world, path):
    activity = log(path, 1)
    token = services.confirm_url(activity).rstrip("/").rsplit("/", 1)[1]
    assert services.activity_from_token(hub=world.b.hub, token=token) is None


# --- Who reaches a path -----------------------------------------------------------------------


def partner_of(hub, cooperative):
    return hub_services.membership_create(
        hub=hub, user=UserFactory(totp=True), role=Role.PARTNER, organization=cooperative
    )


def test_partners_reach_only_their_cooperatives_paths(world):
    a = world.a
    other = OrganizationFactory(hubs=[a.hub], kind=Organization.Kind.COOPERATIVE)
    theirs = PathFactory(hub=a.hub, cooperative=other)
    ours = partner_of(a.hub, a.cooperative)
    assert set(services.paths_for(hub=a.hub, membership=ours)) == {a.path, a.closed_path}
    assert theirs in services.paths_for(hub=a.hub, membership=partner_of(a.hub, other))
    assert set(services.paths_for(hub=a.hub, membership=a.members[Role.OPERATOR])) == {
        a.path,
        a.closed_path,
        theirs,
    }
    assert not services.paths_for(hub=a.hub, membership=a.members[Role.STEERING]).exists()
    assert not services.paths_for(hub=a.hub, membership=a.members[Role.SCHOOL]).exists()


def test_reassignment_moves_the_grant(world):
    a = world.a
    other = OrganizationFactory(hubs=[a.hub], kind=Organization.Kind.COOPERATIVE)
    old, new = partner_of(a.hub, a.cooperative), partner_of(a.hub, other)
    services.path_assign(path=a.path, cooperative=other)
    assert a.path not in services.paths_for(hub=a.hub, membership=old)
    assert a.path in services.paths_for(hub=a.hub, membership=new)
    assert new.user.has_perm(services.CHANGE, a.path)
    assert not old.user.has_perm(services.CHANGE, a.path)


def test_a_suspended_or_moved_partner_loses_the_paths(world):
    a = world.a
    member = partner_of(a.hub, a.cooperative)
    assert member.user.has_perm(services.CHANGE, a.path)
    other = OrganizationFactory(hubs=[a.hub], kind=Organization.Kind.COOPERATIVE)
    hub_services.membership_update(membership=member, role=Role.PARTNER, organization=other, is_active=True)
    member.user = type(member.user).objects.get(pk=member.user.pk)  # fresh permission cache
    assert not member.user.has_perm(services.CHANGE, a.path)


def test_a_cooperative_that_does_not_work_with_the_hub_cannot_be_assigned(world):
    with pytest.raises(ValidationError):
        services.path_assign(path=world.a.path, cooperative=world.b.cooperative)


def test_a_path_needs_a_target_group(world):
    with pytest.raises(ValidationError):
        PathFactory(hub=world.a.hub, cooperative=world.a.cooperative, is_neet=False)


# --- Follow-ups --------------------------------------------------------------------------------


def test_follow_ups_at_3_and_6_months_remind_the_operator_once(world, django_capture_on_commit_callbacks):
    a = world.a
    operator = a.users[Role.OPERATOR]
    with time_machine.travel(date(2031, 1, 10), tick=False):
        path = PathFactory(
            hub=a.hub, cooperative=a.cooperative, operator=operator, starts_on=date(2031, 1, 1)
        )
        log(path, 6, days_ago=2)
        services.path_close(path=path, outcome=Situation.SEARCHING, closed_on=date(2031, 1, 10))
    mail.outbox.clear()
    with time_machine.travel(date(2031, 4, 9), tick=False):
        services.follow_ups_due()
        assert not path.follow_ups.exists()  # not due yet
    with time_machine.travel(date(2031, 4, 10), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            first = services.follow_ups_due()
            again = services.follow_ups_due()
        assert list(path.follow_ups.values_list("months", "due_on")) == [(3, date(2031, 4, 10))]
    reminders = [m for m in mail.outbox if operator.email in m.to]
    assert len(reminders) == 1 and first["reminded"] >= 1 and again["reminded"] == 0
    with time_machine.travel(date(2031, 7, 10), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            services.follow_ups_due()
        assert path.follow_ups.count() == 2
    assert len([m for m in mail.outbox if operator.email in m.to]) == 2


def test_a_follow_up_is_recorded_after_the_closing(world):
    follow_up = world.a.follow_up
    with pytest.raises(ValidationError) as refused:
        services.follow_up_record(follow_up=follow_up, situation="", recorded_on=None, by=None)
    assert set(refused.value.message_dict) == {"situation", "recorded_on"}
    with pytest.raises(ValidationError):
        services.follow_up_record(
            follow_up=follow_up, situation=Situation.EMPLOYED, recorded_on=timezone.localdate(), by=None
        )
    services.follow_up_record(
        follow_up=follow_up,
        situation=Situation.EMPLOYED,
        contract_kind="apprenticeship",
        recorded_on=timezone.localdate(),
        by=None,
    )
    follow_up.refresh_from_db()
    assert follow_up.is_recorded and follow_up.contract_kind == "apprenticeship"


def test_a_recorded_follow_up_is_not_reminded(world):
    follow_up = world.a.follow_up
    FollowUp.objects.filter(pk=follow_up.pk).update(recorded_on=timezone.localdate(), situation="searching")
    assert services.follow_up_remind(follow_up_id=follow_up.pk) is False


# --- Personal data ----------------------------------------------------------------------------


def test_erasure_keeps_the_path_as_a_fact_and_blanks_its_personal_text(world):
    person = PersonFactory()
    path = PathFactory(hub=world.a.hub, person=person, cooperative=world.a.cooperative)
    services.plan_save(
        path=path,
        goals="Lavorare in un panificio",
        lines=[{"kind": "coaching", "hours": 4, "description": ""}],
    )
    assert "placements.Path" in person_export(person=person)
    person_erase(person=person)
    path.refresh_from_db()
    assert path.goals == "" and path.planned_hours == 4 and path.age_at_intake == 20
    assert Person.objects.get(pk=person.pk).first_name == ""


def test_activity_count_per_path_is_kept_in_step(path):
    for _ in range(3):
        log(path, 1)
    assert Activity.objects.filter(path=path).count() == 3
    path.refresh_from_db()
    assert path.delivered_hours == 3


@pytest.mark.parametrize("hours", ["1e40", "NaN", "inf", "-0"])
def test_odd_hours_are_refused_by_the_service(path, hours):
    with pytest.raises(ValidationError):
        log(path, Decimal(hours))
    assert path.activities.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_operators_logging_at_once_never_pass_24_hours():
    """Ten threads log 5 hours each on the same path: four fit (20 h), the rest are refused."""
    import threading

    from django.db import close_old_connections, connection

    path = PathFactory()
    operators = UserFactory.create_batch(10)
    barrier = threading.Barrier(10)
    outcomes = []

    def work(operator):
        try:
            barrier.wait()
            log(path, 5, by=operator)
            outcomes.append("logged")
        except ValidationError:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=work, args=(o,)) for o in operators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    path.refresh_from_db()
    assert sorted(outcomes) == ["logged"] * 4 + ["refused"] * 6
    assert path.delivered_hours == 20 == sum(a.hours for a in path.activities.all())


def test_partners_reach_only_the_activities_and_follow_ups_of_their_paths(world):
    a = world.a
    other = OrganizationFactory(hubs=[a.hub], kind=Organization.Kind.COOPERATIVE)
    stranger = partner_of(a.hub, other)
    ours = partner_of(a.hub, a.cooperative)
    follow_up = a.follow_up
    assert a.activity in selectors.activities_within_reach(hub=a.hub, membership=ours)
    assert follow_up in selectors.follow_ups_within_reach(hub=a.hub, membership=ours)
    assert not selectors.activities_within_reach(hub=a.hub, membership=stranger).exists()
    assert not selectors.follow_ups_within_reach(hub=a.hub, membership=stranger).exists()
    assert not selectors.activities_within_reach(
        hub=world.b.hub, membership=world.b.members[Role.OPERATOR]
    ).filter(pk=a.activity.pk)
