"""
The dashboards (a hub's and the network's) and the CSV/XLSX export.
"""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from .. import exports, services
from ..forms import ExportForm
from ..models import Report
from .base import GovernanceMixin
from .rows import present


class DashboardView(GovernanceMixin, TemplateView):
    """Every indicator of the hub against its target, with its trend over the monthly snapshots."""

    template_name = "governance/dashboard.html"
    page_title = gettext_lazy("Indicators and targets")
    gov_tab = "dashboard"
    network = False

    def get_rows(self, *, masked: bool):
        hub = None if self.network else self.hub
        return services.indicator_rows(hub=hub), services.trends(hub=hub, months=12, masked=masked)

    def get_context_data(self, **kwargs):
        masked = self.masked or self.network
        rows, series = self.get_rows(masked=masked)
        groups, charts = present(
            rows,
            masked=masked,
            hub=self.hub,
            series=series,
            links=not self.network and self.membership.can("governance.drill_down"),
        )
        counts = services.status_counts(rows)
        plan = services.plan_get(hub=None if self.network else self.hub)
        return super().get_context_data(
            groups=groups,
            charts=charts,
            counts=counts,
            plan=plan,
            today=timezone.localdate(),
            has_targets=any(row["target"] is not None for row in rows),
            network=self.network,
            export_scope="network" if self.network else "hub",
            **kwargs,
        )


class NetworkView(DashboardView):
    """The same table for the whole network: aggregates only, always masked, no drill-down."""

    permission = "governance.view_network"
    template_name = "governance/network.html"
    page_title = gettext_lazy("The network's indicators")
    gov_tab = "network"
    network = True

    def get_context_data(self, **kwargs):
        reports = Report.objects.network().select_related("snapshot")[:12]
        return super().get_context_data(reports=reports, **kwargs)


class ExportView(GovernanceMixin, FormView):
    """The indicator table as CSV or XLSX: masked for steering and regional, and for the network."""

    template_name = "governance/export_form.html"
    form_class = ExportForm
    page_title = gettext_lazy("Export the indicators")
    gov_tab = "dashboard"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"network": self.membership.can("governance.view_network")}

    def get_initial(self):
        return {"scope": ExportForm.HUB, "format": ExportForm.XLSX}

    def get(self, request, *args, **kwargs):
        if not {"scope", "format"} & set(request.GET):
            return super().get(request, *args, **kwargs)
        if request.GET.get("scope") == ExportForm.NETWORK and not self.membership.can(
            "governance.view_network"
        ):
            raise PermissionDenied
        form = self.get_form_class()(request.GET, **self.get_form_kwargs())
        if not form.is_valid():
            return self.form_invalid(form)
        network = form.cleaned_data["scope"] == ExportForm.NETWORK
        rows = services.indicator_rows(hub=None if network else self.hub)
        return exports.indicators_response(
            rows,
            masked=network or self.masked,
            format=form.cleaned_data["format"],
            scope="rete" if network else self.hub.slug,
            as_of=timezone.localdate(),
        )
