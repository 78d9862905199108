"""The OpenAPI description: valid OpenAPI 3, and every operation says its auth and its errors."""

import json

import pytest
from openapi_spec_validator import validate

from .helpers import api

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get(api("schema/"), {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_schema_is_valid_openapi_3(schema):
    validate(schema)
    assert schema["openapi"].startswith("3.")
    major, minor, patch = schema["info"]["version"].split(".")
    assert all(part.isdigit() for part in (major, minor, patch))


def test_every_operation_documents_its_auth_and_its_errors(schema):
    assert schema["components"]["securitySchemes"]["apiToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["apiToken"]["description"],
    }
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if path == "/api/v1/status":
                assert not operation.get("security") and "security" not in schema
                continue
            assert operation["security"] == [{"apiToken": []}], (method, path)
            codes = set(operation["responses"])
            assert {"400", "401", "403", "404", "429"} <= codes, (method, path)
            if method in {"post", "put", "patch", "delete"}:
                assert {"415", "422"} <= codes, (method, path)
            problem = operation["responses"]["404"]["content"]
            assert list(problem) == ["application/problem+json"]
            assert (
                "X-RateLimit-Remaining"
                in operation["responses"]["200" if method == "get" else next(iter(codes))]["headers"]
            )


def test_the_docs_page_loads_swagger_ui_from_our_static_files(client):
    response = client.get(api("docs/"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "<script>" not in html and "style=" not in html
    assert "unsafe-inline" not in response["Content-Security-Policy"]
