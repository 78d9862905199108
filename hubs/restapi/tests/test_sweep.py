"""
The API's access sweep: every operation of the OpenAPI schema, with a token of each role of
the hub (2xx or a 4xx about the data where the role holds the capability the view names, 403
where it does not), a token of another hub (404), no token (401), and an object of another hub
under the token's own hub (404). The operations come from the schema, so a resource an app
registers is swept without a line here, once OBJECTS names a sample object for its `{id}`.
"""

import pytest
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator

from hubs.capabilities import roles_with
from hubs.models import Role

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

# A sample object for each resource's {id}, by registry basename.
OBJECTS = {
    "antennas": lambda h: h.antenna,
    "desk-services": lambda h: h.service,
    "desk-slots": lambda h: h.slot,
    "desk-bookings": lambda h: h.booking,
    "placements-paths": lambda h: h.path,
    "placements-activities": lambda h: h.activity,
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
