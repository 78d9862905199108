"""
Youth pacts in the REST API (hubs/restapi): pacts, their actions and their expenses. A partner
organization's token (role partner, with its organization) reads only the pacts naming it,
through the same grants as its operators (`selectors.pacts_for`); the hub staff's tokens read
every pact of the hub. The group's members (young people, often minors) are not in the API: a
pact shows its group's name only; expenses show no receipt file.
"""

import django_filters
from rest_framework import mixins, serializers

from hubs.restapi.base import HubViewSet
from hubs.restapi.registry import resource

from . import selectors
from .models import Expense, Pact, PactAction


class PactSerializer(serializers.ModelSerializer):
    partners = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Pact
        fields = [
            "id",
            "sub_area",
            "cycle",
            "state",
            "title",
            "group_name",
            "idea",
            "objectives",
            "starts_on",
            "ends_on",
            "partners",
            "submitted_on",
            "decided_on",
            "signed_on",
            "version",
            "created_at",
        ]


class PactResource(mixins.ListModelMixin, mixins.RetrieveModelMixin, HubViewSet):
    """Youth pacts the token may open (a partner's: those naming its organization)."""

    capability = "pacts.view_pact"
    serializer_class = PactSerializer
    queryset = Pact.objects.none()  # the model, for the schema; rows come from get_queryset
    filterset_fields = ["state", "cycle", "sub_area"]
    ordering = ("-pk",)

    def get_queryset(self):
        return selectors.pacts_for(hub=self.hub, membership=self.client).prefetch_related("partners")


class PactActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PactAction
        fields = ["id", "pact", "title", "owner", "due_on", "status", "progress", "weight"]


class PactActionFilter(django_filters.FilterSet):
    class Meta:
        model = PactAction
        fields = ["pact", "status"]


class PactActionResource(mixins.ListModelMixin, mixins.RetrieveModelMixin, HubViewSet):
    """Actions (and milestones) of the pacts the token may open, with their progress."""

    capability = "pacts.view_pact"
    serializer_class = PactActionSerializer
    queryset = PactAction.objects.none()
    filterset_class = PactActionFilter
    ordering = ("pk",)

    def get_queryset(self):
        return PactAction.objects.for_hub(self.hub).filter(
            pact__in=selectors.pacts_for(hub=self.hub, membership=self.client)
        )


class PactExpenseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Expense
        fields = ["id", "pact", "line", "date", "description", "supplier", "amount", "status", "created_at"]


class ExpenseFilter(django_filters.FilterSet):
    class Meta:
        model = Expense
        fields = ["pact", "status"]


class ExpenseResource(mixins.ListModelMixin, mixins.RetrieveModelMixin, HubViewSet):
    """Expenses of the pacts the token may open, with their approval state."""

    capability = "pacts.view_pact"
    serializer_class = PactExpenseSerializer
    queryset = Expense.objects.none()
    filterset_class = ExpenseFilter
    ordering = ("pk",)

    def get_queryset(self):
        return Expense.objects.for_hub(self.hub).filter(
            pact__in=selectors.pacts_for(hub=self.hub, membership=self.client)
        )


resource("pacts", PactResource, basename="pacts-pacts")
resource("pact-actions", PactActionResource, basename="pacts-actions")
resource("pact-expenses", ExpenseResource, basename="pacts-expenses")
