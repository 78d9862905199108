"""
Monitoring reports: list, request (rate-limited), status, download and retry.
"""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils import formats
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from hubs.ratelimit import RateLimitMixin

from .. import selectors, services
from ..models import Report
from .base import GovernanceMixin, ObjectFirstMixin


class ReportMixin(GovernanceMixin):
    gov_tab = "reports"
    cancel_url_name = "governance:report_list"

    def get_queryset(self):
        """The hub's reports, and the network's for those who may see the network."""
        return selectors.reports_visible(self.hub, network=self.membership.can("governance.view_network"))


class ReportListView(ReportMixin, ListView):
    template_name = "governance/report_list.html"
    context_object_name = "reports"
    paginate_by = 25
    page_title = gettext_lazy("Monitoring reports")

    def get_queryset(self):
        return Report.objects.for_hub(self.hub).select_related("snapshot", "requested_by")


class ReportRequestView(ReportMixin, RateLimitMixin, TemplateView):
    """
    GET says what the report holds; POST queues it and goes to the list, where it shows up.
    A few requests per member (YIP_RATE_LIMITS), one report in the making per hub.
    """

    template_name = "governance/report_request.html"
    page_title = gettext_lazy("Ask for a monitoring report")
    ratelimit_group = "governance_report_request"

    def post(self, request, *args, **kwargs):
        try:
            report = services.report_request(hub=self.hub, by=request.user)
        except services.ReportError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("governance:report_list", hub_slug=self.hub.slug)
        messages.success(
            request,
            _(
                "Report requested: it is being generated from a snapshot as of %(day)s. This page "
                "shows when it is ready."
            )
            % {"day": formats.date_format(report.snapshot.as_of, "SHORT_DATE_FORMAT")},
        )
        return redirect("governance:report_list", hub_slug=self.hub.slug)


class ReportStatusView(ReportMixin, ObjectFirstMixin, DetailView):
    """
    A report's status. htmx asks for the bare partial (it polls itself while the report is
    queued or being generated); a plain GET gets it inside a page.
    """

    context_object_name = "report"

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["governance/_report_status.html"]
        return ["governance/report_status.html"]

    def get_page_title(self):
        return str(self.object)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        response["Cache-Control"] = "no-store"
        response["Vary"] = "HX-Request"
        return response


@method_decorator(never_cache, name="dispatch")
class ReportDownloadView(ReportMixin, ObjectFirstMixin, DetailView):
    """
    The stored PDF, the only way out of the storage for a report (MEDIA_URL is routed nowhere);
    404 until it is ready. An attachment that no browser or proxy keeps (Cache-Control: private,
    no-store) or reads as anything but a PDF (nosniff).
    """

    def get(self, request, *args, **kwargs):
        report = self.object
        if report.status != Report.Status.READY or not report.file:
            raise Http404
        scope = report.hub.slug if report.hub_id else "rete"
        try:
            handle = report.file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(
            handle,
            as_attachment=True,
            content_type="application/pdf",
            filename=f"monitoraggio-{scope}-{report.snapshot.as_of:%Y-%m-%d}.pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def get_queryset(self):
        return super().get_queryset().select_related("hub")


class ReportRetryView(ReportMixin, ObjectFirstMixin, DetailView):
    """GET asks to confirm; POST puts a failed report back in the queue."""

    permission = "governance.retry_report"
    template_name = "governance/report_retry.html"
    context_object_name = "report"

    def get_page_title(self):
        return _("Generate the report again")

    def post(self, request, *args, **kwargs):
        if services.report_retry(report=self.object):
            messages.success(request, _("The report is queued again."))
        else:
            messages.info(request, _("Only a failed report can be generated again."))
        return redirect("governance:report_list", hub_slug=self.hub.slug)
