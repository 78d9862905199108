"""
The API's resources, a registry in the shared layer like the indicators and the menus: each app
declares its own in `<app>/api.py` (imported at start-up by hubs.restapi.apps), and
hubs/restapi/urls.py mounts what was registered. The shared layer names no app; an app's
`api.py` imports only the shared layer, `people` and itself, so the import graph stays a tree.

Adding an app's resources (jobfair, jobclub, pacts, referrals…) is one module, `<app>/api.py`:

    from rest_framework import mixins, serializers

    from hubs.restapi.base import HubViewSet
    from hubs.restapi.registry import resource

    from .models import Fair


    class FairSerializer(serializers.ModelSerializer):
        class Meta:
            model = Fair
            fields = ["id", "name", "starts_at"]


    class FairViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, HubViewSet):
        \"\"\"The hub's job fairs.\"\"\"

        capability = "jobfair.view"  # the back office's capability (hubs/capabilities.py)
        serializer_class = FairSerializer
        queryset = Fair.objects.none()  # the model, for the schema
        ordering = ("-starts_at", "pk")

        def get_queryset(self):
            return Fair.objects.for_hub(self.hub)


    resource("fairs", FairViewSet, basename="jobfair-fairs")

That gives `GET /api/v1/hubs/{hub}/fairs/` and `/fairs/{id}/` with the token, hub, capability
and rate checks, problem+json errors, cursor pagination, the OpenAPI schema and docs, and the
API sweep (hubs/restapi/tests/test_sweep.py) covering the new operations. Objects assigned to an
organization: filter with `hubs.permissions.objects_for_client(self.client, perm, queryset)`,
as placements/api.py does. Writes call the app's services and turn their errors into
`hubs.restapi.errors.Unprocessable` (a 422).
"""

from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import module_has_submodule


@dataclass(frozen=True)
class Resource:
    prefix: str
    viewset: type
    basename: str
    in_hub: bool


RESOURCES: dict[str, Resource] = {}


def resource(prefix: str, viewset: type, *, basename: str, in_hub: bool = True) -> None:
    """
    Mount `viewset` at `/api/v1/hubs/{hub}/<prefix>/` (`in_hub=False`: at `/api/v1/<prefix>/`,
    for the hubs themselves). `basename` names its URLs (`api:<basename>-list`, `-detail`).
    """
    known = RESOURCES.get(basename)
    if known is not None and known.viewset is not viewset:
        raise ValueError(f"API resource {basename!r} is registered twice.")
    RESOURCES[basename] = Resource(prefix, viewset, basename, in_hub)


def autodiscover() -> None:
    """Import `<app>/api.py` of each of the portal's own apps (not the libraries')."""
    root = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        if root not in Path(config.path).resolve().parents:
            continue
        if module_has_submodule(config.module, "api"):
            import_module(f"{config.name}.api")


def routers():
    """(routes under /api/v1/, routes under /api/v1/hubs/{hub}/) of what was registered."""
    from rest_framework.routers import SimpleRouter

    top, in_hub = SimpleRouter(), SimpleRouter()
    for item in sorted(RESOURCES.values(), key=lambda item: item.basename):
        (in_hub if item.in_hub else top).register(item.prefix, item.viewset, basename=item.basename)
    return top, in_hub
