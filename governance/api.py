"""
The indicators in the REST API (hubs/restapi): aggregates only, every indicator against its
target, as the Cabina di Regia's dashboard shows them. A token whose role reads aggregates only
(steering, regional) gets small counts of people masked as on the dashboard ("< 5", "*").
"""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from hubs.restapi.base import HubViewSet
from hubs.restapi.registry import resource

from . import services
from .models import Target


@extend_schema_field(
    {
        "oneOf": [
            {"type": "number"},
            {"type": "string", "description": '"< 5" or "*": a small count withheld'},
            {"type": "object", "additionalProperties": {"oneOf": [{"type": "number"}, {"type": "string"}]}},
        ],
        "nullable": True,
    }
)
class MaskedValueField(serializers.JSONField):
    pass


class IndicatorSerializer(serializers.Serializer):
    key = serializers.CharField()
    part = serializers.CharField(allow_blank=True)
    action = serializers.IntegerField()
    title = serializers.CharField()
    unit = serializers.CharField()
    target = serializers.FloatField(allow_null=True)
    expected = serializers.FloatField(allow_null=True)
    value = MaskedValueField(help_text="The number set against the target, maybe masked.")
    breakdown = MaskedValueField(help_text="The value by category, when it has one, maybe masked.")
    status = serializers.CharField(allow_null=True)


class IndicatorResource(HubViewSet):
    """The hub's indicators since the start of the project timeline, to today."""

    capability = "governance.view_dashboard"
    serializer_class = IndicatorSerializer
    pagination_class = None
    queryset = Target.objects.none()  # rows are computed (list below); the schema reads the model here

    @extend_schema(responses={200: IndicatorSerializer(many=True)}, summary="Indicators against targets")
    def list(self, request, *args, **kwargs):
        masked = not self.client.can("governance.view_small_counts")
        rows = []
        for row in services.indicator_rows(hub=self.hub):
            if masked:
                value, breakdown = services.mask_row(row)
            else:
                value = row.get("compared")
                breakdown = row["value"] if isinstance(row.get("value"), dict) else None
            rows.append(
                {
                    "key": row["key"],
                    "part": row.get("part") or "",
                    "action": row["action"],
                    "title": row["title"],
                    "unit": row.get("unit") or "count",
                    "target": row.get("target"),
                    "expected": row.get("expected"),
                    "value": value,
                    "breakdown": breakdown,
                    "status": row.get("status"),
                }
            )
        return Response(IndicatorSerializer(rows, many=True).data)


resource("indicators", IndicatorResource, basename="governance-indicators")
