"""
The regional coordinated system (action 1): joining and the quality label, the regional catalogue,
referrals with the young person's consent, the comparison of hubs and the observatory export, the
shared library and the journey's registry.
"""

import csv
import io
import json
import re
from datetime import date, timedelta
from decimal import Decimal

import jsonschema
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from hubs.indicator_registry import REGISTRY, Indicator
from hubs.journey_registry import timeline
from hubs.models import Role
from hubs.network import observatory, selectors, services
from hubs.network.models import (
    Adoption,
    CatalogueHandoff,
    LibraryTool,
    NetworkMembership,
    ObservatoryExport,
    QualityAssessment,
    Referral,
)
from hubs.network.tasks import label_reminders_hub, observatory_monthly
from people.models import RecordAccess
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world):
    return module_world


def join(h, *, approved=True, young_residents=None):
    membership = NetworkMembership.objects.create(
        hub=h.hub,
        joined_on=date(2026, 1, 15),
        charter_accepted=True,
        contact_name="Referente",
        contact_email="rete@example.org",
        young_residents=young_residents,
    )
    if approved:
        services.network_approve(membership=membership, by=None)
    return membership


def bo(name, h, **kwargs):
    return reverse(f"network:{name}", kwargs={"hub_slug": h.hub.slug, **kwargs})


# --- Joining and the quality label ----------------------------------------------------------


def test_a_hub_joins_and_appears_on_network_pages_only_once_approved(client, world):
    client.force_login(world.b.users[Role.HUB_ADMIN])
    response = client.post(
        bo("join", world.b),
        {"joined_on": "2026-03-01", "contact_name": "Anna", "contact_email": "anna@example.org"},
    )
    assert response.status_code == 200  # the charter is not accepted
    assert not NetworkMembership.objects.exists()
    response = client.post(
        bo("join", world.b),
        {
            "joined_on": "2026-03-01",
            "charter_accepted": "on",
            "contact_name": "Anna",
            "contact_email": "anna@example.org",
        },
    )
    assert response.status_code == 302
    join(world.a)

    regional = world.a.users[Role.REGIONAL]
    client.force_login(regional)
    for page in ("overview", "compare"):
        assert world.b.hub.name not in client.get(bo(page, world.a)).content.decode(), page
    assert world.b.hub.name not in client.get(reverse("catalogue")).content.decode()
    approvals = client.get(bo("approvals", world.a)).content.decode()
    assert world.b.hub.name in approvals

    pending = NetworkMembership.objects.get(hub=world.b.hub)
    assert client.post(bo("approvals", world.a), {"membership": pending.pk}).status_code == 302
    pending.refresh_from_db()
    assert pending.is_approved and pending.approved_by == regional
    for page in ("overview", "compare"):
        assert world.b.hub.name in client.get(bo(page, world.a)).content.decode(), page


def test_only_the_regional_coordinator_approves(client, world):
    join(world.a)
    pending = join(world.b, approved=False)
    client.force_login(world.a.users[Role.HUB_ADMIN])
    assert client.post(bo("approvals", world.a), {"membership": pending.pk}).status_code == 403
    pending.refresh_from_db()
    assert not pending.is_approved


@pytest.mark.parametrize(("met", "label"), [(7, True), (6, False)])
def test_seventy_percent_of_the_checklist_gives_the_label_for_three_years(client, world, met, label):
    client.force_login(world.a.users[Role.REGIONAL])
    criteria = "\n".join(f"Criterio {n}" for n in range(10))
    assert client.post(bo("approvals", world.a), {"criteria": criteria}).status_code == 302
    client.force_login(world.a.users[Role.HUB_ADMIN])
    form = client.get(bo("assessment", world.a)).context["form"]
    names = list(form.fields)
    assert len(names) == 10
    client.post(bo("assessment", world.a), {name: "on" for name in names[:met]})
    assessment = QualityAssessment.objects.for_hub(world.a.hub).get()
    assert assessment.score == met * 10
    today = timezone.localdate()
    assert assessment.label_until == (today.replace(year=today.year + 3) if label else None)


def test_the_score_is_rounded_down_so_69_point_9_gives_no_label():
    assert services.score_of(699, 1000) == 69
    assert services.score_of(7, 10) == 70


def test_the_label_reminder_goes_60_days_before_expiry_once(world, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    assessment = QualityAssessment.objects.create(
        hub=world.a.hub, criteria_total=10, score=80, label_until=today + timedelta(days=61)
    )
    assert services.label_reminders_send(hub=world.a.hub) == 0
    assessment.label_until = today + timedelta(days=60)
    assessment.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert label_reminders_hub(hub_id=world.a.hub.pk) == 1
        assert label_reminders_hub(hub_id=world.a.hub.pk) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.a.users[Role.HUB_ADMIN].email]


# --- The regional catalogue -----------------------------------------------------------------


def test_the_catalogue_lists_every_approved_hubs_services_and_books_at_the_chosen_hub(client, world):
    join(world.a)
    join(world.b)
    world.b.service.name = "Curriculum vitae (CV)"
    world.b.service.save()
    page = client.get(reverse("catalogue"), {"q": "cv"})
    entries = page.context["entries"]
    assert [(e.hub, e.title) for e in entries] == [(world.b.hub, "Curriculum vitae (CV)")]
    both = client.get(reverse("catalogue")).context["entries"]
    assert {e.hub for e in both} == {world.a.hub, world.b.hub}

    entry = entries[0]
    response = client.get(reverse("catalogue_book", args=[world.b.hub.slug, entry.key]))
    assert response.status_code == 302
    assert response.url == reverse("desk:book_slots", args=[world.b.hub.slug, world.b.service.pk])
    assert CatalogueHandoff.objects.for_hub(world.b.hub).count() == 1
    # another hub's service under this hub's slug, or an unapproved hub: nothing
    assert client.get(reverse("catalogue_book", args=[world.a.hub.slug, entry.key])).status_code == 404


def test_a_booking_made_through_the_catalogue_counts_once_confirmed(client, world):
    from desk.indicators import catalogue_bookings
    from desk.models import Booking
    from desk.tests.factories import SlotFactory
    from desk.tests.test_public import form_data
    from people.tests.factories import UserFactory

    join(world.a)
    join(world.b)
    soon = (timezone.now() + timedelta(days=4)).replace(microsecond=0)
    slots = [SlotFactory(service=world.b.service, starts_at=soon + timedelta(hours=h)) for h in (1, 3, 5)]

    def book(slot, **data):
        form = reverse("desk:book_form", args=[world.b.hub.slug, slot.pk])
        assert client.post(form, form_data(**data)).status_code == 302
        return Booking.objects.filter(slot=slot).get()

    def through_the_catalogue():
        entry = selectors.catalogue_entry(hub=world.b.hub, key=f"desk-{world.b.service.pk}")
        assert client.get(reverse("catalogue_book", args=[world.b.hub.slug, entry.key])).status_code == 302

    today = timezone.localdate()
    through_the_catalogue()
    guest = book(slots[0], email="guest@example.org")  # a guest's booking waits for the e-mail link
    assert guest.origin == Booking.Origin.CATALOGUE and guest.status == Booking.Status.PENDING
    assert catalogue_bookings(world.b.hub, today, today) == 0

    user = UserFactory(email="ada@example.org")
    client.force_login(user)
    through_the_catalogue()
    confirmed = book(slots[1], email=user.email)
    assert confirmed.origin == Booking.Origin.CATALOGUE and confirmed.status == Booking.Status.CONFIRMED
    direct = book(slots[2], email=user.email)  # the hand-off marked one booking, not the next
    assert direct.origin == Booking.Origin.DIRECT
    assert catalogue_bookings(world.b.hub, today, today) == 1
    assert catalogue_bookings(world.a.hub, today, today) == 0
    assert catalogue_bookings(None, today, today) == 1


def test_online_and_nearby_services_come_first(world):
    join(world.a)
    join(world.b)
    here = world.b.antenna.municipality
    world.b.sub_area.municipalities.add(here)
    entries = selectors.catalogue_search(network=None, municipality=here)
    assert entries[0].hub == world.b.hub  # the hub whose territory covers the municipality


# --- Referrals with consent -----------------------------------------------------------------


def consent_link(message) -> str:
    return re.search(r"https?://\S+/rete/segnalazione/\S+/", message.body).group(0)


def test_a_referral_goes_from_consent_to_outcome_and_hub_b_sees_only_the_consented_items(
    client, world, django_capture_on_commit_callbacks
):
    join(world.a)
    join(world.b)
    person = world.a.person
    person.phone = "333 1234567"
    person.save()
    operator_a, operator_b = world.a.users[Role.OPERATOR], world.b.users[Role.OPERATOR]
    client.force_login(operator_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            bo("referral_create", world.a),
            {
                "email": person.email,
                "to_hub": world.b.hub.pk,
                "service": "Orientamento al lavoro",
                "purpose": "Un colloquio sul lavoro vicino a casa",
                "items": ["name", "municipality"],
                "expires_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
            },
        )
    assert response.status_code == 302
    referral = Referral.objects.get()
    detail_b = bo("referral_detail", world.b, pk=referral.pk)

    # without consent nothing reaches hub B
    client.force_login(operator_b)
    assert referral.service not in client.get(bo("referral_list", world.b)).content.decode()
    assert client.get(detail_b).status_code == 404

    # the young person reads the purpose, the receiving hub, the items and the expiry, and consents
    client.logout()
    link = consent_link(mail.outbox[-1])
    page = client.get(link).content.decode()
    assert world.b.hub.name in page and "Un colloquio sul lavoro" in page and "Comune" in page
    client.post(link, {"answer": "consent"})
    referral.refresh_from_db()
    assert referral.status == Referral.Status.CONSENTED

    # hub B sees the consented items, and nothing else of the person
    client.force_login(operator_b)
    page = client.get(detail_b).content.decode()
    assert person.first_name in page
    assert person.email not in page and person.phone not in page
    # declining needs a reason from the list
    client.post(detail_b, {"decision": "decline"})
    referral.refresh_from_db()
    assert referral.status == Referral.Status.CONSENTED
    client.post(detail_b, {"decision": "accept"})
    client.post(detail_b, {"outcome": "Colloquio fatto, iscritto al corso"})
    referral.refresh_from_db()
    assert referral.status == Referral.Status.COMPLETED

    # hub A sees the status and the outcome
    client.force_login(operator_a)
    page = client.get(bo("referral_detail", world.a, pk=referral.pk)).content.decode()
    assert "Colloquio fatto, iscritto al corso" in page

    # every view is in the access log, of the hub that looked
    logged = RecordAccess.objects.filter(person=person, what=f"referral:{referral.pk}")
    assert logged.filter(hub=world.b.hub).count() == 4 and logged.filter(hub=world.a.hub).count() == 1


def test_a_revoked_consent_shuts_hub_b_out_on_its_next_request(client, world):
    join(world.a)
    join(world.b)
    referral = services.referral_propose(
        hub=world.a.hub,
        to_hub=world.b.hub,
        service="Orientamento",
        person=world.a.person,
        purpose="Colloquio",
        items=["name"],
        expires_on=timezone.localdate() + timedelta(days=10),
        by=world.a.users[Role.OPERATOR],
    )
    services.referral_consent(referral=referral, consent=True)
    client.force_login(world.b.users[Role.OPERATOR])
    detail_b = bo("referral_detail", world.b, pk=referral.pk)
    assert client.get(detail_b).status_code == 200
    services.referral_revoke(referral=referral)
    assert client.get(detail_b).status_code == 404
    assert "Orientamento" not in client.get(bo("referral_list", world.b)).content.decode()


def test_a_refused_consent_sends_nothing(client, world):
    join(world.a)
    join(world.b)
    referral = services.referral_propose(
        hub=world.a.hub,
        to_hub=world.b.hub,
        service="Orientamento",
        person=world.a.person,
        purpose="Colloquio",
        items=["name"],
        expires_on=timezone.localdate() + timedelta(days=10),
        by=None,
    )
    services.referral_consent(referral=referral, consent=False)
    client.force_login(world.b.users[Role.HUB_ADMIN])
    assert client.get(bo("referral_detail", world.b, pk=referral.pk)).status_code == 404


# --- Comparing hubs and the observatory -----------------------------------------------------


def test_the_same_data_in_two_hubs_gives_identical_values_per_1000_and_masked(client, world, monkeypatch):
    monkeypatch.setitem(
        REGISTRY, "test.ten", Indicator("test.ten", 1, "Ten people", lambda h, s, e: 10, personal=True)
    )
    monkeypatch.setitem(
        REGISTRY, "test.three", Indicator("test.three", 1, "Three people", lambda h, s, e: 3, personal=True)
    )
    join(world.a, young_residents=2000)
    join(world.b, young_residents=2000)
    client.force_login(world.a.users[Role.REGIONAL])
    table = client.get(bo("compare", world.a)).context["table"]
    assert [h.pk for h in table["hubs"]] == sorted([world.a.hub.pk, world.b.hub.pk], key=lambda pk: pk)
    for row in table["rows"]:
        first, second = row["cells"]
        assert first == second, row["key"]
    three = next(r for r in table["rows"] if r["key"] == "test.three")
    assert three["cells"][0] == {"value": "< 5", "per_1000": None}
    ten = next(r for r in table["rows"] if r["key"] == "test.ten")
    assert ten["cells"][0] == {"value": 10, "per_1000": 5.0}


def test_the_comparison_is_the_regional_coordinators(client, world):
    client.force_login(world.a.users[Role.HUB_ADMIN])
    assert client.get(bo("compare", world.a)).status_code == 403
    assert client.get(bo("observatory", world.a)).status_code == 403


def test_the_observatory_export_is_valid_against_its_published_schema_and_names_nobody(client, world):
    join(world.a, young_residents=1500)
    join(world.b)
    jsonschema.Draft202012Validator.check_schema(observatory.SCHEMA)
    published = client.get(reverse("observatory_schema")).json()
    assert published == observatory.SCHEMA

    client.force_login(world.a.users[Role.REGIONAL])
    data = json.loads(client.get(bo("observatory", world.a), {"format": "json"}).content)
    jsonschema.validate(data, published, format_checker=jsonschema.FormatChecker())
    assert {h["hub"] for h in data["hubs"]} == {world.a.hub.slug, world.b.hub.slug}
    assert {i["key"] for i in data["indicators"]} == set(data["hubs"][0]["values"])

    response = client.get(bo("observatory", world.a), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == observatory.CSV_HEADERS and len(rows) > 10
    text = response.content.decode() + json.dumps(data)
    person = world.a.person
    for identifier in (person.email, person.last_name, world.a.users[Role.OPERATOR].email):
        assert identifier not in text


def test_the_monthly_export_is_made_once_per_month():
    from hubs.tests.factories import NetworkFactory

    NetworkFactory()
    assert observatory_monthly() == 1
    assert observatory_monthly() == 0
    row = ObservatoryExport.objects.get()
    jsonschema.validate(row.data, observatory.SCHEMA)
    assert row.month == (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)


# --- The shared library ---------------------------------------------------------------------


def test_a_hub_adopts_a_tool_adapts_it_hears_of_a_new_version_and_keeps_its_copy(client, world):
    client.force_login(world.a.users[Role.REGIONAL])
    client.post(bo("tool_publish", world.a), {"kind": "survey", "title": "Questionario", "body": "Domanda 1"})
    version = LibraryTool.objects.get().versions.get()

    client.force_login(world.b.users[Role.OPERATOR])
    client.post(bo("library", world.b), {"version": version.pk})
    adoption = Adoption.objects.for_hub(world.b.hub).get()
    client.post(bo("adoption_update", world.b, pk=adoption.pk), {"body": "Domanda 1, per Beta"})
    adoption.refresh_from_db()
    assert adoption.adapted and adoption.body == "Domanda 1, per Beta"

    services.tool_publish(
        network=world.a.hub.network,
        kind="survey",
        title="",
        body="Domande 1 e 2",
        changes="Una domanda in più",
        tool=version.tool,
    )
    page = client.get(bo("library", world.b)).content.decode()
    assert "Una domanda in più" in page

    LibraryTool.objects.all().delete()
    adoption.refresh_from_db()
    assert adoption.tool is None and adoption.body == "Domanda 1, per Beta"


# --- The journey ----------------------------------------------------------------------------


def test_the_timeline_shows_each_entry_only_to_staff_whose_capability_covers_it(world):
    person = world.a.person
    operator = world.a.members[Role.OPERATOR]
    partner = world.a.members[Role.PARTNER]
    operator_sees = {entry.action for entry in timeline(person, hub=world.a.hub, membership=operator)}
    assert {2, 5} <= operator_sees
    assert not timeline(person, hub=world.a.hub, membership=partner)
    assert timeline(PersonFactory(), hub=world.a.hub, membership=operator) == []


def test_the_network_indicators_count_referrals_by_stage(world):
    from hubs.indicators import referrals

    join(world.a)
    join(world.b)
    referral = services.referral_propose(
        hub=world.a.hub,
        to_hub=world.b.hub,
        service="Orientamento",
        person=world.a.person,
        purpose="Colloquio",
        items=["name"],
        expires_on=timezone.localdate() + timedelta(days=10),
        by=None,
    )
    services.referral_consent(referral=referral, consent=True)
    today = timezone.localdate()
    assert referrals(world.a.hub, today, today) == {
        "proposed": 1,
        "consented": 1,
        "accepted": 0,
        "completed": 0,
    }
    assert referrals(world.b.hub, today, today)["proposed"] == 0


def test_the_young_person_sees_their_own_journey_and_staff_see_it_on_the_record(client, world):
    from people.tests.factories import UserFactory

    person = world.a.person
    person.user = UserFactory()
    person.save()
    client.force_login(person.user)
    page = client.get(reverse("my_journey")).content.decode()
    assert world.a.service.name in page and "Together We Work" in page

    client.force_login(world.a.users[Role.OPERATOR])
    record = client.get(reverse("deskbo:person_record", args=[world.a.hub.slug, person.pk])).content.decode()
    assert 'id="journey"' in record and "Together We Work" in record


def test_the_referral_list_and_the_catalogue_make_the_same_queries_for_1_and_30_rows(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from desk.tests.factories import RuleFactory, ServiceFactory

    join(world.a)
    join(world.b)

    def refer(n):
        for _ in range(n):
            services.referral_propose(
                hub=world.a.hub,
                to_hub=world.b.hub,
                service="Orientamento",
                person=PersonFactory(),
                purpose="Colloquio",
                items=["name"],
                expires_on=timezone.localdate() + timedelta(days=10),
                by=None,
            )

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    client.force_login(world.a.users[Role.OPERATOR])
    refer(1)
    few = count(bo("referral_list", world.a)), count(reverse("catalogue"))
    refer(29)
    for _ in range(29):
        RuleFactory(service=ServiceFactory(hub=world.b.hub), operator=world.b.users[Role.OPERATOR])
    many = count(bo("referral_list", world.a)), count(reverse("catalogue"))
    assert few == many


def test_moves_between_actions_are_counted_by_sub_area(world):
    from hubs.indicators import journey_moves

    person = world.a.person
    person.municipality = world.a.antenna.municipality
    person.save()
    world.a.sub_area.municipalities.add(person.municipality)
    booking_day = timezone.localdate(world.a.booking.slot.starts_at)
    path = world.a.path
    path.starts_on = booking_day + timedelta(days=3)
    path.save()
    world.a.closed_path.starts_on = booking_day + timedelta(days=5)
    world.a.closed_path.save()
    start, end = booking_day - timedelta(days=1), booking_day + timedelta(days=10)
    moves = journey_moves(world.a.hub, start, end)
    assert moves == {f"{world.a.sub_area.name}: sportello → percorso Together We Work": 1}
    assert journey_moves(world.b.hub, start, end) == {}


def test_the_job_fair_and_the_job_club_add_their_entries_and_moves_to_the_journey(world):
    from django.utils import translation

    from hubs.indicators import journey_moves
    from jobfair.models import Fair, Registration
    from jobfair.tests.factories import FairFactory
    from people.tests.factories import UserFactory

    person = world.a.person
    person.user = UserFactory()
    person.municipality = world.a.antenna.municipality
    person.save()
    world.a.sub_area.municipalities.add(person.municipality)
    today = timezone.localdate()
    # yesterday the job club's session (the world's: the student was present), today the fair,
    # in a few days the desk session (the world's booking)
    fair = FairFactory(hub=world.a.hub, title="Il futuro è oggi")
    Fair.objects.filter(pk=fair.pk).update(date=today)
    Registration.objects.create(hub=world.a.hub, fair=fair, person=person, checked_in_at=timezone.now())
    student = world.a.student  # the student of the roster claims their record with their account
    student.user = person.user
    student.save()

    operator = world.a.members[Role.OPERATOR]
    with translation.override("en"):
        titles = [entry.title for entry in timeline(person, hub=world.a.hub, membership=operator)]
    assert "Registered for the job fair: Il futuro è oggi" in titles
    assert "Came to the job fair: Il futuro è oggi" in titles
    assert f"Job club path: {world.a.jobclub_path.title}" in titles
    assert not timeline(person, hub=world.b.hub, membership=world.b.members[Role.OPERATOR])
    # the school's referent reads the job club's entry, not the fair's
    referent = world.a.members[Role.SCHOOL]
    assert {entry.action for entry in timeline(person, hub=world.a.hub, membership=referent)} == {4}

    moves = journey_moves(world.a.hub, today - timedelta(days=5), today + timedelta(days=10))
    area = world.a.sub_area.name
    assert moves[f"{area}: job club → job fair"] == 1
    assert moves[f"{area}: job fair → sportello"] == 1
    assert moves[f"{area}: job club → sportello"] == 1
    assert journey_moves(world.b.hub, today - timedelta(days=5), today + timedelta(days=10)) == {}


def test_the_young_persons_data_export_holds_their_referrals_without_the_links_secret(world):
    from people.services import person_export

    join(world.a)
    join(world.b)
    services.referral_propose(
        hub=world.a.hub,
        to_hub=world.b.hub,
        service="Orientamento",
        person=world.a.person,
        purpose="Colloquio",
        items=["name"],
        expires_on=timezone.localdate() + timedelta(days=10),
        by=None,
    )
    rows = person_export(person=world.a.person)["hubs.Referral"]
    assert rows[0]["to_hub"] == world.b.hub.name and rows[0]["purpose"] == "Colloquio"
    assert "token_hash" not in rows[0]


# --- Equity: whom the hub reaches, beside its territory ------------------------------------


def test_the_equity_view_shows_shares_by_sub_area_beside_the_territory_with_small_numbers_masked(
    client, world
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hubs.network.models import TerritoryFigure
    from people.models import PersonHub

    hub, area = world.a.hub, world.a.sub_area
    here = world.a.antenna.municipality
    area.municipalities.add(here)

    def reach(n, **facts):
        for _ in range(n):
            PersonHub.objects.create(person=PersonFactory(municipality=here, **facts), hub=hub)

    # the world's young people were reached last year: this year's figures are the test's own
    PersonHub.objects.filter(hub=hub).update(since=timezone.now() - timedelta(days=366))
    url = bo("equity", world.a)
    client.force_login(world.a.users[Role.STEERING])

    def area_line():
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url, {"year": timezone.localdate().year})
        assert page.status_code == 200
        lines = page.context["lines"]
        area_line.whole = lines[0]
        return next(line for line in lines if line["area"] == area), len(queries)

    reach(3, status="neet", education="lower_secondary")
    line, few = area_line()
    assert area_line.whole["reached"] == "< 5"
    # fewer than 5 in all: the whole territory reads "< 5", every line beside it "*"
    assert line["reached"] == "*" and line["neet_share"] is None and line["low_share"] is None
    reach(5, status="student", education="upper_secondary")
    reach(2, status="neet", education="upper_secondary")
    line, many = area_line()
    # 10 reached: 5 NEET (50 %); 3 with low schooling: too few to show as a share
    assert (line["reached"], line["neet_share"], line["low_share"]) == (10, 50, None)
    assert few == many
    assert line["neet_territory"] is None
    # one young person outside the sub-areas: beside the total, the area's count would give them away
    PersonHub.objects.create(person=PersonFactory(municipality=None, status="student"), hub=hub)
    line, _queries = area_line()
    assert line["reached"] == "*" and line["neet_share"] is None
    PersonHub.objects.filter(hub=hub, person__municipality=None).delete()

    # the hub's coordinator enters the territory's figure; steering and operators read it only
    figure = {"measure": "neet", "sub_area": area.pk, "percent": "18.5", "source": "ISTAT", "year": "2021"}
    assert client.post(url, figure).status_code == 403
    client.force_login(world.a.users[Role.OPERATOR])
    assert client.post(url, figure).status_code == 403
    client.force_login(world.a.users[Role.HUB_ADMIN])
    assert client.post(url, figure).status_code == 302
    assert client.post(url, figure | {"percent": "19.0"}).status_code == 302  # corrected, not doubled
    saved = TerritoryFigure.objects.for_hub(hub).get()
    assert (saved.percent, saved.source, saved.year) == (Decimal("19.0"), "ISTAT", 2021)
    # another hub's sub-area is not a choice
    other = figure | {"sub_area": world.b.sub_area.pk}
    assert client.post(url, other).status_code == 200
    assert TerritoryFigure.objects.count() == 1
    line, _queries = area_line()
    assert line["neet_territory"] == saved
    page = client.get(url).content.decode()
    assert "19,0 %" in page and "ISTAT, 2021" in page  # Italian by default
    assert not TerritoryFigure.objects.for_hub(world.b.hub).exists()
