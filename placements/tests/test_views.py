"""
The back office of Together We Work and the young person's confirmation link, as users meet
them: intake, who reaches which path (partner operators only their cooperative's, also right
after a reassignment), the hours rules as messages on the fields with nothing lost or saved,
the one-time confirmation, an export without personal identifiers, a list of constant cost.
"""

import csv
import io
import re
from datetime import datetime, time, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from hubs import services as hub_services
from hubs.models import Organization, Role
from hubs.tests.factories import OrganizationFactory
from people.models import CaseNote, Person, RecordAccess
from people.tests.factories import PersonFactory, UserFactory
from placements import services
from placements.models import Activity, ActivityKind, FollowUp, Path
from placements.tests.factories import PathFactory, log

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world):
    """Built once for this module; each test is rolled back and starts from the world as built."""
    return module_world


def url(name, hub, **kwargs):
    return reverse(f"placementsbo:{name}", kwargs={"hub_slug": hub.slug, **kwargs})


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return english(client)


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def field_errors(response, field) -> str:
    return " ".join(response.context["form"].errors.get(field, []))


@pytest.fixture
def staff(world):
    return signed_in(world.a.users[Role.OPERATOR])


@pytest.fixture
def partner(world):
    return signed_in(world.a.users[Role.PARTNER])


@pytest.fixture
def coop_b(world):
    """A second cooperative of hub A, with its own partner operator."""
    cooperative = OrganizationFactory(
        hubs=[world.a.hub], kind=Organization.Kind.COOPERATIVE, name="Cooperativa Bravo"
    )
    user = UserFactory(totp=True)
    hub_services.membership_create(hub=world.a.hub, user=user, role=Role.PARTNER, organization=cooperative)
    cooperative.partner = user
    return cooperative


def intake_data(world, cooperative, **changes):
    data = {
        "first_name": "Sara",
        "last_name": "Bianchi",
        "email": "Sara.Bianchi@example.org",
        "birth_date": "2003-04-02",
        "gender": "female",
        "status": "neet",
        "municipality": "",
        "is_neet": "on",
        "age_at_intake": "",
        "education": "lower_secondary",
        "months_out": "10",
        "cooperative": cooperative.pk,
        "operator": "",
        "starts_on": timezone.localdate().isoformat(),
    }
    return data | changes


def activity_data(world, **changes):
    data = {
        "kind": ActivityKind.COACHING,
        "date": timezone.localdate().isoformat(),
        "hours": "1.5",
        "operator": world.a.users[Role.PARTNER].pk,
        "note": "Colloquio",
    }
    return data | changes


# --- Intake ----------------------------------------------------------------------------------------


def test_intake_opens_a_path_the_chosen_cooperatives_partner_sees(staff, world, coop_b):
    response = staff.post(url("path_create", world.a.hub), intake_data(world, coop_b))
    path = Path.objects.get(person__email="sara.bianchi@example.org")
    assert response.status_code == 302
    assert response.url == url("plan_update", world.a.hub, pk=path.pk)
    assert path.cooperative == coop_b and path.is_neet and path.months_out == 10
    assert path.age_at_intake >= 18  # counted from the date of birth, left empty
    assert path.person in Person.objects.for_hub(world.a.hub)

    partner_b = signed_in(coop_b.partner)
    listed = partner_b.get(url("path_list", world.a.hub))
    assert [p.pk for p in listed.context["paths"]] == [path.pk]
    assert partner_b.get(url("path_detail", world.a.hub, pk=path.pk)).status_code == 200
    # The first cooperative's partner neither lists nor opens it.
    partner_a = signed_in(world.a.users[Role.PARTNER])
    assert path.pk not in [p.pk for p in partner_a.get(url("path_list", world.a.hub)).context["paths"]]
    assert partner_a.get(url("path_detail", world.a.hub, pk=path.pk)).status_code == 404


def test_intake_from_the_desk_record_keeps_the_person(staff, world):
    person = world.a.person
    address = url("path_create", world.a.hub) + f"?person={person.pk}"
    page = staff.get(address)
    assert str(person) in page.content.decode()
    assert "first_name" not in page.context["form"].fields
    assert page.context["form"].initial["age_at_intake"] == person.age_on(timezone.localdate())

    data = intake_data(world, world.a.cooperative, is_neet="", is_low_schooling="on", age_at_intake="19")
    response = staff.post(address, data)
    assert response.status_code == 302
    path = Path.objects.latest("pk")
    assert path.person == person and path.age_at_intake == 19 and path.is_low_schooling


def test_a_desk_booking_and_record_lead_to_the_intake_of_their_person(staff, world):
    intake = url("path_create", world.a.hub) + f"?person={world.a.person.pk}"
    booking = reverse(
        "deskbo:booking_detail", kwargs={"hub_slug": world.a.hub.slug, "pk": world.a.booking.pk}
    )
    record = reverse("deskbo:person_record", kwargs={"hub_slug": world.a.hub.slug, "pk": world.a.person.pk})
    for page in (booking, record):
        assert f'href="{escape(intake)}"' in staff.get(page).content.decode(), page


def test_intake_ignores_a_person_of_another_hub(staff, world):
    page = staff.get(url("path_create", world.a.hub) + f"?person={world.b.person.pk}")
    assert page.context["person"] is None
    assert str(world.b.person) not in page.content.decode()
    assert "first_name" in page.context["form"].fields


def test_intake_needs_a_target_group_and_keeps_what_was_typed(staff, world):
    before = Person.objects.count()
    response = staff.post(
        url("path_create", world.a.hub), intake_data(world, world.a.cooperative, is_neet="")
    )
    assert response.status_code == 200
    assert "Choose at least one target group." in field_errors(response, "is_neet")
    assert 'value="Sara"' in response.content.decode()
    assert Person.objects.count() == before


def test_tampered_cooperative_or_operator_is_a_form_error(staff, world, coop_b):
    before = Path.objects.count()
    other_hub = staff.post(url("path_create", world.a.hub), intake_data(world, world.b.cooperative))
    assert other_hub.status_code == 200 and field_errors(other_hub, "cooperative")
    stranger = staff.post(
        url("path_create", world.a.hub),
        intake_data(world, world.a.cooperative, operator=world.b.users[Role.OPERATOR].pk),
    )
    assert stranger.status_code == 200 and field_errors(stranger, "operator")
    # A partner operator of cooperative B cannot follow a path of cooperative A.
    wrong_coop = staff.post(
        url("path_create", world.a.hub), intake_data(world, world.a.cooperative, operator=coop_b.partner.pk)
    )
    assert "another cooperative" in field_errors(wrong_coop, "operator")
    assert Path.objects.count() == before

    # The same on the activity form and the reassignment form.
    path = world.a.path
    activity = staff.post(
        url("activity_create", world.a.hub, pk=path.pk),
        activity_data(world, operator=world.b.users[Role.PARTNER].pk),
    )
    assert activity.status_code == 200 and field_errors(activity, "operator")
    assign = staff.post(
        url("path_assign", world.a.hub, pk=path.pk), {"cooperative": "999999", "operator": ""}
    )
    assert assign.status_code == 200 and field_errors(assign, "cooperative")
    path.refresh_from_db()
    assert path.cooperative == world.a.cooperative


# --- Who reaches which path --------------------------------------------------------------------------


def path_urls(world, path, activity, follow_up):
    hub = world.a.hub
    return [
        url("path_detail", hub, pk=path.pk),
        url("plan_update", hub, pk=path.pk),
        url("activity_create", hub, pk=path.pk),
        url("path_close", hub, pk=path.pk),
        url("path_sheet", hub, pk=path.pk),
        url("activity_delete", hub, pk=activity.pk),
        url("activity_confirmation", hub, pk=activity.pk),
        url("follow_up_update", hub, pk=follow_up.pk),
    ]


def test_partner_of_another_cooperative_gets_404_on_every_url(partner, world, coop_b):
    path = PathFactory(hub=world.a.hub, cooperative=coop_b)
    activity = log(path, 2)
    follow_up = FollowUp.objects.create(hub=world.a.hub, path=path, months=3, due_on=timezone.localdate())
    for address in path_urls(world, path, activity, follow_up):
        assert partner.get(address).status_code == 404, address
        assert partner.post(address, {"kind": "coaching", "hours": "1"}).status_code == 404, address
    assert Activity.objects.filter(path=path).count() == 1
    # Their own cooperative's partner reaches every one of them.
    partner_b = signed_in(coop_b.partner)
    for address in path_urls(world, path, activity, follow_up):
        assert partner_b.get(address).status_code == 200, address


def test_after_reassignment_the_old_partner_gets_404_and_the_new_one_200(staff, partner, world, coop_b):
    path = world.a.path
    detail = url("path_detail", world.a.hub, pk=path.pk)
    assert partner.get(detail).status_code == 200
    response = staff.post(
        url("path_assign", world.a.hub, pk=path.pk), {"cooperative": coop_b.pk, "operator": coop_b.partner.pk}
    )
    assert response.status_code == 302
    assert partner.get(detail).status_code == 404
    assert partner.get(url("activity_delete", world.a.hub, pk=world.a.activity.pk)).status_code == 404
    assert signed_in(coop_b.partner).get(detail).status_code == 200


def test_the_path_page_is_logged_and_never_shows_desk_notes(partner, world):
    CaseNote.objects.create(hub=world.a.hub, person=world.a.path.person, text="Situazione familiare delicata")
    response = partner.get(url("path_detail", world.a.hub, pk=world.a.path.pk))
    assert "Situazione familiare delicata" not in response.content.decode()
    assert (
        RecordAccess.objects.filter(
            hub=world.a.hub,
            person=world.a.path.person,
            user=world.a.users[Role.PARTNER],
            what="placements.path",
        ).count()
        == 1
    )
    assert "2 h delivered" in response.content.decode()


# --- The hours rules ---------------------------------------------------------------------------------


def test_logging_past_24_hours_says_how_many_remain_and_saves_nothing(partner, world):
    path = world.a.path
    log(path, 21.5)  # 2 + 21.5: 0.5 remain
    before = Activity.objects.count()
    response = partner.post(url("activity_create", world.a.hub, pk=path.pk), activity_data(world, hours="2"))
    assert response.status_code == 200
    assert "0.5 hours remain" in field_errors(response, "hours")
    assert Activity.objects.count() == before
    page = response.content.decode()
    assert 'value="2"' in page and "Colloquio" in page  # what was typed stays
    path.refresh_from_db()
    assert path.delivered_hours == 23.5


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("0", "more than zero"),
        ("-1", "more than zero"),
        ("0.3", "quarter hours"),
        ("abc", "number"),
        # odd numbers a person (or a script) can type: a message each, never a server error
        ("1e40", "less than or equal to 24"),
        ("9" * 40, "less than or equal to 24"),
        ("NaN", "Enter a number"),
        ("inf", "Enter a number"),
        ("-inf", "Enter a number"),
        ("-0", "more than zero"),
    ],
)
def test_bad_hours_are_refused_with_a_message(partner, world, hours, message):
    before = Activity.objects.count()
    response = partner.post(
        url("activity_create", world.a.hub, pk=world.a.path.pk), activity_data(world, hours=hours)
    )
    assert response.status_code == 200
    assert message in field_errors(response, "hours")
    assert Activity.objects.count() == before


def test_dates_before_the_start_or_in_the_future_are_refused(partner, world):
    path = world.a.path
    address = url("activity_create", world.a.hub, pk=path.pk)
    early = partner.post(address, activity_data(world, date=(path.starts_on - timedelta(days=1)).isoformat()))
    assert "cannot be earlier" in field_errors(early, "date")
    future = partner.post(
        address, activity_data(world, date=(timezone.localdate() + timedelta(days=1)).isoformat())
    )
    assert "in the future" in field_errors(future, "date")
    assert path.activities.count() == 1


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_dates_of_year_1_or_9999_get_a_message(partner, world, day):
    path = world.a.path
    logged = partner.post(url("activity_create", world.a.hub, pk=path.pk), activity_data(world, date=day))
    assert "Enter a date between the years 1900 and 2100" in field_errors(logged, "date")
    log(path, 3)
    closed = partner.post(
        url("path_close", world.a.hub, pk=path.pk), {"outcome": "searching", "closed_on": day}
    )
    assert "Enter a date between the years 1900 and 2100" in field_errors(closed, "closed_on")
    path.refresh_from_db()
    assert path.is_open and path.activities.count() == 2


def test_a_good_activity_is_logged_with_the_hours_that_remain(partner, world):
    response = partner.post(
        url("activity_create", world.a.hub, pk=world.a.path.pk),
        activity_data(world, hours="1.5"),
        follow=True,
    )
    assert "20.5 hours remain" in messages_of(response)
    activity = world.a.path.activities.latest("pk")
    assert activity.hours == 1.5 and activity.operator == world.a.users[Role.PARTNER]


def test_hours_are_typed_as_italians_write_them(world):
    italian = Client()  # the portal's language: a decimal comma
    italian.force_login(world.a.users[Role.PARTNER])
    italian.post(url("activity_create", world.a.hub, pk=world.a.path.pk), activity_data(world, hours="0,75"))
    assert world.a.path.activities.latest("pk").hours == 0.75


def test_closing_under_3_hours_is_refused(partner, world):
    path = world.a.path
    response = partner.post(
        url("path_close", world.a.hub, pk=path.pk),
        {"outcome": "searching", "closed_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "at least 3 hours" in errors
    path.refresh_from_db()
    assert path.is_open


def test_closing_needs_a_date_and_a_contract_when_employed(partner, world):
    path = world.a.path
    log(path, 2)
    response = partner.post(
        url("path_close", world.a.hub, pk=path.pk), {"outcome": "employed", "closed_on": ""}
    )
    assert "Give the date" in field_errors(response, "closed_on")
    assert "kind of contract" in field_errors(response, "contract_kind")
    done = partner.post(
        url("path_close", world.a.hub, pk=path.pk),
        {
            "outcome": "employed",
            "contract_kind": "apprenticeship",
            "closed_on": timezone.localdate().isoformat(),
        },
        follow=True,
    )
    path.refresh_from_db()
    assert path.status == Path.Status.COMPLETED and path.contract_kind == "apprenticeship"
    assert "Path closed" in messages_of(done)


def test_the_plan_is_3_to_24_hours(partner, world):
    address = url("plan_update", world.a.hub, pk=world.a.path.pk)
    data = {
        "goals": "Trovare lavoro",
        "plan-TOTAL_FORMS": "3",
        "plan-INITIAL_FORMS": "0",
        "plan-0-kind": "intake",
        "plan-0-hours": "1",
        "plan-0-description": "",
        "plan-1-kind": "coaching",
        "plan-1-hours": "1",
        "plan-1-description": "",
        "plan-2-kind": "",
        "plan-2-hours": "",
        "plan-2-description": "",
    }
    short = partner.post(address, data)
    assert "add up to 2" in messages_of(short)
    assert world.a.path.plan.count() == 0
    odd = partner.post(address, data | {"plan-1-hours": "1.1"})
    assert "quarter hours" in " ".join(odd.context["formset"].forms[1].errors["hours"])
    huge = partner.post(address, data | {"plan-1-hours": "1e40"})
    assert "less than or equal to 24" in " ".join(huge.context["formset"].forms[1].errors["hours"])
    saved = partner.post(address, data | {"plan-1-hours": "5", "plan-2-kind": "cv", "plan-2-hours": "2"})
    assert saved.status_code == 302
    world.a.path.refresh_from_db()
    assert world.a.path.planned_hours == 8 and world.a.path.goals == "Trovare lavoro"
    assert "8 h" in partner.get(url("path_detail", world.a.hub, pk=world.a.path.pk)).content.decode()


def test_an_activity_logged_by_mistake_can_be_removed(partner, world):
    activity = log(world.a.path, 1)
    address = url("activity_delete", world.a.hub, pk=activity.pk)
    assert "Remove the activity" in partner.get(address).content.decode()
    partner.post(address)
    world.a.path.refresh_from_db()
    assert world.a.path.delivered_hours == 2
    assert not Activity.objects.filter(pk=activity.pk).exists()


def test_a_follow_up_is_recorded(partner, world):
    follow_up = world.a.follow_up
    response = partner.post(
        url("follow_up_update", world.a.hub, pk=follow_up.pk),
        {"situation": "employed", "contract_kind": "", "recorded_on": timezone.localdate().isoformat()},
    )
    assert "kind of contract" in field_errors(response, "contract_kind")
    partner.post(
        url("follow_up_update", world.a.hub, pk=follow_up.pk),
        {"situation": "education", "recorded_on": timezone.localdate().isoformat()},
    )
    follow_up.refresh_from_db()
    assert follow_up.situation == "education" and follow_up.is_recorded


# --- The young person's confirmation ------------------------------------------------------------------


def test_the_confirmation_link_confirms_once(partner, world, django_capture_on_commit_callbacks):
    activity = world.a.activity
    with django_capture_on_commit_callbacks(execute=True):
        response = partner.post(url("activity_confirmation", world.a.hub, pk=activity.pk), follow=True)
    assert "E-mail sent to" in messages_of(response)
    assert "Not confirmed yet: asked on" in response.content.decode()
    message = mail.outbox[-1]
    assert message.to == [world.a.path.person.email]
    link = re.search(r"https?://\S+/percorsi/conferma/\S+/", message.body).group(0)
    address = link.split("://", 1)[1].split("/", 1)[1]

    young = english(Client())
    shown = young.get("/" + address)
    assert shown.status_code == 200 and "Yes, I took part" in shown.content.decode()
    activity.refresh_from_db()
    assert not activity.is_confirmed  # a scanner opening the link confirms nothing

    first = young.post("/" + address)
    assert "You confirmed that you took part" in first.content.decode()
    second = young.post("/" + address)
    assert "Already confirmed" in second.content.decode()
    world.a.path.refresh_from_db()
    assert world.a.path.confirmed_hours == 2

    page = partner.get(url("path_detail", world.a.hub, pk=world.a.path.pk)).content.decode()
    assert "Confirmed by the young person on" in page


def test_a_bad_confirmation_link_gets_a_friendly_page(world):
    young = english(Client())
    response = young.get(
        reverse("placements:activity_confirm", kwargs={"hub_slug": world.a.hub.slug, "token": "not-a-token"})
    )
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    # A good token under another hub's address is no better.
    token = services.confirm_url(world.a.activity).rstrip("/").rsplit("/", 1)[1]
    other = young.post(
        reverse("placements:activity_confirm", kwargs={"hub_slug": world.b.hub.slug, "token": token})
    )
    assert other.status_code == 404
    world.a.activity.refresh_from_db()
    assert not world.a.activity.is_confirmed


# --- Export and list -----------------------------------------------------------------------------------


def test_the_export_has_hours_and_no_personal_identifiers(staff, world):
    person = world.a.path.person
    response = staff.get(url("export", world.a.hub), {"what": "paths", "format": "csv"})
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert "Delivered hours" in rows[0]
    numbers = {row[0]: row for row in rows[1:]}
    assert str(world.a.path.pk) in numbers and str(world.b.path.pk) not in numbers
    assert "2,0" in numbers[str(world.a.path.pk)]  # a decimal comma, as Italian Excel reads it
    for identifier in (person.email, person.first_name, person.last_name):
        assert identifier not in text

    xlsx = staff.get(url("export", world.a.hub), {"what": "activities", "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[0][:4] == ("Path", "Date", "Activity", "Hours")
    day = datetime.combine(world.a.activity.date, time())  # a date cell, read back as a datetime
    assert (world.a.path.pk, day, "Coaching", 2, "no") in values


def test_a_partner_exports_only_their_cooperatives_paths(partner, world, coop_b):
    other = PathFactory(hub=world.a.hub, cooperative=coop_b)
    response = partner.get(url("export", world.a.hub), {"what": "paths", "format": "csv"})
    numbers = {row[0] for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")}
    assert str(world.a.path.pk) in numbers and str(other.pk) not in numbers


def test_the_list_filters(staff, world, coop_b):
    other = PathFactory(hub=world.a.hub, cooperative=coop_b, is_neet=False, is_pandemic_unemployed=True)
    address = url("path_list", world.a.hub)

    def listed(**params):
        return {p.pk for p in staff.get(address, params).context["paths"]}

    assert listed(cooperative=coop_b.pk) == {other.pk}
    assert listed(target_group="pandemic") == {other.pk}
    assert listed(status="open") == {world.a.path.pk, other.pk}
    assert listed(hours="under_3") == {world.a.path.pk, other.pk}
    assert listed(hours="3_12") == {world.a.closed_path.pk}
    assert listed(q=world.a.path.person.last_name) >= {world.a.path.pk}


def count_queries(client, address) -> int:
    client.get(address)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.PARTNER])
def test_the_list_query_count_is_constant(world, role, django_assert_max_num_queries):
    client = signed_in(world.a.users[role])
    address = url("path_list", world.a.hub)
    few = count_queries(client, address)
    operator = world.a.users[Role.OPERATOR]
    for _ in range(28):
        path = PathFactory(
            hub=world.a.hub, cooperative=world.a.cooperative, operator=operator, person=PersonFactory()
        )
        log(path, 1, by=operator)
    with django_assert_max_num_queries(few):
        response = client.get(address)
    assert response.context["paginator"].count == 30


def test_intake_facts_are_corrected_but_the_start_stays_before_the_log(staff, world):
    path = world.a.path
    address = url("path_update", world.a.hub, pk=path.pk)
    data = {
        "is_neet": "on",
        "is_pandemic_unemployed": "on",
        "age_at_intake": "22",
        "education": "vocational",
        "months_out": "14",
        "starts_on": timezone.localdate().isoformat(),
    }  # after the activity of yesterday
    late = staff.post(address, data)
    assert "cannot start later" in field_errors(late, "starts_on")
    assert late.context["path"].starts_on == path.starts_on  # the page shows the saved facts
    response = staff.post(address, data | {"starts_on": path.starts_on.isoformat()})
    assert response.status_code == 302
    path.refresh_from_db()
    assert path.is_pandemic_unemployed and path.months_out == 14 and path.age_at_intake == 22


@pytest.mark.parametrize("language", ["it", "en"])
def test_a_decimal_comma_or_point_means_the_same_hours_in_either_language(world, language):
    client = Client()
    client.force_login(world.a.users[Role.PARTNER])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for typed in ("1,5", "1.5"):
        client.post(
            url("activity_create", world.a.hub, pk=world.a.path.pk), activity_data(world, hours=typed)
        )
        assert world.a.path.activities.latest("pk").hours == Decimal("1.5"), (language, typed)
