"""
The online desk in the REST API (hubs/restapi): its services, slots and bookings, for the hub
staff's systems (capability "desk.manage", as the desk's back office). A booking made through
the API is made by the hub on the young person's behalf: confirmed at once, e-mailed like one
booked at the counter.
"""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from hubs.restapi.base import HubViewSet
from hubs.restapi.errors import Unprocessable
from hubs.restapi.registry import resource
from people.models import Person

from . import services
from .models import Booking, Service, Slot
from .services import BookingError


class ServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = ["id", "name", "description", "duration_minutes", "is_active"]


class ServiceResource(mixins.ListModelMixin, mixins.RetrieveModelMixin, HubViewSet):
    """What the desk offers (orientation talk, CV check…)."""

    capability = "desk.manage"
    serializer_class = ServiceSerializer
    queryset = Service.objects.none()  # the model, for the schema; rows come from get_queryset
    ordering = ("position", "pk")

    def get_queryset(self):
        return Service.objects.for_hub(self.hub)


class SlotSerializer(serializers.ModelSerializer):
    booked = serializers.IntegerField(read_only=True, help_text="Places taken (bookings that hold one).")

    class Meta:
        model = Slot
        fields = [
            "id",
            "service",
            "channel",
            "antenna",
            "starts_at",
            "ends_at",
            "capacity",
            "booked",
            "is_cancelled",
        ]


class SlotFilter(django_filters.FilterSet):
    starts_after = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = Slot
        fields = ["service", "channel", "antenna", "is_cancelled"]


class SlotResource(mixins.ListModelMixin, mixins.RetrieveModelMixin, HubViewSet):
    """Bookable sessions, with the places taken."""

    capability = "desk.manage"
    serializer_class = SlotSerializer
    queryset = Slot.objects.none()
    filterset_class = SlotFilter
    ordering = ("starts_at", "pk")

    def get_queryset(self):
        return Slot.objects.for_hub(self.hub).with_booked()


class PersonSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "first_name", "last_name"]


class BookingSerializer(serializers.ModelSerializer):
    person = PersonSummarySerializer(read_only=True)

    class Meta:
        model = Booking
        fields = [
            "id",
            "slot",
            "service",
            "channel",
            "antenna",
            "person",
            "status",
            "source",
            "reason",
            "created_at",
            "confirmed_at",
            "cancelled_at",
            "marked_at",
        ]


class BookingCreateSerializer(serializers.Serializer):
    slot = serializers.PrimaryKeyRelatedField(queryset=Slot.objects.none())
    person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.none(), help_text="A young person the hub already deals with."
    )
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")

    def __init__(self, *args, hub=None, **kwargs):
        super().__init__(*args, **kwargs)
        if hub is not None:
            self.fields["slot"].queryset = Slot.objects.for_hub(hub)
            self.fields["person"].queryset = Person.objects.for_hub(hub)


class BookingMarkSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[Booking.Status.ATTENDED, Booking.Status.NO_SHOW])


class BookingFilter(django_filters.FilterSet):
    class Meta:
        model = Booking
        fields = ["status", "slot", "service", "channel", "person"]


def _refused(error: BookingError):
    raise Unprocessable(" ".join(error.messages), code=error.code or "refused")


class BookingResource(mixins.ListModelMixin, mixins.RetrieveModelMixin, HubViewSet):
    """Bookings of the desk, with the young person's name (personal data: staff only)."""

    capability = "desk.manage"
    serializer_class = BookingSerializer
    queryset = Booking.objects.none()
    filterset_class = BookingFilter
    ordering = ("-created_at", "-pk")

    def get_queryset(self):
        return Booking.objects.for_hub(self.hub).select_related("person")

    @extend_schema(
        request=BookingCreateSerializer, responses={201: BookingSerializer}, summary="Book a place"
    )
    def create(self, request, *args, **kwargs):
        data = BookingCreateSerializer(data=request.data, hub=self.hub)
        data.is_valid(raise_exception=True)
        try:
            booking = services.booking_create(
                slot=data.validated_data["slot"],
                person=data.validated_data["person"],
                reason=data.validated_data["reason"],
                source=Booking.Source.STAFF,
                verified=True,
            )
        except BookingError as error:
            _refused(error)
        booking = self.get_queryset().get(pk=booking.pk)
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=BookingMarkSerializer, responses={200: BookingSerializer}, summary="Mark attended or no-show"
    )
    @action(detail=True, methods=["post"])
    def mark(self, request, *args, **kwargs):
        booking = self.get_object()
        data = BookingMarkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.booking_mark(booking=booking, status=data.validated_data["status"], by=None)
        except BookingError as error:
            _refused(error)
        return Response(BookingSerializer(self.get_queryset().get(pk=booking.pk)).data)

    @extend_schema(request=None, responses={200: BookingSerializer}, summary="Cancel on the hub's side")
    @action(detail=True, methods=["post"])
    def cancel(self, request, *args, **kwargs):
        booking = self.get_object()
        if self.client.created_by is None:
            raise Unprocessable(_("This token has no coordinator to cancel in the name of: make a new one."))
        try:
            services.booking_cancel(booking=booking, by_hub=self.client.created_by)
        except BookingError as error:
            _refused(error)
        return Response(BookingSerializer(self.get_queryset().get(pk=booking.pk)).data)


resource("services", ServiceResource, basename="desk-services")
resource("slots", SlotResource, basename="desk-slots")
resource("bookings", BookingResource, basename="desk-bookings")
