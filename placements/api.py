"""
Together We Work in the REST API (hubs/restapi): paths and their logged activities. A
cooperative's token (role partner, with its organization) reads only the paths assigned to its
cooperative, through the same grants as its operators (`selectors.paths_for`); the hub staff's
tokens read every path of the hub.
"""

import django_filters
from rest_framework import mixins, serializers

from hubs.restapi.base import HubViewSet
from hubs.restapi.registry import resource

from . import selectors
from .models import Activity, Path


class PathSerializer(serializers.ModelSerializer):
    person = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Path
        fields = [
            "id",
            "person",
            "cooperative",
            "status",
            "starts_on",
            "closed_on",
            "is_neet",
            "is_low_schooling",
            "is_pandemic_unemployed",
            "age_at_intake",
            "education",
            "months_out",
            "planned_hours",
            "delivered_hours",
            "confirmed_hours",
            "outcome",
            "contract_kind",
        ]


class PathResource(mixins.ListModelMixin, mixins.RetrieveModelMixin, HubViewSet):
    """Paths into work the token may open (a cooperative's: those assigned to it)."""

    capability = "placements.view_paths"
    serializer_class = PathSerializer
    queryset = Path.objects.none()  # the model, for the schema; rows come from get_queryset
    filterset_fields = ["status", "cooperative"]
    ordering = ("-pk",)

    def get_queryset(self):
        return selectors.paths_for(hub=self.hub, membership=self.client)


class ActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Activity
        fields = ["id", "path", "kind", "date", "hours", "note", "created_at", "confirmed_at"]


class ActivityFilter(django_filters.FilterSet):
    class Meta:
        model = Activity
        fields = ["path", "kind"]


class ActivityResource(mixins.ListModelMixin, mixins.RetrieveModelMixin, HubViewSet):
    """Activities logged on the paths the token may open."""

    capability = "placements.view_paths"
    serializer_class = ActivitySerializer
    queryset = Activity.objects.none()
    filterset_class = ActivityFilter
    ordering = ("-pk",)

    def get_queryset(self):
        return Activity.objects.for_hub(self.hub).filter(
            path__in=selectors.paths_for(hub=self.hub, membership=self.client)
        )


resource("paths", PathResource, basename="placements-paths")
resource("activities", ActivityResource, basename="placements-activities")
