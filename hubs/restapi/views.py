"""
The API's own pages: its status, its OpenAPI schema, the documentation page (Swagger UI from
our static files, started by restapi/docs.js: no inline script, the CSP holds), and a problem
404 for any other URL under /api/v1/. All public: they hold no hub's data.
"""

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions
from rest_framework.views import APIView

from .errors import problem
from .schema import ProblemSerializer


class PublicApiView(APIView):
    authentication_classes = []
    permission_classes = []
    throttle_classes = []
    public_schema = True


@method_decorator(login_not_required, name="dispatch")
class StatusView(PublicApiView):
    """The service's health as the interoperability guidelines ask: a problem body, 200 or 503."""

    @extend_schema(
        summary="Service status",
        auth=[],
        responses={
            (200, "application/problem+json"): ProblemSerializer,
            (503, "application/problem+json"): ProblemSerializer,
        },
    )
    def get(self, request):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception:  # noqa: BLE001 — the answer is the point
            return problem(503, _("The database does not answer."), headers={"Retry-After": "60"})
        try:
            cache.get("yip:api:status")
        except Exception:  # noqa: BLE001
            return problem(503, _("The cache does not answer."), headers={"Retry-After": "60"})
        response = problem(200, _("The service is up."))
        response["Cache-Control"] = "no-store"
        return response


@method_decorator(login_not_required, name="dispatch")
class SchemaView(SpectacularAPIView):
    authentication_classes = []
    permission_classes = []
    throttle_classes = []


@method_decorator(login_not_required, name="dispatch")
class DocsView(TemplateView):
    template_name = "restapi/docs.html"


@method_decorator(login_not_required, name="dispatch")
class NotFoundView(PublicApiView):
    """Any other URL under /api/v1/: a problem+json 404."""

    schema = None  # not an operation

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound()
