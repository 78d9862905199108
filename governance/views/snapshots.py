"""
Snapshots: the list, taking one, and its frozen rows.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView, TemplateView

from .. import selectors, services
from ..models import Meeting, Report, Snapshot
from .base import GovernanceMixin, ObjectFirstMixin
from .rows import present


class SnapshotListView(GovernanceMixin, ListView):
    template_name = "governance/snapshot_list.html"
    context_object_name = "snapshots"
    paginate_by = 25
    page_title = gettext_lazy("Snapshots of the indicators")
    gov_tab = "snapshots"

    def get_queryset(self):
        return selectors.snapshots_listed(self.hub)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for snapshot in context["snapshots"]:
            snapshot.counts = services.status_counts(snapshot.rows)
        return context


class SnapshotCreateView(GovernanceMixin, TemplateView):
    """GET says what a snapshot is; POST freezes the indicators as of today."""

    permission = "governance.take_snapshot"
    template_name = "governance/snapshot_create.html"
    page_title = gettext_lazy("Take a snapshot")
    gov_tab = "snapshots"
    cancel_url_name = "governance:snapshot_list"

    def post(self, request, *args, **kwargs):
        snapshot = services.snapshot_take(hub=self.hub, by=request.user)
        messages.success(
            request,
            _("Snapshot taken: every indicator as of %(day)s.")
            % {"day": formats.date_format(snapshot.as_of, "SHORT_DATE_FORMAT")},
        )
        return redirect("governance:snapshot_detail", hub_slug=self.hub.slug, pk=snapshot.pk)


class SnapshotDetailView(GovernanceMixin, ObjectFirstMixin, DetailView):
    """The frozen rows of a snapshot, as the committee saw them on its day."""

    template_name = "governance/snapshot_detail.html"
    context_object_name = "snapshot"
    gov_tab = "snapshots"
    cancel_url_name = "governance:snapshot_list"

    def get_queryset(self):
        return Snapshot.objects.for_hub(self.hub).select_related("created_by")

    def get_context_data(self, **kwargs):
        rows = self.object.rows
        groups, _charts = present(rows, masked=self.masked)
        meetings = Meeting.objects.for_hub(self.hub).filter(snapshot=self.object)
        report = Report.objects.for_hub(self.hub).filter(snapshot=self.object).first()
        return super().get_context_data(
            groups=groups, counts=services.status_counts(rows), meetings=meetings, report=report, **kwargs
        )
