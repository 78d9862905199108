"""The REST API as a client sees it: tokens, errors, pagination, rate limits, resources."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from desk.models import Booking
from desk.tests.factories import SlotFactory
from hubs.models import Antenna, Role
from hubs.restapi import idempotency, services
from hubs.restapi.models import ApiToken, IdempotentRequest
from hubs.tests.factories import OrganizationFactory
from people.models import PersonHub
from people.tests.factories import PersonFactory
from placements.tests.factories import PathFactory

from .helpers import api, client_with, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world):
    return module_world


@pytest.fixture
def operator(world):
    return token_for(world.a, Role.OPERATOR)


def is_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def test_no_token_is_401_with_the_scheme_to_use(world):
    response = client_with(None).get(api(f"hubs/{world.a.hub.slug}/antennas/"))
    is_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_made_up_token_is_401(world):
    is_problem(client_with("yip_not-a-token").get(api("hubs/")), 401)


def test_the_secret_is_stored_only_as_a_hash(world, operator):
    token, secret = operator
    assert secret.startswith("yip_") and len(secret) > 40
    assert secret not in {token.token_hash, token.prefix}
    assert not ApiToken.objects.filter(token_hash=secret).exists()
    assert client_with(secret).get(api("hubs/")).status_code == 200


def test_a_revoked_token_gets_401_on_its_next_call(world, operator):
    token, secret = operator
    client = client_with(secret)
    url = api(f"hubs/{world.a.hub.slug}/antennas/")
    assert client.get(url).status_code == 200
    services.token_revoke(token=token)
    is_problem(client.get(url), 401)


def test_an_expired_token_gets_401(world, operator, time_machine):
    _token, secret = operator
    time_machine.move_to(timezone.now() + timedelta(days=366))
    is_problem(client_with(secret).get(api("hubs/")), 401)


def test_last_use_is_recorded(world, operator):
    token, secret = operator
    assert token.last_used_at is None
    client_with(secret).get(api("hubs/"))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_token_in_the_url_is_refused(world, operator):
    _token, secret = operator
    body = is_problem(client_with(secret).get(api(f"hubs/?token={secret}")), 400)
    assert secret not in str(body)


def test_hubs_list_holds_the_tokens_hub_alone(world, operator):
    _token, secret = operator
    client = client_with(secret)
    body = client.get(api("hubs/")).json()
    assert [hub["slug"] for hub in body["results"]] == [world.a.hub.slug]
    assert client.get(api(f"hubs/{world.a.hub.slug}/")).json()["name"] == world.a.hub.name
    is_problem(client.get(api(f"hubs/{world.b.hub.slug}/")), 404)
    is_problem(client.get(api("hubs/no-such-hub/")), 404)


def test_answers_are_never_cached_and_carry_rate_headers(world, operator):
    _token, secret = operator
    response = client_with(secret).get(api(f"hubs/{world.a.hub.slug}/bookings/"))
    assert "no-store" in response["Cache-Control"]
    assert int(response["X-RateLimit-Limit"]) >= int(response["X-RateLimit-Remaining"]) >= 0
    assert 0 <= int(response["X-RateLimit-Reset"]) <= 60


def test_past_the_rate_limit_429_with_retry_after(world, operator, settings):
    settings.YIP_API_RATE_LIMIT = (3, 60)
    _token, secret = operator
    client = client_with(secret)
    url = api(f"hubs/{world.a.hub.slug}/antennas/")
    remaining = [client.get(url)["X-RateLimit-Remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    response = client.get(url)
    is_problem(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 60
    # another token of the same hub has a budget of its own
    _other, other_secret = token_for(world.a, Role.HUB_ADMIN)
    assert client_with(other_secret).get(url).status_code == 200


def test_unknown_and_unreadable_query_parameters_are_400(world, operator):
    _token, secret = operator
    client = client_with(secret)
    url = api(f"hubs/{world.a.hub.slug}/bookings/")
    body = is_problem(client.get(url, {"statuss": "confirmed"}), 400)
    assert [error["field"] for error in body["errors"]] == ["statuss"]
    body = is_problem(client.get(url, {"status": "maybe", "slot": "abc"}), 400)
    assert {error["field"] for error in body["errors"]} == {"status", "slot"}
    assert client.get(url, {"status": "confirmed", "limit": 5}).status_code == 200
    is_problem(client.get(f"{url}{world.a.booking.pk}/", {"status": "confirmed"}), 400)


def test_unknown_api_url_is_a_problem_404(world):
    is_problem(client_with(None).get(api("nothing/here/")), 404)


def test_status_answers_as_the_guidelines_ask(world):
    body = is_problem(client_with(None).get(api("status")), 200)
    assert body["title"] == "OK"


# --- bookings: writes, 415, 422 -----------------------------------------------------------------


def bookings_url(world):
    return api(f"hubs/{world.a.hub.slug}/bookings/")


def test_booking_made_through_the_api(world, operator, mailoutbox):
    _token, secret = operator
    slot = SlotFactory(service=world.a.service, operator=world.a.users[Role.OPERATOR], capacity=3)
    response = client_with(secret).post(
        bookings_url(world), {"slot": slot.pk, "person": world.a.person.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    booking = Booking.objects.get(pk=body["id"])
    assert booking.slot == slot and booking.status == "confirmed" and booking.source == "staff"
    assert body["person"] == {
        "id": world.a.person.pk,
        "first_name": world.a.person.first_name,
        "last_name": world.a.person.last_name,
    }
    # RFC 3339: a full date-time with its offset
    assert parse_datetime(body["created_at"]).tzinfo is not None
    assert body["created_at"].endswith(("Z", "+00:00", "+01:00", "+02:00"))


def test_a_body_that_is_not_json_is_415(world, operator):
    _token, secret = operator
    response = client_with(secret).post(bookings_url(world), {"slot": 1}, format="multipart")
    is_problem(response, 415)


def test_a_body_that_is_not_valid_json_is_400(world, operator):
    _token, secret = operator
    response = client_with(secret).generic(
        "POST", bookings_url(world), "{not json", content_type="application/json"
    )
    is_problem(response, 400)


def test_field_errors_are_422_with_one_entry_per_field(world, operator):
    _token, secret = operator
    response = client_with(secret).post(bookings_url(world), {"slot": world.b.slot.pk}, format="json")
    body = is_problem(response, 422)
    fields = {error["field"] for error in body["errors"]}
    assert fields == {"slot", "person"}  # another hub's slot is unknown here, the person missing


def test_a_full_session_is_422(world, operator):
    _token, secret = operator
    slot = SlotFactory(service=world.a.service, operator=world.a.users[Role.OPERATOR], capacity=1)
    newcomer = PersonFactory()
    PersonHub.objects.create(person=newcomer, hub=world.a.hub)
    client = client_with(secret)
    first = client.post(bookings_url(world), {"slot": slot.pk, "person": world.a.person.pk}, format="json")
    assert first.status_code == 201
    again = client.post(bookings_url(world), {"slot": slot.pk, "person": world.a.person.pk}, format="json")
    assert is_problem(again, 422)["errors"][0]["code"] == "duplicate"
    full = client.post(bookings_url(world), {"slot": slot.pk, "person": newcomer.pk}, format="json")
    assert is_problem(full, 422)["errors"][0]["code"] == "full"
    assert Booking.objects.filter(slot=slot).count() == 1


def test_mark_and_cancel(world, operator, time_machine):
    _token, secret = operator
    client = client_with(secret)
    slot = SlotFactory(service=world.a.service, operator=world.a.users[Role.OPERATOR], capacity=3)
    booking = client.post(
        bookings_url(world), {"slot": slot.pk, "person": world.a.person.pk}, format="json"
    ).json()
    mark = f"{bookings_url(world)}{booking['id']}/mark/"
    is_problem(client.post(mark, {"status": "attended"}, format="json"), 422)  # not yet taken place
    time_machine.move_to(slot.starts_at + timedelta(hours=1))
    assert client.post(mark, {"status": "attended"}, format="json").json()["status"] == "attended"
    is_problem(client.post(mark, {"status": "maybe"}, format="json"), 422)


def test_cancel_on_the_hubs_side(world, operator):
    _token, secret = operator
    client = client_with(secret)
    slot = SlotFactory(service=world.a.service, operator=world.a.users[Role.OPERATOR], capacity=3)
    booking = client.post(
        bookings_url(world), {"slot": slot.pk, "person": world.a.person.pk}, format="json"
    ).json()
    response = client.post(f"{bookings_url(world)}{booking['id']}/cancel/", format="json")
    assert response.json()["status"] == "cancelled_by_hub"
    is_problem(client.post(f"{bookings_url(world)}{booking['id']}/cancel/", format="json"), 422)


# --- pagination --------------------------------------------------------------------------------


def _antennas(world, count):
    Antenna.objects.bulk_create(
        Antenna(
            hub=world.a.hub,
            name=f"Antenna {n}",
            municipality=world.a.antenna.municipality,
            address="Via Roma 1",
        )
        for n in range(count)
    )


@pytest.mark.parametrize("count", [10, 1000])
def test_a_page_costs_the_same_queries_for_10_and_1000_rows(
    world, operator, count, django_assert_num_queries
):
    _token, secret = operator
    _antennas(world, count)
    client = client_with(secret)
    url = api(f"hubs/{world.a.hub.slug}/antennas/?limit=20")
    client.get(url)  # last use recorded: later calls in the minute write nothing
    with django_assert_num_queries(2):  # the token with its hub, the page
        body = client.get(url).json()
    assert len(body["results"]) == min(20, count + 1)


def test_cursor_pages_walk_every_row_once_and_limit_is_bounded(world, operator):
    _token, secret = operator
    _antennas(world, 150)
    client = client_with(secret)
    assert is_problem(client.get(api(f"hubs/{world.a.hub.slug}/antennas/?limit=500")), 400)["errors"] == [
        {"field": "limit", "message": "Un numero da 1 a 100.", "code": "bad_query"}
    ]
    body = client.get(api(f"hubs/{world.a.hub.slug}/antennas/?limit=100")).json()
    assert len(body["results"]) == 100 and body["next"] and body["previous"] is None
    seen = [row["id"] for row in body["results"]]
    while body["next"]:
        body = client.get(body["next"]).json()
        seen += [row["id"] for row in body["results"]]
    assert len(seen) == len(set(seen)) == Antenna.objects.for_hub(world.a.hub).count()


# --- organizations' grants and aggregates ------------------------------------------------------


def test_a_cooperatives_token_reads_only_its_paths(world):
    _token, secret = token_for(world.a, Role.PARTNER)
    other = PathFactory(
        hub=world.a.hub, person=world.a.person, cooperative=OrganizationFactory(hubs=[world.a.hub])
    )
    client = client_with(secret)
    ids = {row["id"] for row in client.get(api(f"hubs/{world.a.hub.slug}/paths/")).json()["results"]}
    assert ids == {world.a.path.pk, world.a.closed_path.pk}
    is_problem(client.get(api(f"hubs/{world.a.hub.slug}/paths/{other.pk}/")), 404)
    activities = client.get(api(f"hubs/{world.a.hub.slug}/activities/")).json()["results"]
    assert {row["path"] for row in activities} <= ids
    _staff, staff_secret = token_for(world.a, Role.OPERATOR)
    staff_ids = {
        row["id"]
        for row in client_with(staff_secret).get(api(f"hubs/{world.a.hub.slug}/paths/")).json()["results"]
    }
    assert other.pk in staff_ids


def test_indicators_mask_small_counts_for_aggregate_only_roles(world):
    url = api(f"hubs/{world.a.hub.slug}/indicators/")
    _s, steering = token_for(world.a, Role.STEERING)
    _o, operator = token_for(world.a, Role.OPERATOR)
    masked = {(row["key"], row["part"]): row for row in client_with(steering).get(url).json()}
    plain = {(row["key"], row["part"]): row for row in client_with(operator).get(url).json()}
    assert masked.keys() == plain.keys()
    small = [
        key for key, row in plain.items() if isinstance(row["value"], int | float) and 0 < row["value"] < 5
    ]
    assert small, "the world has small counts"
    personal_small = [key for key in small if masked[key]["value"] == "< 5"]
    assert personal_small
    for key in personal_small:
        assert plain[key]["value"] in (1, 2, 3, 4)
    assert "person" not in str(masked) and world.a.person.last_name not in str(masked)


# --- the coordinator's page of tokens ----------------------------------------------------------


def test_the_coordinator_makes_a_token_sees_it_once_and_revokes_it(client, world):
    client.force_login(world.a.users[Role.HUB_ADMIN])
    base = f"/backoffice/{world.a.hub.slug}/api/token/"
    response = client.post(
        f"{base}nuovo/",
        {"name": "Registro scuola", "role": "school", "organization": world.a.school.pk, "valid_days": 90},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(hub=world.a.hub, name="Registro scuola")
    secret = response.context["secret"]
    assert secret in response.content.decode() and token.token_hash == services.token_hash(secret)
    assert token.role == "school" and token.organization == world.a.school
    assert (token.expires_at - timezone.now()).days in (89, 90)
    listing = client.get(base).content.decode()
    assert "Registro scuola" in listing and token.prefix in listing and secret not in listing
    assert client_with(secret).get(api(f"hubs/{world.a.hub.slug}/")).status_code == 200
    assert client.post(f"{base}{token.pk}/revoca/").status_code == 302
    assert client_with(secret).get(api(f"hubs/{world.a.hub.slug}/")).status_code == 401


def test_a_partner_token_needs_its_organization(client, world):
    client.force_login(world.a.users[Role.HUB_ADMIN])
    response = client.post(
        f"/backoffice/{world.a.hub.slug}/api/token/nuovo/",
        {"name": "Coop", "role": "partner", "valid_days": 30},
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not ApiToken.objects.filter(name="Coop").exists()


def test_another_hubs_token_cannot_be_revoked_here(client, world):
    token, _secret = token_for(world.b, Role.OPERATOR)
    client.force_login(world.a.users[Role.HUB_ADMIN])
    assert client.post(f"/backoffice/{world.a.hub.slug}/api/token/{token.pk}/revoca/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# --- Idempotency-Key ---------------------------------------------------------------------------


def test_a_booking_sent_twice_with_one_key_is_made_once(world, operator):
    token, secret = operator
    slot = SlotFactory(service=world.a.service, operator=world.a.users[Role.OPERATOR], capacity=3)
    client = client_with(secret)
    body = {"slot": slot.pk, "person": world.a.person.pk}
    first = client.post(bookings_url(world), body, format="json", HTTP_IDEMPOTENCY_KEY="booking-42")
    again = client.post(bookings_url(world), body, format="json", HTTP_IDEMPOTENCY_KEY="booking-42")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Booking.objects.filter(slot=slot).count() == 1
    # another key is another request: here the same person again, refused by the desk's rule
    is_problem(client.post(bookings_url(world), body, format="json", HTTP_IDEMPOTENCY_KEY="booking-43"), 422)
    # the same key for another request is a mistake of the client
    other = {"slot": slot.pk, "person": world.a.person.pk, "reason": "CV"}
    is_problem(client.post(bookings_url(world), other, format="json", HTTP_IDEMPOTENCY_KEY="booking-42"), 422)


def test_the_same_key_while_the_first_is_in_flight_is_409(world, operator):
    token, secret = operator
    slot = SlotFactory(service=world.a.service, operator=world.a.users[Role.OPERATOR], capacity=3)
    client = client_with(secret)
    body = {"slot": slot.pk, "person": world.a.person.pk}
    url = bookings_url(world)
    request = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k1").wsgi_request
    IdempotentRequest.objects.create(
        token=token, key="k2", fingerprint=idempotency._fingerprint(request)
    )  # as a first request still running would have left it
    is_problem(client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k2"), 409)


def test_keys_are_per_token(world, operator):
    _token, secret = operator
    _other, other_secret = token_for(world.a, Role.HUB_ADMIN)
    slot = SlotFactory(service=world.a.service, operator=world.a.users[Role.OPERATOR], capacity=3)
    newcomer = PersonFactory()
    PersonHub.objects.create(person=newcomer, hub=world.a.hub)
    url = bookings_url(world)
    client_with(secret).post(
        url, {"slot": slot.pk, "person": world.a.person.pk}, format="json", HTTP_IDEMPOTENCY_KEY="x"
    )
    response = client_with(other_secret).post(
        url, {"slot": slot.pk, "person": newcomer.pk}, format="json", HTTP_IDEMPOTENCY_KEY="x"
    )
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
