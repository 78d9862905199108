"""
The job fair's, the referrals' and the partners' resources of the API, as a client uses them:
what each role reads, and the writes (Idempotency-Key, 415, 422) beyond the desk's bookings.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from hubs.models import Role
from hubs.network.models import Referral
from hubs.tests.factories import HubFactory
from jobclub.models import Attendance, RegisterChange
from jobfair.models import CheckIn, Registration
from jobfair.tests.factories import sweep_fair
from people.models import PersonHub
from placements.tests.factories import PathFactory

from .helpers import api, client_with, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world):
    return module_world


def url(world, path, hub=None):
    return api(f"hubs/{(hub or world.a).hub.slug}/{path}")


def secret_of(world_hub, role):
    return token_for(world_hub, role)[1]


# --- job fair -----------------------------------------------------------------------------------


def test_registrations_hold_names_for_the_staff_only(world):
    fair = sweep_fair(world.a)
    Registration.objects.create(hub=world.a.hub, fair=fair, person=world.a.person, age_on_fair_day=20)
    staff = client_with(secret_of(world.a, Role.OPERATOR))
    response = staff.get(url(world, f"fair-registrations/?fair={fair.pk}"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    [row] = response.json()["results"]
    assert row["name"] == str(world.a.person) and row["person"] == world.a.person.pk
    steering = client_with(secret_of(world.a, Role.STEERING))
    assert steering.get(url(world, "fair-registrations/")).status_code == 403
    fairs = steering.get(url(world, "fairs/")).json()["results"]
    assert [f["id"] for f in fairs] == [fair.pk] and fairs[0]["opens_at"] == "09:00"


def test_a_registration_sent_twice_with_one_key_is_made_once(world, mailoutbox):
    fair = sweep_fair(world.a)
    client = client_with(secret_of(world.a, Role.OPERATOR))
    body = {"fair": fair.pk, "person": world.a.person.pk, "notice_accepted": True}
    first = client.post(url(world, "fair-registrations/"), body, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    assert first.status_code == 201, first.content
    again = client.post(url(world, "fair-registrations/"), body, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Registration.objects.filter(fair=fair, person=world.a.person).count() == 1
    # without the key, a second registration of the same person is refused by the fair's rules
    third = client.post(url(world, "fair-registrations/"), body, format="json")
    assert third.status_code == 422 and third["Content-Type"] == "application/problem+json"


def test_registration_refusals_are_422_or_415(world):
    fair = sweep_fair(world.a)
    client = client_with(secret_of(world.a, Role.OPERATOR))
    refused = client.post(
        url(world, "fair-registrations/"),
        {"fair": fair.pk, "person": world.a.person.pk, "notice_accepted": False},
        format="json",
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "notice_accepted"
    other = client.post(
        url(world, "fair-registrations/"),
        {"fair": sweep_fair(world.b).pk, "person": world.a.person.pk, "notice_accepted": True},
        format="json",
    )
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "fair"
    wrong_type = client.post(url(world, "fair-registrations/"), "fair=1", content_type="text/plain")
    assert wrong_type.status_code == 415
    assert not Registration.objects.filter(person=world.a.person).exists()


def test_a_check_in_sent_again_with_its_nonce_is_recorded_once(world, time_machine):
    fair = sweep_fair(world.a)
    registration = Registration.objects.create(hub=world.a.hub, fair=fair, person=world.a.person)
    time_machine.move_to(fair.starts())
    client = client_with(secret_of(world.a, Role.OPERATOR))
    body = {"fair": fair.pk, "registration": registration.pk, "device": "Porta 1", "nonce": "scan-1"}
    first = client.post(url(world, "fair-check-ins/"), body, format="json")
    assert first.status_code == 201 and first.json()["result"] == "valid"
    again = client.post(url(world, "fair-check-ins/"), body, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    second_scan = client.post(url(world, "fair-check-ins/"), body | {"nonce": "scan-2"}, format="json")
    assert second_scan.json()["result"] == "already_used"
    assert CheckIn.objects.filter(registration=registration).count() == 2
    registration.refresh_from_db()
    assert registration.checked_in_at is not None


def test_a_nonce_of_another_hubs_scan_reveals_nothing(world):
    fair_b = sweep_fair(world.b)
    theirs = Registration.objects.create(hub=world.b.hub, fair=fair_b, person=world.b.person)
    CheckIn.objects.create(
        hub=world.b.hub,
        fair=fair_b,
        registration=theirs,
        list_key="door",
        result="valid",
        nonce="theirs",
        scanned_at=timezone.now(),
    )
    fair = sweep_fair(world.a)
    mine = Registration.objects.create(hub=world.a.hub, fair=fair, person=world.a.person)
    response = client_with(secret_of(world.a, Role.OPERATOR)).post(
        url(world, "fair-check-ins/"),
        {"fair": fair.pk, "registration": mine.pk, "device": "Porta", "nonce": "theirs"},
        format="json",
    )
    assert response.status_code == 422 and str(world.b.hub.slug) not in response.content.decode()
    foreign_ticket = client_with(secret_of(world.a, Role.OPERATOR)).post(
        url(world, "fair-check-ins/"),
        {"fair": fair.pk, "registration": theirs.pk, "device": "Porta", "nonce": "x"},
        format="json",
    )
    assert foreign_ticket.status_code == 422


# --- referrals ----------------------------------------------------------------------------------


def referral(world, status=Referral.Status.CONSENTED):
    return Referral.objects.create(
        hub=world.b.hub,
        to_hub=world.a.hub,
        service="Orientamento",
        person=world.b.person,
        purpose="Cerca lavoro",
        items=["name"],
        expires_on=timezone.localdate() + timedelta(days=30),
        token_hash=f"t-{status}",
        status=status,
    )


def test_the_receiving_hub_reads_and_moves_on_a_consented_referral(world):
    received = referral(world)
    waiting = referral(world, Referral.Status.PROPOSED)
    client = client_with(secret_of(world.a, Role.HUB_ADMIN))
    rows = client.get(url(world, "referrals/?direction=received")).json()["results"]
    assert [row["id"] for row in rows] == [received.pk]  # not the one awaiting consent
    assert rows[0]["from_hub"] == world.b.hub.slug and "purpose" not in rows[0] and "person" not in rows[0]
    assert client.get(url(world, f"referrals/{waiting.pk}/")).status_code == 404
    declined = client.post(
        url(world, f"referrals/{received.pk}/status/"), {"status": "declined"}, format="json"
    )
    assert declined.status_code == 422 and declined.json()["errors"][0]["field"] == "reason"
    accepted = client.post(
        url(world, f"referrals/{received.pk}/status/"), {"status": "accepted"}, format="json"
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    done = client.post(
        url(world, f"referrals/{received.pk}/status/"),
        {"status": "completed", "outcome": "Iscritto al corso"},
        format="json",
    )
    assert done.json()["status"] == "completed"
    received.refresh_from_db()
    assert received.outcome == "Iscritto al corso"


def test_the_sending_hub_cannot_decide_its_own_referral(world):
    sent = referral(world)
    client = client_with(secret_of(world.b, Role.HUB_ADMIN))
    rows = client.get(url(world, "referrals/?direction=sent", hub=world.b)).json()["results"]
    assert sent.pk in [row["id"] for row in rows]
    response = client.post(
        url(world, f"referrals/{sent.pk}/status/", hub=world.b), {"status": "accepted"}, format="json"
    )
    assert response.status_code == 422
    sent.refresh_from_db()
    assert sent.status == Referral.Status.CONSENTED
    third = HubFactory(slug="delta")
    assert not Referral.objects.filter(to_hub=third).exists()


# --- partners' writes ---------------------------------------------------------------------------


def test_a_cooperative_logs_an_activity_on_its_own_path_only(world):
    partner = world.a.users[Role.PARTNER]
    client = client_with(secret_of(world.a, Role.PARTNER))
    body = {
        "path": world.a.path.pk,
        "kind": "coaching",
        "date": str(timezone.localdate()),
        "hours": "1.5",
        "operator": partner.pk,
    }
    response = client.post(url(world, "activities/"), body, format="json", HTTP_IDEMPOTENCY_KEY="a-1")
    assert response.status_code == 201, response.content
    replay = client.post(url(world, "activities/"), body, format="json", HTTP_IDEMPOTENCY_KEY="a-1")
    assert replay.json() == response.json() and replay["Idempotent-Replayed"] == "true"
    assert world.a.path.activities.filter(hours=1.5, operator=partner).count() == 1
    other_coop = PathFactory(hub=world.a.hub, person=world.a.person, operator=world.a.users[Role.OPERATOR])
    refused = client.post(url(world, "activities/"), body | {"path": other_coop.pk}, format="json")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "path"
    staff_as_operator = client.post(
        url(world, "activities/"), body | {"operator": world.a.users[Role.OPERATOR].pk}, format="json"
    )
    assert staff_as_operator.status_code == 422  # a cooperative names its own operators
    too_many = client.post(url(world, "activities/"), body | {"hours": "30"}, format="json")
    assert too_many.status_code == 422 and too_many.json()["errors"][0]["field"] == "hours"
    future = client.post(
        url(world, "activities/"), body | {"date": str(date.today() + timedelta(days=3))}, format="json"
    )
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "date"


def test_a_register_line_is_corrected_with_a_reason_once_validated(world):
    line = Attendance.objects.filter(session=world.a.jobclub_session).first()
    client = client_with(secret_of(world.a, Role.OPERATOR))
    target = url(world, f"jobclub-attendances/{line.pk}/")
    no_reason = client.patch(target, {"status": "absent"}, format="json")
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    response = client.patch(target, {"status": "absent", "reason": "Errore di battitura"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "absent"
    assert RegisterChange.objects.filter(
        session=world.a.jobclub_session, reason="Errore di battitura"
    ).exists()
    school = client_with(secret_of(world.a, Role.SCHOOL))
    assert school.get(target).status_code == 200
    assert school.patch(target, {"status": "present"}, format="json").status_code == 403


def test_a_person_of_another_hub_cannot_be_registered(world):
    PersonHub.objects.filter(person=world.b.person, hub=world.a.hub).delete()
    response = client_with(secret_of(world.a, Role.OPERATOR)).post(
        url(world, "fair-registrations/"),
        {"fair": sweep_fair(world.a).pk, "person": world.b.person.pk, "notice_accepted": True},
        format="json",
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "person"
