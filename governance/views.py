"""
The Cabina di Regia's pages (action 7): the indicators against their targets (a hub's and the
network's), frozen snapshots, the monitoring reports (PDF, generated in the background),
meetings and their decisions, the targets and the project timeline, and the export.

Every view is `HubMixin` + a generic view: the hub comes from the URL, the capability the view
names is checked before anything runs, and objects are looked up through `for_hub(self.hub)`
(network reports through `network()`, for those who may see the network), so another hub's id
is a 404.

Steering and regional members see aggregates only: counts of people from 1 to 4 are written
"< 5", and a breakdown hides one more entry ("*") when its total would give a "< 5" away
(`services.mask_row`); no number links to the staff's lists. The network's numbers are always
masked.
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import CreateView, DetailView, FormView, ListView, TemplateView, UpdateView

from hubs.mixins import HubMixin
from hubs.navigation import ACTIONS, section_tabs
from hubs.ratelimit import RateLimitMixin

from . import exports, selectors, services
from .forms import DecisionForm, ExportForm, MeetingForm, PlanForm, TargetForm
from .models import Decision, Meeting, Report, Snapshot, Target
from .templatetags.governance import number

ACTION_TITLES = {action.number: action.title for action in ACTIONS}

# The governance pages' own tabs (key, title, URL name), each shown to whoever may open its page.
TABS = (
    ("dashboard", gettext_lazy("Indicators"), "governance:dashboard"),
    ("network", gettext_lazy("Network"), "governance:network"),
    ("reports", gettext_lazy("Reports"), "governance:report_list"),
    ("snapshots", gettext_lazy("Snapshots"), "governance:snapshot_list"),
    ("meetings", gettext_lazy("Meetings"), "governance:meeting_list"),
    ("targets", gettext_lazy("Targets"), "governance:target_list"),
)


class GovernanceMixin(HubMixin):
    """HubMixin for governance: the Cabina di Regia's dashboard by default, the tabs in the context."""

    permission = "governance.view_dashboard"
    cancel_url_name = "governance:dashboard"
    gov_tab = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["section_tabs"] = section_tabs(self.hub, self.membership, TABS, self.gov_tab)
        context["masked"] = self.masked
        return context

    @property
    def masked(self) -> bool:
        """Aggregates only: counts of 1 to 4 people read "< 5"."""
        return not self.membership.can("governance.view_small_counts")


class ObjectFirstMixin:
    """
    Looks the object up before the HTTP method is dispatched, so another hub's id is a 404
    whatever the method (a GET-only page answers a POST with 404 there, not 405).
    """

    def dispatch(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        if getattr(self, "_object", None) is None:
            self._object = super().get_object(queryset)
        return self._object


# --- Indicator rows, as the pages show them --------------------------------------------------------


def month_label(month: str) -> str:
    """ "2023-04" → "Apr 2023" in the current language."""
    year, number_of_month = (int(part) for part in month.split("-"))
    return formats.date_format(date(year, number_of_month, 1), "M Y")


def drill_down_url(row: dict, hub) -> str | None:
    if not row.get("link"):
        return None
    name, _sep, query = row["link"].partition("?")  # "app:list?status=completed": a filtered list
    try:
        url = reverse(name, kwargs={"hub_slug": hub.slug})
    except NoReverseMatch:  # the list's app is not there yet
        return None
    return f"{url}?{query}" if query else url


def present(
    rows: list[dict], *, masked: bool, hub=None, links: bool = False, series: dict | None = None
) -> tuple[list[dict], dict]:
    """
    The rows grouped by action, each with what the page writes: `main` (the number set against
    the target, masked when asked), `breakdown` (a masked mapping, for breakdowns), `url` (the
    staff's list it counts, when `links`) and `chart` (its trend, when `series` has one).
    `series` comes from `services.trends` with the same `masked`.
    Returns the groups and the charts' data for the page's JSON.
    """
    groups: dict[int, list] = {}
    charts = {}
    for index, row in enumerate(rows):
        item = dict(row)
        if masked:
            item["main"], item["breakdown"] = services.mask_row(row)
        else:
            item["main"] = row.get("compared")
            item["breakdown"] = row["value"] if isinstance(row.get("value"), dict) else None
        item["url"] = drill_down_url(row, hub) if links and hub is not None else None
        target, compared = row.get("target"), row.get("compared")
        if target and compared is not None and not isinstance(item["main"], str):
            # how far along, for the progress bar; never for a masked count (it would tell it)
            item["share"] = round(compared / target * 100)
            item["expected_share"] = round((row.get("expected") or 0) / target * 100)
        points = (series or {}).get(services.series_key(row)) or []
        # a masked count ("< 5", "*") has no place on a line: it is left out (a gap)
        drawn = [value if not isinstance(value, str) else None for _month, value in points]
        if any(value is not None for value in drawn):
            chart_id = f"trend-{index}"
            charts[chart_id] = {
                "labels": [month_label(month) for month, _value in points],
                "values": drawn,
                "unit": row.get("unit", "count"),
            }
            item["chart"] = {
                "id": chart_id,
                "span": f"{month_label(points[0][0])} – {month_label(points[-1][0])}",
                "text": "; ".join(
                    f"{month_label(month)}: {number(value, row.get('unit', 'count'))}"
                    for month, value in points
                ),
            }
        groups.setdefault(row["action"], []).append(item)
    return [
        {
            "number": action,
            "title": ACTION_TITLES.get(action, ""),
            "rows": items,
            "targeted": [item for item in items if item.get("target") is not None],
            "others": [item for item in items if item.get("target") is None],
        }
        for action, items in sorted(groups.items())
    ], charts


# --- Dashboards ------------------------------------------------------------------------------------


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


# --- Snapshots -------------------------------------------------------------------------------------


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


# --- Reports ---------------------------------------------------------------------------------------


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


# --- Targets and timeline --------------------------------------------------------------------------


class TargetListView(GovernanceMixin, ListView):
    template_name = "governance/target_list.html"
    context_object_name = "targets"
    page_title = gettext_lazy("Targets of the project plan")
    gov_tab = "targets"

    def get_queryset(self):
        return Target.objects.for_hub(self.hub)

    def get_context_data(self, **kwargs):
        groups: dict[int, list] = {}
        for target in self.object_list:
            groups.setdefault(target.action, []).append(target)
        return super().get_context_data(
            groups=[
                {"number": n, "title": ACTION_TITLES.get(n, ""), "targets": items}
                for n, items in sorted(groups.items())
            ],
            plan=services.plan_get(hub=self.hub),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        """The coordinator loads the project plan's targets (those missing only)."""
        if not self.membership.can("governance.set_targets"):
            raise PermissionDenied
        created = services.load_targets(self.hub)
        messages.success(request, _("Targets of the project plan added: %(n)s.") % {"n": created})
        return HttpResponseRedirect(request.path)


class TargetUpdateView(GovernanceMixin, UpdateView):
    permission = "governance.set_targets"
    form_class = TargetForm
    template_name = "governance/object_form.html"
    gov_tab = "targets"
    cancel_url_name = "governance:target_list"

    def get_queryset(self):
        return Target.objects.for_hub(self.hub)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            intro=_(
                "The dashboard compares the indicator with this target, and with the share of it "
                "expected by today along the project timeline."
            ),
            **kwargs,
        )

    def form_valid(self, form):
        services.target_save(target=form.save(commit=False))
        messages.success(self.request, _("Target saved."))
        return redirect("governance:target_list", hub_slug=self.hub.slug)


class PlanUpdateView(GovernanceMixin, UpdateView):
    permission = "governance.set_targets"
    form_class = PlanForm
    template_name = "governance/object_form.html"
    page_title = gettext_lazy("Project timeline")
    gov_tab = "targets"
    cancel_url_name = "governance:target_list"

    def get_object(self, queryset=None):
        return services.plan_get(hub=self.hub)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            intro=_(
                "The value expected of each target grows evenly from the start of the project to its end."
            ),
            **kwargs,
        )

    def form_valid(self, form):
        services.plan_save(plan=form.save(commit=False))
        messages.success(self.request, _("Project timeline saved."))
        return redirect("governance:target_list", hub_slug=self.hub.slug)


# --- Meetings and decisions ------------------------------------------------------------------------


class MeetingListView(GovernanceMixin, ListView):
    template_name = "governance/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = 25
    page_title = gettext_lazy("Meetings of the Cabina di Regia")
    gov_tab = "meetings"

    def get_queryset(self):
        return selectors.meetings_listed(self.hub)

    def get_context_data(self, **kwargs):
        open_decisions = selectors.decisions_open(self.hub, limit=10)
        return super().get_context_data(open_decisions=open_decisions, today=timezone.localdate(), **kwargs)


class MeetingFormMixin(GovernanceMixin):
    permission = "governance.manage_meetings"
    model = Meeting
    form_class = MeetingForm
    template_name = "governance/meeting_form.html"
    gov_tab = "meetings"
    cancel_url_name = "governance:meeting_list"

    def get_queryset(self):
        return Meeting.objects.for_hub(self.hub)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"hub": self.hub}

    def form_valid(self, form):
        meeting = services.meeting_save(
            meeting=form.save(commit=False),
            hub=self.hub,
            by=self.request.user,
            take_snapshot=bool(form.cleaned_data.get("take_snapshot")),
        )
        messages.success(self.request, _("Meeting saved."))
        return redirect("governance:meeting_detail", hub_slug=self.hub.slug, pk=meeting.pk)


class MeetingCreateView(MeetingFormMixin, CreateView):
    page_title = gettext_lazy("New meeting")

    def get_initial(self):
        return {"date": timezone.localdate()}


class MeetingUpdateView(MeetingFormMixin, UpdateView):
    def get_page_title(self):
        return _("Edit: %(meeting)s") % {"meeting": self.object}


class MeetingDetailView(GovernanceMixin, ObjectFirstMixin, DetailView):
    template_name = "governance/meeting_detail.html"
    context_object_name = "meeting"
    gov_tab = "meetings"
    cancel_url_name = "governance:meeting_list"

    def get_queryset(self):
        return Meeting.objects.for_hub(self.hub).select_related("snapshot")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            decisions=self.object.decisions.select_related("owner"),
            attendees=[line.strip() for line in self.object.attendees.splitlines() if line.strip()],
            today=timezone.localdate(),
            **kwargs,
        )


class DecisionFormMixin(GovernanceMixin):
    permission = "governance.manage_meetings"
    model = Decision
    form_class = DecisionForm
    template_name = "governance/decision_form.html"
    gov_tab = "meetings"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"hub": self.hub, "meeting": self.meeting}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meeting=self.meeting,
            cancel_url=self.hub_url("governance:meeting_detail", pk=self.meeting.pk),
            **kwargs,
        )

    def form_valid(self, form):
        services.decision_save(decision=form.save(commit=False), meeting=self.meeting)
        messages.success(self.request, _("Decision saved."))
        return redirect("governance:meeting_detail", hub_slug=self.hub.slug, pk=self.meeting.pk)


class MeetingFromUrlMixin:
    """The meeting named in the URL, of this hub (placed after HubMixin, which resolves the hub)."""

    def dispatch(self, request, *args, **kwargs):
        self.meeting = get_object_or_404(Meeting.objects.for_hub(self.hub), pk=kwargs["meeting_id"])
        return super().dispatch(request, *args, **kwargs)


class DecisionCreateView(DecisionFormMixin, MeetingFromUrlMixin, CreateView):
    page_title = gettext_lazy("New decision")


class DecisionUpdateView(DecisionFormMixin, ObjectFirstMixin, UpdateView):
    def get_queryset(self):
        return Decision.objects.for_hub(self.hub).select_related("meeting")

    def get_object(self, queryset=None):
        decision = super().get_object(queryset)
        self.meeting = decision.meeting
        return decision

    def get_page_title(self):
        return _("Edit the decision")
