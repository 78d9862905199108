"""
What every resource of the API stands on: `HubViewSet`.

A call passes, in this order: the token (401 without a valid one), the hub in the URL (404 for
any hub but the token's, as the back office answers another hub's member), the capability the
view names for its action (403, from the same table as the back office: hubs/capabilities.py),
the token's rate limit (429). Objects are looked up through `self.hub`, so another hub's id is a
404 too; what is assigned to an organization is read through the organization's grants (the
token's `organization`), as for its members.

Answers carry `Cache-Control: no-store` (they hold a hub's data, often personal),
`X-RateLimit-Limit/Remaining/Reset`, dates in RFC 3339, and lists are cursor-paginated. A
write sent with an `Idempotency-Key` runs once, however often it is sent (idempotency.py).
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, pagination, permissions, throttling, viewsets

from . import idempotency
from .auth import TokenAuthentication, token_in_query
from .errors import BadQuery


class CursorPage(pagination.CursorPagination):
    """Cursor pagination, `limit` at most 100: one query a page, however long the list."""

    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 100
    ordering = ("pk",)

    def get_ordering(self, request, queryset, view):
        return getattr(view, "ordering", self.ordering)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] |= {"minimum": 1, "maximum": self.max_page_size}
                parameter["description"] = (
                    f"Rows per page: 1 to {self.max_page_size}, {self.page_size} if not given."
                )
        return parameters


class QueryFilter(DjangoFilterBackend):
    """django-filter's backend, with a value it cannot read answered 400 (not an empty list)."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise BadQuery(filterset.errors)
        return filterset.qs


class TokenOfThisHub(permissions.BasePermission):
    """A valid token (else 401), and the hub in the URL is the token's (else 404)."""

    def has_permission(self, request, view):
        token = request.auth
        if token is None:
            raise exceptions.NotAuthenticated(_("Send your API token: Authorization: Bearer <token>."))
        slug = view.kwargs.get("hub")
        if slug is not None and slug != token.hub.slug:
            raise exceptions.NotFound()
        return True


class HasCapability(permissions.BasePermission):
    """The capability the view names for this action (hubs/capabilities.py), else 403."""

    message = "This token's role may not do this."

    def has_permission(self, request, view):
        return request.auth.can(view.get_capability())


class TokenRateThrottle(throttling.BaseThrottle):
    """
    Calls per token in fixed windows (YIP_API_RATE_LIMIT: calls, seconds), counted in the shared
    cache so every web process agrees. The cache down: calls go through (as hubs/ratelimit.py).
    """

    def allow_request(self, request, view):
        token = request.auth
        if token is None:
            return True
        limit, period = settings.YIP_API_RATE_LIMIT
        now = int(time.time())
        window = now - now % period
        self.reset = window + period
        key = f"yip:api:rate:{token.pk}:{window}"
        try:
            cache.add(key, 0, period + 1)
            used = cache.incr(key)
        except Exception:  # noqa: BLE001 — a cache outage never refuses calls
            return True
        request.rate_limit = (limit, max(limit - used, 0), self.reset)
        self.now = now
        return used <= limit

    def wait(self):
        return max(self.reset - self.now, 1)


class HubViewSet(viewsets.GenericViewSet):
    """
    Base of every resource under `/api/v1/hubs/{hub}/`. Name the capability each action needs:
    `capability = "desk.manage"` for all of them, or `capabilities = {"create": "…"}` per action
    (falling back on `capability`). Read through `self.hub` and `self.client` (the token, which
    answers `can()`, `role` and `organization` like a membership).
    """

    authentication_classes = [TokenAuthentication]
    permission_classes = [TokenOfThisHub, HasCapability]
    throttle_classes = [TokenRateThrottle]
    pagination_class = CursorPage
    filter_backends = [QueryFilter]  # a resource's filters: `filterset_class` or `filterset_fields`
    query_parameters: tuple[str, ...] = ()  # other query parameters the resource reads
    capability = ""
    capabilities: dict[str, str] = {}
    ordering = ("pk",)

    @property
    def client(self):
        return self.request.auth

    @property
    def hub(self):
        return self.request.auth.hub

    def get_capability(self) -> str:
        capability = self.capabilities.get(self.action, self.capability)
        if not capability:
            raise ImproperlyConfigured(f"{type(self).__name__} names no capability for {self.action!r}.")
        return capability

    def initial(self, request, *args, **kwargs):
        if token_in_query(request):
            raise exceptions.ParseError(_("Send the token in the Authorization header, never in the URL."))
        super().initial(request, *args, **kwargs)
        self.check_query(request)
        # after the token, hub, capability and rate checks: a refused call claims no key
        self.idempotent = idempotency.begin(request, request.auth)

    def check_query(self, request):
        """Every query parameter is one the operation documents; `limit` a number from 1 to 100."""
        known = set(self.query_parameters)
        if self.action == "list":
            if self.pagination_class is not None:
                known |= {"cursor", "limit"}
            filterset = getattr(self, "filterset_class", None)
            known |= set(filterset.base_filters if filterset else getattr(self, "filterset_fields", ()))
        errors = {name: [_("Unknown parameter.")] for name in request.query_params if name not in known}
        if "limit" in known and "limit" in request.query_params:
            limit, most = request.query_params.getlist("limit"), CursorPage.max_page_size
            if len(limit) != 1 or not limit[0].isdigit() or not 1 <= int(limit[0]) <= most:
                errors["limit"] = [_("A number from 1 to %(most)s.") % {"most": most}]
        if errors:
            raise BadQuery(errors)

    def handle_exception(self, exc):
        if isinstance(exc, idempotency.Replay):
            return exc.response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(self, "idempotent", None) is not None:
            idempotency.finish(self.idempotent, response)
            self.idempotent = None
        add_never_cache_headers(response)
        rate = getattr(request, "rate_limit", None)
        if rate:
            response["X-RateLimit-Limit"], response["X-RateLimit-Remaining"], reset = map(str, rate)
            response["X-RateLimit-Reset"] = str(max(int(reset) - int(time.time()), 0))
        return response
