"""
Together We Work in the REST API (hubs/restapi): paths and their logged activities. A
cooperative's token (role partner, with its organization) reads only the paths assigned to its
cooperative, through the same grants as its operators (`selectors.paths_for`); the hub staff's
tokens read every path of the hub.

Activities are logged through the API as in the back office ("placements.log_activity", a
cooperative on its own paths only): the same service refuses a closed path, a date before the
path or in the future, and hours past 24 (a 422 with the field).
"""

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from hubs.capabilities import roles_with
from hubs.models import Membership
from hubs.restapi.base import HubViewSet
from hubs.restapi.errors import Unprocessable
from hubs.restapi.registry import resource

from . import selectors, services
from .models import Activity, ActivityKind, Path


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


class ActivityCreateSerializer(serializers.Serializer):
    path = serializers.PrimaryKeyRelatedField(queryset=Path.objects.none())
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    date = serializers.DateField()
    hours = serializers.DecimalField(max_digits=4, decimal_places=2, min_value=0, help_text="Quarter hours.")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    operator = serializers.IntegerField(
        required=False,
        help_text="The user id of the member who held it (default: the token's creator); a "
        "cooperative's token names one of its own operators.",
    )

    def __init__(self, *args, paths=None, **kwargs):
        super().__init__(*args, **kwargs)
        if paths is not None:
            self.fields["path"].queryset = paths


class ActivityFilter(django_filters.FilterSet):
    class Meta:
        model = Activity
        fields = ["path", "kind"]


class ActivityResource(mixins.ListModelMixin, mixins.RetrieveModelMixin, HubViewSet):
    """Activities logged on the paths the token may open."""

    capability = "placements.view_paths"
    capabilities = {"create": "placements.log_activity"}
    serializer_class = ActivitySerializer
    queryset = Activity.objects.none()
    filterset_class = ActivityFilter
    ordering = ("-pk",)

    def get_queryset(self):
        return Activity.objects.for_hub(self.hub).filter(
            path__in=selectors.paths_for(hub=self.hub, membership=self.client)
        )

    def _operator(self, user_id):
        """The member who held the activity: one who may log it, of the token's cooperative if any."""
        if user_id is None:
            if self.client.created_by is None:
                raise Unprocessable(_("Name the operator who held the activity."), field="operator")
            return self.client.created_by
        members = Membership.objects.for_hub(self.hub).filter(
            user_id=user_id, is_active=True, role__in=roles_with("placements.log_activity")
        )
        if self.client.organization_id:
            members = members.filter(organization_id=self.client.organization_id)
        member = members.select_related("user").first()
        if member is None:
            raise Unprocessable(_("This operator may not log activities here."), field="operator")
        return member.user

    @extend_schema(
        request=ActivityCreateSerializer, responses={201: ActivitySerializer}, summary="Log an activity"
    )
    def create(self, request, *args, **kwargs):
        paths = selectors.paths_for(hub=self.hub, membership=self.client)
        data = ActivityCreateSerializer(data=request.data, paths=paths)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        operator = self._operator(values.get("operator"))
        try:
            activity = services.activity_log(
                path=values["path"],
                by=operator,
                operator=operator,
                kind=values["kind"],
                date=values["date"],
                hours=values["hours"],
                note=values["note"],
            )
        except ValidationError as error:
            field = next(iter(error.error_dict), None) if hasattr(error, "error_dict") else None
            raise Unprocessable(" ".join(error.messages), field=field) from error
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


resource("paths", PathResource, basename="placements-paths")
resource("activities", ActivityResource, basename="placements-activities")
