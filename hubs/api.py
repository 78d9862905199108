"""The hubs' own resources in the REST API (hubs/restapi): the hub itself and its antennas."""

from rest_framework import mixins, serializers

from .models import Antenna, Hub
from .restapi.base import HubViewSet
from .restapi.registry import resource


class HubSerializer(serializers.ModelSerializer):
    municipality = serializers.StringRelatedField()
    services = serializers.ListField(source="service_list", child=serializers.CharField(), read_only=True)

    class Meta:
        model = Hub
        fields = [
            "slug",
            "name",
            "is_lead",
            "municipality",
            "address",
            "opening_hours",
            "email",
            "phone",
            "website",
            "services",
        ]


class HubResource(mixins.ListModelMixin, mixins.RetrieveModelMixin, HubViewSet):
    """The token's hub: the list holds it alone, and any other hub is a 404."""

    capability = "hubs.view_dashboard"
    serializer_class = HubSerializer
    queryset = Hub.objects.none()  # the model, for the schema; rows come from get_queryset
    lookup_field = "slug"
    lookup_url_kwarg = "hub"

    def get_queryset(self):
        return Hub.objects.filter(pk=self.hub.pk, is_active=True).select_related("municipality")


class AntennaSerializer(serializers.ModelSerializer):
    municipality = serializers.StringRelatedField()

    class Meta:
        model = Antenna
        fields = [
            "id",
            "name",
            "kind",
            "sub_area",
            "municipality",
            "address",
            "opening_hours",
            "email",
            "phone",
            "is_active",
        ]


class AntennaResource(mixins.ListModelMixin, mixins.RetrieveModelMixin, HubViewSet):
    """Antennas, local points and centres of the hub."""

    capability = "hubs.view_territory"
    serializer_class = AntennaSerializer
    queryset = Antenna.objects.none()

    def get_queryset(self):
        return Antenna.objects.for_hub(self.hub).select_related("municipality")


resource("hubs", HubResource, basename="hubs", in_hub=False)
resource("antennas", AntennaResource, basename="antennas")

# The network's referrals (hubs/network/api.py): hubs.network is a package of this app, not an
# app of its own, so autodiscovery finds its resources through this module.
from .network import api as _network_api  # noqa: E402, F401
