"""
The job fair in the REST API (hubs/restapi): fairs and their exhibitors (capability
"jobfair.view", as the fair's figures in the back office: no personal data, no exhibitor's
contact), registrations ("jobfair.manage": the young people's names, staff only, as the back
office's list) and check-ins ("jobfair.check_in", as the door's scanner).

Writes, for a partner's or a school's system acting through the hub's staff token: a
registration of a young person the hub already deals with (the same service as the public form:
places, the minors' rule, the ticket e-mailed), and a check-in as a scanning device sends it
(its `nonce` makes a re-upload return the first answer, as the door's offline scanners do).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from hubs.restapi.base import HubViewSet
from hubs.restapi.errors import Unprocessable
from hubs.restapi.registry import resource
from people.models import Person

from . import services
from .models import CheckIn, Exhibitor, Fair, Registration, Workshop


def _refused(error: ValidationError):
    field = next(iter(error.error_dict), None) if hasattr(error, "error_dict") else None
    raise Unprocessable(" ".join(error.messages), field=field)


@extend_schema_field({"type": "string", "pattern": r"^\d{2}:\d{2}$", "example": "09:00"})
class LocalTimeField(serializers.TimeField):
    """A time of day at the fair (Europe/Rome), "HH:MM": no offset, so not an RFC 3339 time."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", read_only=True, **kwargs)


class FairSerializer(serializers.ModelSerializer):
    opens_at = LocalTimeField()
    closes_at = LocalTimeField()

    class Meta:
        model = Fair
        fields = [
            "id",
            "title",
            "venue",
            "address",
            "date",
            "opens_at",
            "closes_at",
            "visitors_from",
            "visitors_until",
            "exhibitors_from",
            "exhibitors_until",
            "capacity",
            "status",
            "published_at",
        ]


class FairResource(mixins.ListModelMixin, mixins.RetrieveModelMixin, HubViewSet):
    """The hub's job fairs."""

    capability = "jobfair.view"
    serializer_class = FairSerializer
    queryset = Fair.objects.none()  # the model, for the schema; rows come from get_queryset
    filterset_fields = ["status"]
    ordering = ("-date", "-pk")

    def get_queryset(self):
        return Fair.objects.for_hub(self.hub)


class ExhibitorSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True, allow_null=True)
    stand_code = serializers.CharField(source="stand.code", read_only=True, allow_null=True)

    class Meta:
        model = Exhibitor
        fields = [
            "id",
            "fair",
            "organization",
            "organization_name",
            "area",
            "area_name",
            "status",
            "stand",
            "stand_code",
            "description",
            "keywords",
            "created_at",
        ]


class ExhibitorResource(mixins.ListModelMixin, mixins.RetrieveModelMixin, HubViewSet):
    """Exhibitors of the hub's fairs, with their stand (no contact person: that is staff's)."""

    capability = "jobfair.view"
    serializer_class = ExhibitorSerializer
    queryset = Exhibitor.objects.none()
    filterset_fields = ["fair", "status", "area"]
    ordering = ("pk",)

    def get_queryset(self):
        return Exhibitor.objects.for_hub(self.hub).select_related("organization", "area", "stand")


class RegistrationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="The young person's name (personal data).")

    class Meta:
        model = Registration
        fields = [
            "id",
            "fair",
            "person",
            "name",
            "age_on_fair_day",
            "source",
            "status",
            "checked_in_at",
            "created_at",
        ]


class RegistrationCreateSerializer(serializers.Serializer):
    fair = serializers.PrimaryKeyRelatedField(queryset=Fair.objects.none())
    person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.none(), help_text="A young person the hub already deals with."
    )
    notice_accepted = serializers.BooleanField(
        help_text="The young person has read and accepted the fair's privacy notice (must be true)."
    )

    def __init__(self, *args, hub=None, **kwargs):
        super().__init__(*args, **kwargs)
        if hub is not None:
            self.fields["fair"].queryset = Fair.objects.for_hub(hub)
            self.fields["person"].queryset = Person.objects.for_hub(hub).filter(erased_at__isnull=True)


class RegistrationResource(mixins.ListModelMixin, mixins.RetrieveModelMixin, HubViewSet):
    """Tickets of the hub's fairs, with the young person's name (personal data: staff only)."""

    capability = "jobfair.manage"
    serializer_class = RegistrationSerializer
    queryset = Registration.objects.none()
    filterset_fields = ["fair", "status", "source", "person"]
    ordering = ("-pk",)

    def get_queryset(self):
        return Registration.objects.for_hub(self.hub).select_related("person")

    @extend_schema(
        request=RegistrationCreateSerializer,
        responses={201: RegistrationSerializer},
        summary="Register a young person for a fair",
    )
    def create(self, request, *args, **kwargs):
        data = RegistrationCreateSerializer(data=request.data, hub=self.hub)
        data.is_valid(raise_exception=True)
        person = data.validated_data["person"]
        person_data = {"email": person.email, "birth_date": person.birth_date}
        try:
            with transaction.atomic():  # all or nothing, the refusal below included
                registration = services.registration_create(
                    fair=data.validated_data["fair"],
                    person_data=person_data,
                    notice_accepted=data.validated_data["notice_accepted"],
                )
                if registration.person_id != person.pk:  # another record has this e-mail and birth date
                    raise ValidationError(
                        _("This young person's record could not be told apart: register at the desk.")
                    )
        except ValidationError as error:
            _refused(error)
        registration = self.get_queryset().get(pk=registration.pk)
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)


class CheckInSerializer(serializers.ModelSerializer):
    class Meta:
        model = CheckIn
        fields = [
            "id",
            "fair",
            "registration",
            "workshop",
            "result",
            "device",
            "nonce",
            "scanned_at",
            "recorded_at",
        ]


class CheckInCreateSerializer(serializers.Serializer):
    fair = serializers.PrimaryKeyRelatedField(queryset=Fair.objects.none())
    registration = serializers.PrimaryKeyRelatedField(queryset=Registration.objects.none())
    workshop = serializers.PrimaryKeyRelatedField(
        queryset=Workshop.objects.none(), required=False, allow_null=True, help_text="Empty: the door."
    )
    device = serializers.CharField(max_length=60, help_text="The scanning device's name.")
    nonce = serializers.CharField(
        max_length=64,
        help_text="The scan's own id, made by the device: sent again, the first answer returns.",
    )
    scanned_at = serializers.DateTimeField(required=False, help_text="When it was scanned (default: now).")

    def __init__(self, *args, hub=None, **kwargs):
        super().__init__(*args, **kwargs)
        if hub is not None:
            self.fields["fair"].queryset = Fair.objects.for_hub(hub)
            self.fields["registration"].queryset = Registration.objects.for_hub(hub)
            self.fields["workshop"].queryset = Workshop.objects.for_hub(hub)

    def validate(self, attrs):
        fair = attrs["fair"]
        if attrs["registration"].fair_id != fair.pk:
            raise serializers.ValidationError({"registration": _("This ticket is not of this fair.")})
        workshop = attrs.get("workshop")
        if workshop is not None and workshop.fair_id != fair.pk:
            raise serializers.ValidationError({"workshop": _("This workshop is not of this fair.")})
        return attrs


class CheckInResource(mixins.ListModelMixin, mixins.RetrieveModelMixin, HubViewSet):
    """Scans at the door and at the workshops of the hub's fairs."""

    capability = "jobfair.check_in"
    serializer_class = CheckInSerializer
    queryset = CheckIn.objects.none()
    filterset_fields = ["fair", "registration", "workshop", "result"]
    ordering = ("-pk",)

    def get_queryset(self):
        return CheckIn.objects.for_hub(self.hub)

    @extend_schema(
        request=CheckInCreateSerializer,
        responses={201: CheckInSerializer, 200: CheckInSerializer},
        summary="Record a scan (a nonce sent again returns the first answer, 200)",
    )
    def create(self, request, *args, **kwargs):
        data = CheckInCreateSerializer(data=request.data, hub=self.hub)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        fair, nonce = values["fair"], values["nonce"].replace("\x00", "")
        earlier = CheckIn.objects.filter(nonce=nonce).first()
        if earlier is not None and earlier.fair_id != fair.pk:
            raise Unprocessable(_("This nonce was used for another scan: make a new one."), field="nonce")
        row = services.check_in(
            fair=fair,
            token=values["registration"].token,
            workshop=values.get("workshop"),
            device=values["device"],
            nonce=nonce,
            scanned_at=values.get("scanned_at"),
        )
        if row is None or row.hub_id != self.hub.pk:
            raise Unprocessable(_("This ticket is not of this fair."), field="registration")
        answer = status.HTTP_200_OK if earlier is not None else status.HTTP_201_CREATED
        return Response(CheckInSerializer(row).data, status=answer)


resource("fairs", FairResource, basename="jobfair-fairs")
resource("fair-exhibitors", ExhibitorResource, basename="jobfair-exhibitors")
resource("fair-registrations", RegistrationResource, basename="jobfair-registrations")
resource("fair-check-ins", CheckInResource, basename="jobfair-check-ins")
