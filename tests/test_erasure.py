"""
Erasure that really erases, export that really exports (security issue #10, class 3).

A young person uses every feature of the portal — as a guest and with an account, at two hubs,
with a Together We Work path — then erases their data. Every text and JSON column of every
table in the database is then searched for their name, e-mail and phone: nothing may be left,
and the governance indicators must not move. The scan walks the whole database, so the tables
of apps built later are covered without touching this test.
"""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from desk import tokens
from desk.models import Booking, Enquiry
from desk.tests.factories import SlotFactory
from hubs.indicator_registry import collect
from hubs.models import Role
from hubs.personal_data import undeclared
from people.models import Person, RecordAccess, User
from people.tests.factories import PASSWORD, UserFactory
from placements import services as placements
from placements.models import Activity, ActivityKind, Path

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world):
    """Built once for this module; each test is rolled back and starts from the world as built."""
    return module_world


FIRST, LAST = "Zephyrine", "Quillfeather"
EMAIL = "zephyrine.quillfeather@example.org"
PHONE = "+39 333 1234567"
NEEDLES = (FIRST, LAST, EMAIL, PHONE)


def client_for(user=None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


def booking_form(**changes) -> dict:
    return {
        "first_name": FIRST,
        "last_name": LAST,
        "email": EMAIL,
        "birth_date": (timezone.localdate() - timedelta(days=365 * 19)).isoformat(),
        "gender": "female",
        "municipality": "",
        "status": "neet",
        "education": "lower_secondary",
        "reason": f"Mi chiamo {FIRST} {LAST} e cerco lavoro",
        "language": "it",
        "privacy": "on",
    } | changes


def text_columns() -> list[tuple[str, str]]:
    """(table, column) of every text and JSON column in the database."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "JOIN information_schema.tables USING (table_schema, table_name) "
                "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
                "AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')"
            )
            return sorted(cursor.fetchall())
    columns = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.local_concrete_fields:
            kind = (field.db_type(connection) or "").lower()
            if any(word in kind for word in ("char", "text", "json")):
                columns.add((model._meta.db_table, field.column))
    return sorted(columns)


def scan(needles=NEEDLES) -> dict[str, int]:
    """How many rows of each text column contain each needle (any case): only the hits."""
    hits = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, column in text_columns():
            for needle in needles:
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(table)} WHERE UPPER(CAST({quote(column)} AS TEXT)) LIKE %s",
                    [f"%{needle.upper()}%"],
                )
                count = cursor.fetchone()[0]
                if count:
                    hits[f"{table}.{column} ~ {needle}"] = count
    return hits


def indicators(world) -> dict:
    today = timezone.localdate()
    start, end = today - timedelta(days=400), today + timedelta(days=30)
    return {
        "a": collect(hub=world.a.hub, start=start, end=end),
        "b": collect(hub=world.b.hub, start=start, end=end),
        "network": collect(hub=None, start=start, end=end),
    }


def use_everything(world, capture) -> User:
    """Zephyrine uses the portal every way there is; returns her account."""
    hub_a, hub_b = world.a.hub, world.b.hub
    staff_a = client_for(world.a.users[Role.OPERATOR])
    staff_b = client_for(world.b.users[Role.OPERATOR])
    guest = client_for()
    first, second = (
        SlotFactory(service=world.a.service, operator=world.a.users[Role.OPERATOR], capacity=3)
        for _ in range(2)
    )

    # As a guest at hub A: a booking confirmed by the e-mailed link, a question, a waiting list.
    with capture(execute=True):
        address = reverse("desk:book_form", kwargs={"hub_slug": hub_a.slug, "slot_id": first.pk})
        assert guest.post(address, booking_form()).status_code == 302
    booking = Booking.objects.get(slot=first)
    with capture(execute=True):
        token = tokens.make(tokens.VERIFY, booking.pk)
        assert (
            guest.post(
                reverse("desk:booking_verify", kwargs={"hub_slug": hub_a.slug, "token": token})
            ).status_code
            == 302
        )
        assert (
            guest.post(
                reverse("desk:enquiry_create", kwargs={"hub_slug": hub_a.slug}),
                {
                    "name": f"{FIRST} {LAST}",
                    "email": EMAIL,
                    "subject": f"Tirocini per {FIRST}",
                    "message": f"Sono {FIRST} {LAST}, il mio numero è {PHONE}",
                    "privacy": "on",
                },
            ).status_code
            == 302
        )
        waitlist = reverse(
            "desk:waitlist_join", kwargs={"hub_slug": hub_a.slug, "service_id": world.a.service.pk}
        )
        assert guest.post(waitlist + "?channel=hub", booking_form(place="hub")).status_code == 302

    # Hub B's staff book her by phone, with her phone number.
    with capture(execute=True):
        on_behalf = reverse(
            "deskbo:booking_on_behalf", kwargs={"hub_slug": hub_b.slug, "slot_id": world.b.slot.pk}
        )
        data = {k: v for k, v in booking_form(phone=PHONE).items() if k not in ("language", "privacy")}
        assert staff_b.post(on_behalf, data).status_code == 302

    # She opens an account with the same address and books at hub A.
    user = UserFactory(email=EMAIL, first_name=FIRST, last_name=LAST)
    account = client_for(user)
    with capture(execute=True):
        address = reverse("desk:book_form", kwargs={"hub_slug": hub_a.slug, "slot_id": second.pk})
        assert account.post(address, booking_form()).status_code == 302
    person = Person.objects.get(user=user)

    # Hub A's staff open her record, write a note, answer her question.
    with capture(execute=True):
        record = reverse("deskbo:person_record", kwargs={"hub_slug": hub_a.slug, "pk": person.pk})
        assert staff_a.get(record).status_code == 200
        assert staff_a.post(record, {"text": f"{FIRST} ha chiamato dal {PHONE}"}).status_code == 302
        enquiry = Enquiry.objects.get(email=EMAIL)
        detail = reverse("deskbo:enquiry_detail", kwargs={"hub_slug": hub_a.slug, "pk": enquiry.pk})
        assert staff_a.post(detail, {"reply": f"Cara {FIRST}, ecco i tirocini."}).status_code == 302

    # A Together We Work path: intake, plan, an activity with a note, its confirmation e-mail.
    with capture(execute=True):
        intake = reverse("placementsbo:path_create", kwargs={"hub_slug": hub_a.slug}) + f"?person={person.pk}"
        response = staff_a.post(
            intake,
            {
                "is_neet": "on",
                "age_at_intake": "19",
                "education": "lower_secondary",
                "months_out": "6",
                "cooperative": world.a.cooperative.pk,
                "operator": "",
                "starts_on": (timezone.localdate() - timedelta(days=10)).isoformat(),
            },
        )
        assert response.status_code == 302
        path = Path.objects.get(person=person)
        line = {"kind": ActivityKind.COACHING, "hours": Decimal("4"), "description": f"Colloqui con {FIRST}"}
        placements.plan_save(path=path, goals=f"{FIRST} {LAST} vuole lavorare in un bar", lines=[line])
        activity = placements.activity_log(
            path=path,
            by=world.a.users[Role.OPERATOR],
            kind=ActivityKind.COACHING,
            date=timezone.localdate(),
            hours=Decimal("1.5"),
            note=f"{FIRST} puntuale e motivata",
        )
        confirm = reverse(
            "placementsbo:activity_confirmation", kwargs={"hub_slug": hub_a.slug, "pk": activity.pk}
        )
        assert staff_a.post(confirm).status_code == 302
        detail = reverse("placementsbo:path_detail", kwargs={"hub_slug": hub_a.slug, "pk": path.pk})
        assert staff_a.get(detail).status_code == 200

    return user


def test_every_declared_model_is_in_the_registry():
    """Every table that points at a young person's record declares its personal data."""
    assert undeclared(Person) == []


def test_after_erasure_nothing_in_the_database_holds_their_name_email_or_phone(
    world, django_capture_on_commit_callbacks
):
    user = use_everything(world, django_capture_on_commit_callbacks)
    before = scan()
    tables = {hit.split(".")[0] for hit in before}
    # The scan sees the copies that used to survive erasure (and it would see any new table's).
    assert {
        "people_person",
        "desk_enquiry",
        "post_office_email",
        "auditlog_logentry",
        "placements_activity",
    } <= tables, before
    counts = indicators(world)
    assert RecordAccess.objects.filter(person__user=user).count() == 2

    account = client_for(user)
    assert account.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    response = account.post(reverse("people:my_data_erase"), {"confirm": "on"})
    assert response.status_code == 302

    assert scan() == {}
    assert indicators(world) == counts
    assert not User.objects.filter(email=EMAIL).exists()
    assert Activity.objects.filter(path__person__erased_at__isnull=False).exists()  # the facts stay
    assert Person.objects.filter(erased_at__isnull=False, birth_year__isnull=False).count() == 4


def test_my_data_download_has_every_record_the_activities_the_access_log_and_the_emails(
    world, django_capture_on_commit_callbacks
):
    user = use_everything(world, django_capture_on_commit_callbacks)
    response = client_for(user).get(reverse("people:my_data_export"))
    data = json.loads(response.content)

    assert data["person"]["email"] == EMAIL and data["person"]["user"]
    earlier = data["people.Person"]  # the guest records of her verified address, at both hubs
    assert len(earlier) == 3 and {row["email"] for row in earlier} == {EMAIL}
    assert any(row["phone"] == PHONE for row in earlier)
    assert len(data["desk.Booking"]) == 3  # as a guest, by phone at hub B, with the account
    assert data["desk.WaitlistEntry"] and data["desk.Enquiry"][0]["reply"].startswith(f"Cara {FIRST}")
    assert [row["note"] for row in data["placements.Activity"]] == [f"{FIRST} puntuale e motivata"]
    assert data["placements.PlannedActivity"][0]["description"] == f"Colloqui con {FIRST}"
    opened = data["people.RecordAccess"]
    assert {row["what"] for row in opened} == {"desk.record", "placements.path"}
    assert all(row["user"] == str(world.a.users[Role.OPERATOR]) for row in opened)
    subjects = [row["subject"] for row in data["post_office.Email"]]
    assert len(subjects) >= 5 and all(EMAIL in row["to"] for row in data["post_office.Email"])
    assert data["people.CaseNote"][0]["text"].startswith(FIRST)

    page = client_for(user).get(reverse("people:my_data"))
    assert page.context["other_kinds"] == len(data) - 2  # all but "account" and "person"
