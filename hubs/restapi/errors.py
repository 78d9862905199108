"""
Every error of the API as `application/problem+json` (RFC 9457, formerly 7807): type, title,
status, detail, instance and, for a request the API cannot accept, `errors`, one entry per
field. A semantic error (a valid request the data refuses: the session is full) is a 422;
a body that is not JSON a 400; a body of another media type a 415.
"""

import logging
from http import HTTPStatus

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

logger = logging.getLogger(__name__)

PROBLEM = "application/problem+json"


class Unprocessable(exceptions.APIException):
    """The request is well formed but the data refuses it: a 422 (e.g. a service's error)."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "unprocessable"

    def __init__(self, detail, *, field: str | None = None, code: str | None = None):
        self.field = field
        super().__init__(detail, code)


class BadQuery(exceptions.APIException):
    """The query string names a parameter the operation does not have, or a value it cannot read."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "bad_query"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def problem(status_code: int, detail: str = "", *, instance: str = "", errors=None, headers=None) -> Response:
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": str(detail or HTTPStatus(status_code).description),
    }
    if instance:
        body["instance"] = instance
    if errors is not None:
        body["errors"] = errors
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM)


def _field_errors(detail, prefix: str = "") -> list[dict]:
    """DRF's nested error detail, flattened to [{"field": "a.b", "message": …, "code": …}]."""
    if isinstance(detail, dict):
        found = []
        for key, value in detail.items():
            name = "" if key == "non_field_errors" else f"{prefix}.{key}" if prefix else str(key)
            found += _field_errors(value, name)
        return found
    if isinstance(detail, list):
        found = []
        for index, value in enumerate(detail):
            if isinstance(value, dict | list) and not isinstance(value, exceptions.ErrorDetail):
                found += _field_errors(value, f"{prefix}.{index}" if prefix else str(index))
            else:
                found += _field_errors(value, prefix)
        return found
    return [{"field": prefix or None, "message": str(detail), "code": getattr(detail, "code", "invalid")}]


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: any error, as a problem."""
    request = context.get("request")
    instance = request.path if request is not None else ""
    headers = {}
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        logger.exception("API error on %s", instance)
        return problem(500, _("Something went wrong on our side."), instance=instance)
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None) is not None:
        headers["Retry-After"] = str(max(int(exc.wait), 1))
    if isinstance(exc, exceptions.ValidationError):
        return problem(
            422,
            _("The request has errors: see `errors`."),
            instance=instance,
            errors=_field_errors(exc.detail),
            headers=headers,
        )
    if isinstance(exc, BadQuery):
        return problem(
            400,
            _("The query string has errors: see `errors`."),
            instance=instance,
            errors=_field_errors(exc.detail),
            headers=headers,
        )
    errors = None
    if isinstance(exc, Unprocessable):
        errors = [{"field": exc.field, "message": str(exc.detail), "code": exc.detail.code}]
    detail = exc.detail if isinstance(exc.detail, str) else ""
    return problem(exc.status_code, detail, instance=instance, errors=errors, headers=headers)
