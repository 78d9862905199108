"""
The job club in the REST API (hubs/restapi): paths, their sessions and the registers'
attendance lines. A school's token (role school, with its school) reads only its school's paths
and what hangs from them, through the same grants as its referents (`selectors.paths_for`); the
hub staff's tokens read every path of the hub. Students' names are in the attendance lines, as
in the back office's registers ("jobclub.view_paths").

A register line is updated (PATCH, "jobclub.take_register", the hub staff as in the back office)
through the register's own service: the other lines stay as they are, and once the school has
validated the register a change needs a reason and is logged in the token creator's name.
"""

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.response import Response

from hubs.restapi.base import HubViewSet
from hubs.restapi.errors import Unprocessable
from hubs.restapi.registry import resource

from . import selectors, services
from .models import Attendance, Path, Session, Student


class JobClubPathSerializer(serializers.ModelSerializer):
    class Meta:
        model = Path
        fields = [
            "id",
            "school",
            "kind",
            "title",
            "classes",
            "planned_minutes",
            "threshold_percent",
            "status",
            "closed_on",
            "created_at",
        ]


class PathResource(mixins.ListModelMixin, mixins.RetrieveModelMixin, HubViewSet):
    """Job club paths the token may open (a school's: its own)."""

    capability = "jobclub.view_paths"
    serializer_class = JobClubPathSerializer
    queryset = Path.objects.none()  # the model, for the schema; rows come from get_queryset
    filterset_fields = ["status", "kind", "school"]
    ordering = ("-pk",)

    def get_queryset(self):
        return selectors.paths_for(hub=self.hub, membership=self.client)


class JobClubSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = [
            "id",
            "path",
            "starts_at",
            "ends_at",
            "duration_minutes",
            "topic",
            "sector",
            "young_worker",
            "register_status",
            "signed_at",
            "validated_at",
        ]


class SessionFilter(django_filters.FilterSet):
    starts_after = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = Session
        fields = ["path", "register_status"]


class SessionResource(mixins.ListModelMixin, mixins.RetrieveModelMixin, HubViewSet):
    """Sessions of the paths the token may open, with their register's state."""

    capability = "jobclub.view_paths"
    serializer_class = JobClubSessionSerializer
    queryset = Session.objects.none()
    filterset_class = SessionFilter
    ordering = ("starts_at", "pk")

    def get_queryset(self):
        return Session.objects.for_hub(self.hub).filter(
            path__in=selectors.paths_for(hub=self.hub, membership=self.client)
        )


class JobClubStudentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Student
        fields = ["id", "first_name", "last_name", "class_name"]


class JobClubAttendanceSerializer(serializers.ModelSerializer):
    student = JobClubStudentSerializer(read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "session", "student", "status", "minutes", "minutes_missed"]


class AttendanceUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Attendance.Status.choices)
    minutes_missed = serializers.IntegerField(
        min_value=0, max_value=1440, required=False, default=0, help_text="Late or left early only."
    )
    reason = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", help_text="Needed once validated."
    )


class AttendanceFilter(django_filters.FilterSet):
    path = django_filters.NumberFilter(field_name="session__path")

    class Meta:
        model = Attendance
        fields = ["session", "status"]


class AttendanceResource(mixins.ListModelMixin, mixins.RetrieveModelMixin, HubViewSet):
    """Register lines (a student's attendance at a session) of the paths the token may open."""

    capability = "jobclub.view_paths"
    capabilities = {"partial_update": "jobclub.take_register"}
    serializer_class = JobClubAttendanceSerializer
    queryset = Attendance.objects.none()
    filterset_class = AttendanceFilter
    ordering = ("pk",)

    def get_queryset(self):
        return (
            Attendance.objects.for_hub(self.hub)
            # the paths within reach, or for a partner's trainer the sessions assigned to them
            .filter(session__in=selectors.sessions_for(hub=self.hub, membership=self.client).values("pk"))
            .select_related("student")
        )

    @extend_schema(
        request=AttendanceUpdateSerializer,
        responses={200: JobClubAttendanceSerializer},
        summary="Correct a student's line of a register",
    )
    def partial_update(self, request, *args, **kwargs):
        line = self.get_object()
        data = AttendanceUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if self.client.created_by is None:
            raise Unprocessable(_("This token has no coordinator to act in the name of: make a new one."))
        lines = {
            other.student_id: (other.status, other.minutes_missed)
            for other in Attendance.objects.filter(session_id=line.session_id)
        }
        lines[line.student_id] = (values["status"], values["minutes_missed"])
        try:
            services.register_save(
                session=line.session, by=self.client.created_by, lines=lines, reason=values["reason"]
            )
        except ValidationError as error:
            field = next(iter(error.error_dict), None) if hasattr(error, "error_dict") else None
            raise Unprocessable(" ".join(error.messages), field=field) from error
        return Response(JobClubAttendanceSerializer(self.get_queryset().get(pk=line.pk)).data)


resource("jobclub-paths", PathResource, basename="jobclub-paths")
resource("jobclub-sessions", SessionResource, basename="jobclub-sessions")
resource("jobclub-attendances", AttendanceResource, basename="jobclub-attendances")
