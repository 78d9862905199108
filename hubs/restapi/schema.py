"""
The OpenAPI 3 description (drf-spectacular): the bearer token as the security scheme, and on
every operation each status it can answer with its problem body: 401 (no valid token), 403 (the
token's role may not), 404 (another hub, another hub's object), 429 (rate limit) and, on
writes, 409 (the same Idempotency-Key still in flight), 415 and 422.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from .errors import PROBLEM


class FieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(
        allow_null=True, help_text="The field, dotted for nested ones; null: the whole request."
    )
    message = serializers.CharField()
    code = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """An error, as RFC 9457 (formerly 7807) describes it."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField(required=False)
    errors = FieldErrorSerializer(many=True, required=False)


RATE_HEADERS = {
    "X-RateLimit-Limit": "Calls allowed to this token in the current window.",
    "X-RateLimit-Remaining": "Calls left in the current window.",
    "X-RateLimit-Reset": "Seconds until the window starts again.",
}

ERRORS = {
    "400": "The request cannot be read (not JSON, or a token in the URL).",
    "401": "No valid token: missing, unknown, expired or revoked.",
    "403": "The token's role may not do this.",
    "404": "No such object in this hub (another hub's, or none).",
    "429": "Too many calls with this token: wait `Retry-After` seconds.",
}
WRITE_ERRORS = {
    "409": "A request with the same Idempotency-Key is still being handled.",
    "415": "The body is not application/json.",
    "422": "The data refuses the request: see `errors`.",
}


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description="A key of yours (at most 200 characters) naming this write: sent again within a "
    "day, the first answer is replayed (with `Idempotent-Replayed: true`) and nothing runs twice.",
)


class PortalAutoSchema(AutoSchema):
    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method in ("POST", "PUT", "PATCH", "DELETE") and not getattr(
            self.view, "public_schema", False
        ):
            parameters = [*parameters, IDEMPOTENCY_KEY]
        return parameters

    def get_tags(self):
        """One tag per resource (its registry basename: "desk-bookings"), not "hubs" for all."""
        basename = getattr(self.view, "basename", None)
        return [basename] if basename else ["api"]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if getattr(self.view, "public_schema", False):
            return responses
        codes = dict(ERRORS)
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes |= WRITE_ERRORS
        for code, description in codes.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ProblemSerializer, description=description),
                    code,
                    media_types=[PROBLEM],
                    direction=direction,
                )
        return responses

    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        if getattr(self.view, "public_schema", False):
            return headers
        for name, description in RATE_HEADERS.items():
            headers.setdefault(name, {"schema": {"type": "integer"}, "description": description})
        if str(status_code) == "429":
            headers["Retry-After"] = {"schema": {"type": "integer"}, "description": "Seconds to wait."}
        return headers


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "hubs.restapi.auth.TokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A hub's API token (made by the hub coordinator in the back office), "
            "as `Authorization: Bearer yip_…`. Never in the URL.",
        }
