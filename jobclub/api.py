"""
The job club in the REST API (hubs/restapi): paths, their sessions and the registers'
attendance lines. A school's token (role school, with its school) reads only its school's paths
and what hangs from them, through the same grants as its referents (`selectors.paths_for`); the
hub staff's tokens read every path of the hub. Students' names are in the attendance lines, as
in the back office's registers ("jobclub.view_paths").
"""

import django_filters
from rest_framework import mixins, serializers

from hubs.restapi.base import HubViewSet
from hubs.restapi.registry import resource

from . import selectors
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


class AttendanceFilter(django_filters.FilterSet):
    path = django_filters.NumberFilter(field_name="session__path")

    class Meta:
        model = Attendance
        fields = ["session", "status"]


class AttendanceResource(mixins.ListModelMixin, mixins.RetrieveModelMixin, HubViewSet):
    """Register lines (a student's attendance at a session) of the paths the token may open."""

    capability = "jobclub.view_paths"
    serializer_class = JobClubAttendanceSerializer
    queryset = Attendance.objects.none()
    filterset_class = AttendanceFilter
    ordering = ("pk",)

    def get_queryset(self):
        return (
            Attendance.objects.for_hub(self.hub)
            .filter(session__path__in=selectors.paths_for(hub=self.hub, membership=self.client))
            .select_related("student")
        )


resource("jobclub-paths", PathResource, basename="jobclub-paths")
resource("jobclub-sessions", SessionResource, basename="jobclub-sessions")
resource("jobclub-attendances", AttendanceResource, basename="jobclub-attendances")
