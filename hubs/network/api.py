"""
Referrals between the network's hubs in the REST API (hubs/restapi), capability "hubs.refer" as
in the back office: the hub's own referrals (sent) and those it received and may see (consented,
within the consent's term: `selectors.referrals_received`). No personal data: the young person,
the purpose and the outcome stay in the back office, where each view is logged.

The receiving hub moves a referral on: accepted or declined (with a reason from the list), then
completed (with its outcome), through the same services as its staff, which emit
`referral.status_changed` to both hubs' webhooks.
"""

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from hubs.restapi.base import HubViewSet
from hubs.restapi.errors import Unprocessable
from hubs.restapi.registry import resource

from . import selectors, services
from .models import Referral


class ReferralSerializer(serializers.ModelSerializer):
    from_hub = serializers.SlugRelatedField(source="hub", slug_field="slug", read_only=True)
    to_hub = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    direction = serializers.SerializerMethodField(help_text="sent: by this hub; received: by another hub.")

    class Meta:
        model = Referral
        fields = [
            "id",
            "from_hub",
            "to_hub",
            "direction",
            "service",
            "status",
            "items",
            "expires_on",
            "created_at",
            "consented_at",
            "decided_at",
            "decline_reason",
            "completed_at",
        ]

    def get_direction(self, referral) -> str:
        return "sent" if referral.hub_id == self.context["hub"].pk else "received"


class ReferralStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[Referral.Status.ACCEPTED, Referral.Status.DECLINED, Referral.Status.COMPLETED]
    )
    reason = serializers.ChoiceField(
        choices=Referral.DeclineReason.choices,
        required=False,
        help_text="Why it is declined (declined only).",
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    outcome = serializers.CharField(
        max_length=300, required=False, help_text="What came of it (completed only)."
    )

    def validate(self, attrs):
        if attrs["status"] == Referral.Status.DECLINED and not attrs.get("reason"):
            raise serializers.ValidationError({"reason": _("Choose a reason from the list.")})
        if attrs["status"] == Referral.Status.COMPLETED and not attrs.get("outcome"):
            raise serializers.ValidationError({"outcome": _("Say what came of it.")})
        return attrs


class ReferralFilter(django_filters.FilterSet):
    direction = django_filters.ChoiceFilter(
        choices=[("sent", "sent"), ("received", "received")], method="by_direction"
    )

    class Meta:
        model = Referral
        fields = ["status"]

    def by_direction(self, queryset, name, value):
        hub = self.request.auth.hub
        return queryset.filter(hub=hub) if value == "sent" else queryset.exclude(hub=hub)


class ReferralResource(mixins.ListModelMixin, mixins.RetrieveModelMixin, HubViewSet):
    """Referrals the hub sent, and those it received that the young person consented to."""

    capability = "hubs.refer"
    serializer_class = ReferralSerializer
    queryset = Referral.objects.none()  # the model, for the schema; rows come from get_queryset
    filterset_class = ReferralFilter
    ordering = ("-pk",)

    def get_queryset(self):
        received = selectors.referrals_received(hub=self.hub).values("pk")
        return Referral.objects.filter(Q(hub=self.hub) | Q(pk__in=received)).select_related("hub", "to_hub")

    def get_serializer_context(self):
        return super().get_serializer_context() | {"hub": self.hub}

    @extend_schema(
        request=ReferralStatusSerializer,
        responses={200: ReferralSerializer},
        summary="Accept, decline or complete a referral received",
    )
    @action(detail=True, methods=["post"])
    def status(self, request, *args, **kwargs):
        referral = self.get_object()
        data = ReferralStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if referral.hub_id == self.hub.pk:
            raise Unprocessable(_("Only the receiving hub moves a referral on."), field="status")
        by = self.client.created_by
        try:
            if values["status"] == Referral.Status.COMPLETED:
                services.referral_complete(referral=referral, outcome=values["outcome"], by=by)
            else:
                services.referral_decide(
                    referral=referral,
                    accept=values["status"] == Referral.Status.ACCEPTED,
                    reason=values.get("reason", ""),
                    note=values["note"],
                    by=by,
                )
        except ValidationError as error:
            raise Unprocessable(" ".join(error.messages), field="status") from error
        return Response(self.get_serializer(self.get_queryset().get(pk=referral.pk)).data)


resource("referrals", ReferralResource, basename="network-referrals")
