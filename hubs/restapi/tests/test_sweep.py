"""
The API as its clients meet it, operation by operation from its own OpenAPI schema.

The access sweep: every operation of the OpenAPI schema, with a token of each role of
the hub (2xx or a 4xx about the data where the role holds the capability the view names, 403
where it does not), a token of another hub (404), no token (401), and an object of another hub
under the token's own hub (404). The operations come from the schema, so a resource an app
registers is swept without a line here, once OBJECTS names a sample object for its `{id}`.

Then a property-based run (schemathesis, in-process through the WSGI app): for every operation,
generated query strings and bodies with a hub coordinator's token on the world's hub and its
sample objects. No answer may be a 500, or an undocumented status, header, media type or body.
The examples are bounded (EXAMPLES per operation). One module for both: the shared world is
built (and flushed) once.
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import resolve
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode, checks

from hubs.capabilities import roles_with
from hubs.models import Role
from hubs.tests.factories import sweep_referral
from jobfair.models import CheckIn, Registration
from jobfair.tests.factories import sweep_exhibitor, sweep_fair

from .helpers import client_with, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world):
    return module_world


SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
OPERATIONS = sorted(
    (path, method.upper())
    for path, item in SCHEMA["paths"].items()
    for method in item
    if method in {"get", "post", "put", "patch", "delete"}
    and "{" in path  # hub-scoped ones
    or (path == "/api/v1/hubs/" and method == "get")
)


def _registration(h):
    fair = sweep_fair(h)
    return Registration.objects.get_or_create(
        hub=h.hub, fair=fair, person=h.person, defaults={"age_on_fair_day": 20}
    )[0]


def _check_in(h):
    registration = _registration(h)
    return CheckIn.objects.get_or_create(
        nonce=f"sweep-{h.hub.slug}",
        defaults={
            "hub": h.hub,
            "fair": registration.fair,
            "registration": registration,
            "list_key": "door",
            "result": CheckIn.Result.VALID,
            "scanned_at": timezone.now(),
        },
    )[0]


# A sample object for each resource's {id}, by registry basename.
OBJECTS = {
    "antennas": lambda h: h.antenna,
    "desk-services": lambda h: h.service,
    "desk-slots": lambda h: h.slot,
    "desk-bookings": lambda h: h.booking,
    "placements-paths": lambda h: h.path,
    "placements-activities": lambda h: h.activity,
    "jobclub-paths": lambda h: h.jobclub_path,
    "jobclub-sessions": lambda h: h.jobclub_session,
    "jobclub-attendances": lambda h: h.jobclub_session.attendances.first(),
    "pacts-pacts": lambda h: h.pact,
    "pacts-actions": lambda h: h.pact_action,
    "pacts-expenses": lambda h: h.pact_expense,
    "jobfair-fairs": sweep_fair,
    "jobfair-exhibitors": sweep_exhibitor,
    "jobfair-registrations": _registration,
    "jobfair-check-ins": _check_in,
    "network-referrals": sweep_referral,
}


def url_of(path: str, hub_data, object_hub=None) -> str:
    url = path.replace("{hub}", hub_data.hub.slug)
    if "{id}" in url:
        basename = resolve(url.replace("{id}", "1")).func.initkwargs["basename"]
        url = url.replace("{id}", str(OBJECTS[basename](object_hub or hub_data).pk))
    return url


def capability_of(url: str, method: str) -> str:
    match = resolve(url)
    view = match.func.cls(**match.func.initkwargs)
    view.action = match.func.actions[method.lower()]
    return view.get_capability()


def call(client, method, url):
    return client.generic(method, url, "{}", content_type="application/json")


def test_the_schema_lists_every_registered_resource():
    bases = {
        resolve(path.replace("{hub}", "x").replace("{id}", "1")).func.initkwargs["basename"]
        for path, _method in OPERATIONS
    }
    assert set(OBJECTS) <= bases
    assert {"hubs", "governance-indicators"} <= bases
    assert len(OPERATIONS) >= 17


@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_operation(world, path, method):
    url = url_of(path, world.a)
    allowed = roles_with(capability_of(url, method))
    got, expected = {}, {}
    for role in Role:
        _token, secret = token_for(world.a, role)
        status = call(client_with(secret), method, url).status_code
        got[role] = (
            "denied" if status == 403 else "ok" if status < 500 and status not in {401, 404} else status
        )
        expected[role] = "ok" if role in allowed else "denied"
    assert got == expected, url
    for role in Role if "{hub}" in path else ():  # /hubs/ lists the token's own hub
        _token, secret = token_for(world.b, role)
        assert call(client_with(secret), method, url).status_code == 404, (url, role)
    assert call(client_with(None), method, url).status_code == 401, url
    if "{id}" in path:
        _token, admin = token_for(world.a, Role.HUB_ADMIN)
        _token, operator = token_for(world.a, Role.OPERATOR)
        foreign = url_of(path, world.a, object_hub=world.b)
        for secret in (admin, operator):
            assert call(client_with(secret), method, foreign).status_code in {403, 404}, foreign


# --- schemathesis ---------------------------------------------------------------------------

EXAMPLES = 4  # 46 operations × 4 examples: about the time 31 × 5 took before the job fair and referrals


@pytest.fixture
def in_process(world, settings):
    settings.YIP_API_RATE_LIMIT = (100_000, 60)
    # As Django's test client does: a request's start and end must not close the connection
    # that holds the test's transaction.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


# The schema the API serves at /api/v1/schema/, generated the same way (no request needed).
schema = schemathesis.openapi.from_dict(
    json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
)
schema.app = get_wsgi_application()
# Valid requests only: the refusals (no token, another hub, a role without the right) are the
# sweep's (test_sweep.py), and unknown or unreadable parameters are tested in test_api.py.
schema.config.generation.update(modes=[GenerationMode.POSITIVE], max_examples=EXAMPLES)
# A schema-valid write the data refuse (slot 0, a session not yet held) is a 422 by design.
EXCLUDED = [checks.positive_data_acceptance]


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_generated_requests(case, world, in_process):
    _token, secret = token_for(world.a, Role.HUB_ADMIN)
    if "hub" in (case.path_parameters or {}):
        case.path_parameters["hub"] = world.a.hub.slug
        if "id" in case.path_parameters:
            path = case.operation.path.replace("{hub}", world.a.hub.slug).replace("{id}", "1")
            basename = resolve(path).func.initkwargs["basename"]
            case.path_parameters["id"] = OBJECTS[basename](world.a).pk
    response = case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, excluded_checks=EXCLUDED)
    assert response.status_code < 500
