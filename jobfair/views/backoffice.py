"""
The back office of the job fair: the hub staff's pages (fairs, exhibitors' approval, stands,
workshops, registrations, check-in, help requests, shredding) and the exhibitors' own pages
(their stand, opportunities and the contacts young people chose to share with them).

Every view is `HubMixin` + a generic view; its objects are looked up through the hub (and,
for an exhibitor's people, through their organization's django-guardian grant:
`selectors.exhibitors_for`), so anything beyond reach is a 404. Writes go through
jobfair/services.py; their ValidationErrors land on the form.
"""

import json
import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView, TemplateView, View

from hubs import exports
from hubs.forms import add_service_error
from hubs.help_registry import landing
from hubs.links import absolute_url
from hubs.mixins import HubMixin
from hubs.navigation import section_tabs
from hubs.pdf import pdf_response, render_pdf

from .. import selectors, services
from ..forms import (
    CheckInSearchForm,
    ExhibitorProfileForm,
    FairForm,
    OpportunityForm,
    RejectForm,
    StandAssignForm,
    StandsForm,
    WalkInForm,
    WorkshopForm,
)
from ..models import CheckIn, Exhibitor, Fair, HelpRequest
from .floor import floor_map

TABS = (
    ("fairs", gettext_lazy("Fairs"), "jobfairbo:fair_list"),
    ("new", gettext_lazy("New fair"), "jobfairbo:fair_create"),
    ("mine", gettext_lazy("My stand"), "jobfairbo:my_stands"),
)


class JobfairMixin(HubMixin):
    permission = "jobfair.view"
    cancel_url_name = "jobfairbo:fair_list"
    tab = "fairs"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["section_tabs"] = section_tabs(self.hub, self.membership, TABS, self.tab)
        return context


class FairMixin(JobfairMixin):
    """The pages of one fair: `self.fair`, or 404 for another hub's."""

    def load(self, **kwargs):
        self.fair = get_object_or_404(Fair.objects.for_hub(self.hub), pk=kwargs["pk"])

    def get_page_title(self):
        return self.page_title or str(self.fair)

    def fair_url(self):
        return self.hub_url("jobfairbo:fair_detail", pk=self.fair.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(fair=self.fair, **kwargs)
        context["cancel_url"] = self.fair_url()
        return context


# --- Fairs --------------------------------------------------------------------------------------


class FairListView(JobfairMixin, ListView):
    template_name = "jobfair/backoffice/fair_list.html"
    context_object_name = "fairs"
    page_title = gettext_lazy("Job fairs")

    def get_queryset(self):
        return selectors.fairs_for_hub(hub=self.hub)


class FairCreateView(JobfairMixin, FormView):
    permission = "jobfair.manage"
    template_name = "jobfair/backoffice/form.html"
    form_class = FairForm
    tab = "new"
    page_title = gettext_lazy("New job fair")

    def form_valid(self, form):
        fair = services.fair_create(hub=self.hub, data=form.cleaned_data)
        messages.success(self.request, _("Fair created with its four focus areas."))
        return redirect(self.hub_url("jobfairbo:fair_detail", pk=fair.pk))


class FairUpdateView(FairMixin, FormView):
    permission = "jobfair.manage"
    template_name = "jobfair/backoffice/form.html"
    form_class = FairForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.fair}

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Fair saved."))
        return redirect(self.fair_url())


class FairDetailView(FairMixin, TemplateView):
    template_name = "jobfair/backoffice/fair_detail.html"

    def get_context_data(self, **kwargs):
        fair = self.fair
        return super().get_context_data(
            figures=selectors.fair_figures(fair=fair),
            coverage=selectors.area_coverage(fair=fair),
            exhibitors=fair.exhibitors.select_related("organization", "area", "stand").order_by(
                "status", "organization__name"
            ),
            workshops=selectors.workshops_with_places(fair=fair),
            public_url=self.request.build_absolute_uri(f"/{self.hub.slug}/fiera/{fair.pk}/"),
            **kwargs,
        )


class FairPublishView(FairMixin, TemplateView):
    """Publish the fair: refused while a focus area has neither an exhibitor nor a workshop."""

    permission = "jobfair.manage"
    template_name = "jobfair/backoffice/fair_publish.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(uncovered=services.areas_uncovered(self.fair), **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            services.fair_publish(fair=self.fair)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.hub_url("jobfairbo:fair_publish", pk=self.fair.pk))
        messages.success(request, _("The fair is published."))
        return redirect(self.fair_url())


# --- Exhibitors, stands, workshops -----------------------------------------------------------------


class ExhibitorReviewView(JobfairMixin, TemplateView):
    """One exhibitor: approve, reject with a reason, assign a stand."""

    permission = "jobfair.manage"
    template_name = "jobfair/backoffice/exhibitor_review.html"

    def load(self, **kwargs):
        self.exhibitor = get_object_or_404(
            Exhibitor.objects.for_hub(self.hub).select_related("fair", "organization", "area", "stand"),
            pk=kwargs["pk"],
        )
        self.fair = self.exhibitor.fair

    def get_page_title(self):
        return str(self.exhibitor)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("reject_form", RejectForm())
        kwargs.setdefault(
            "stand_form", StandAssignForm(fair=self.fair, initial={"stand": self.exhibitor.stand_id})
        )
        context = super().get_context_data(exhibitor=self.exhibitor, fair=self.fair, **kwargs)
        context["cancel_url"] = self.hub_url("jobfairbo:fair_detail", pk=self.fair.pk)
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        back = redirect(request.path)
        if action == "approve":
            services.exhibitor_approve(exhibitor=self.exhibitor, by=request.user)
            messages.success(request, _("Exhibitor approved: we e-mailed them the invitation to the portal."))
            return back
        if action == "reject":
            form = RejectForm(request.POST)
            if form.is_valid():
                services.exhibitor_reject(
                    exhibitor=self.exhibitor, reason=form.cleaned_data["reason"], by=request.user
                )
                messages.success(request, _("Exhibitor rejected: we e-mailed them the reason."))
                return back
            return self.render_to_response(self.get_context_data(reject_form=form))
        if action == "stand":
            form = StandAssignForm(request.POST, fair=self.fair)
            if form.is_valid():
                try:
                    services.stand_assign(exhibitor=self.exhibitor, stand=form.cleaned_data["stand"])
                except ValidationError as error:
                    add_service_error(form, error)
                else:
                    messages.success(request, _("Stand saved."))
                    return back
            return self.render_to_response(self.get_context_data(stand_form=form))
        return back


class StandsView(FairMixin, FormView):
    """The floor: lay out stands, propose an assignment by focus area, see the map."""

    permission = "jobfair.manage"
    template_name = "jobfair/backoffice/stands.html"
    form_class = StandsForm
    page_title = gettext_lazy("Stands and floor map")

    def get_context_data(self, **kwargs):
        return super().get_context_data(floor=floor_map(self.fair), **kwargs)

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "propose":
            try:
                count = services.stands_propose(fair=self.fair)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, _("%(n)s exhibitors placed, each focus area side by side.") % {"n": count}
                )
            return redirect(request.path)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        added = services.stands_create(fair=self.fair, **form.cleaned_data)
        messages.success(self.request, _("%(n)s stands added.") % {"n": added})
        return redirect(self.request.path)


class WorkshopCreateView(FairMixin, FormView):
    permission = "jobfair.manage"
    template_name = "jobfair/backoffice/form.html"
    form_class = WorkshopForm
    page_title = gettext_lazy("New workshop")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "fair": self.fair}

    def form_valid(self, form):
        workshop = form.save(commit=False)
        workshop.hub = self.hub
        workshop.fair = self.fair
        workshop.save()
        messages.success(self.request, _("Workshop added."))
        return redirect(self.fair_url())


# --- Registrations, check-in, help requests, shredding ------------------------------------------------


class RegistrationListView(FairMixin, ListView):
    permission = "jobfair.manage"
    template_name = "jobfair/backoffice/registration_list.html"
    context_object_name = "registrations"
    paginate_by = 50
    page_title = gettext_lazy("Registrations")

    def get_queryset(self):
        queryset = self.fair.registrations.select_related("person", "class_group").order_by("-created_at")
        self.search = CheckInSearchForm(self.request.GET or None)
        if self.search.is_valid() and (q := self.search.cleaned_data["q"]):
            queryset = queryset.filter(
                Q(person__first_name__icontains=q)
                | Q(person__last_name__icontains=q)
                | Q(first_name__icontains=q)
                | Q(last_name__icontains=q)
                | Q(class_group__class_name__iexact=q)
            )
        return queryset

    def get_context_data(self, **kwargs):
        return super().get_context_data(search=self.search, **kwargs)


class CheckInView(FairMixin, TemplateView):
    """
    The staff's check-in page: the camera reader and the manual entry queue scans on the device
    (static/jobfair/checkin.js) and send them to `check_in_sync`; a search by name, and walk-ins.
    """

    permission = "jobfair.check_in"
    template_name = "jobfair/backoffice/check_in.html"
    page_title = gettext_lazy("Check-in")

    def get_context_data(self, **kwargs):
        search = CheckInSearchForm(self.request.GET or None)
        found = []
        if search.is_valid() and (q := search.cleaned_data["q"]):
            found = (
                self.fair.registrations.confirmed()
                .select_related("person", "class_group")
                .filter(
                    Q(person__first_name__icontains=q)
                    | Q(person__last_name__icontains=q)
                    | Q(first_name__icontains=q)
                    | Q(last_name__icontains=q)
                    | Q(token=q)
                )[:20]
            )
        return super().get_context_data(
            search=search,
            found=found,
            walk_in_form=kwargs.pop("walk_in_form", WalkInForm()),
            counter=selectors.door_count(fair=self.fair),
            workshops=self.fair.workshops.all(),
            sync_url=self.hub_url("jobfairbo:check_in_sync", pk=self.fair.pk),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        """A manual check-in (from the search) or a walk-in, without JavaScript."""
        nonce = f"web-{secrets.token_hex(8)}"
        device = request.POST.get("device", "")[:60] or _("web page")
        if "token" in request.POST:
            row = services.check_in(
                fair=self.fair,
                token=request.POST["token"],
                workshop=None,
                device=device,
                nonce=nonce,
                by=request.user,
            )
            if row is None:
                messages.error(request, _("Unknown ticket."))
            elif row.result == CheckIn.Result.VALID:
                messages.success(request, _("Valid: %(name)s is in.") % {"name": row.registration.name})
            else:
                messages.warning(request, f"{row.get_result_display()}: {row.registration.name}")
            return redirect(request.path)
        form = WalkInForm(request.POST)
        if form.is_valid():
            try:
                services.walk_in_register(
                    fair=self.fair, device=device, nonce=nonce, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Walk-in registered and let in."))
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(walk_in_form=form))


class CheckInSyncView(FairMixin, View):
    """
    GET: the live counter. POST (JSON): a device's queued scans, `{"device": …, "scans":
    [{"token", "nonce", "scanned_at", "workshop"}]}`; answers each scan's result. A scan sent
    twice (same nonce) gets its first answer again.
    """

    permission = "jobfair.check_in"

    def get(self, request, *args, **kwargs):
        return JsonResponse({"counter": selectors.door_count(fair=self.fair)})

    def post(self, request, *args, **kwargs):
        try:
            payload = json.loads(request.body or b"{}")
            scans = list(payload.get("scans", []))[:500]
            device = str(payload.get("device", ""))[:60]
        except (ValueError, AttributeError, TypeError):
            return JsonResponse({"error": "bad request"}, status=400)
        results = []
        for scan in scans:
            if not isinstance(scan, dict) or not scan.get("nonce"):
                continue
            workshop = None
            if scan.get("workshop"):
                workshop = selectors.workshop_for_fair(fair=self.fair, pk=str(scan["workshop"]))
                if workshop is None:
                    results.append({"nonce": scan["nonce"], "result": "unknown"})
                    continue
            scanned_at = parse_datetime(str(scan.get("scanned_at", ""))) or timezone.now()
            if timezone.is_naive(scanned_at):
                scanned_at = timezone.make_aware(scanned_at)
            row = services.check_in(
                fair=self.fair,
                token=str(scan.get("token", "")),
                workshop=workshop,
                device=device,
                nonce=str(scan["nonce"]),
                scanned_at=scanned_at,
                by=request.user,
            )
            results.append(
                {
                    "nonce": scan["nonce"],
                    "result": row.result if row else "unknown",
                    "label": str(row.get_result_display()) if row else _("Unknown ticket"),
                    "name": row.registration.name if row else "",
                }
            )
        return JsonResponse({"results": results, "counter": selectors.door_count(fair=self.fair)})


class HelpRequestListView(FairMixin, ListView):
    permission = "jobfair.manage"
    template_name = "jobfair/backoffice/help_list.html"
    context_object_name = "requests"
    paginate_by = 50
    page_title = gettext_lazy("Help requests")

    def get_queryset(self):
        return self.fair.help_requests.select_related(
            "registration__person", "area", "exhibitor__organization"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for item in context["requests"]:  # where it landed: the desk's request, a request for a path
            item.landing = landing(self.hub, item.kind, item.landed_id)
        return context

    def post(self, request, *args, **kwargs):
        found = get_object_or_404(
            HelpRequest.objects.for_hub(self.hub).filter(fair=self.fair), pk=request.POST.get("request")
        )
        services.help_request_handled(request=found)
        messages.success(request, _("Marked as handled."))
        return redirect(request.path)


class SurveySendView(FairMixin, TemplateView):
    """Send the survey: to those who checked in and to approved exhibitors, once each."""

    permission = "jobfair.manage"
    template_name = "jobfair/backoffice/survey_send.html"
    page_title = gettext_lazy("Survey after the fair")

    def get_context_data(self, **kwargs):
        surveys = self.fair.surveys
        return super().get_context_data(
            sent=surveys.count(), answered=surveys.filter(answered_at__isnull=False).count(), **kwargs
        )

    def post(self, request, *args, **kwargs):
        sent = services.survey_send(fair=self.fair)
        messages.success(request, _("Survey sent to %(n)s people.") % {"n": sent})
        return redirect(request.path)


class FairReportView(FairMixin, View):
    """The fair's report per focus area, as a PDF (counts of people masked below five)."""

    def get(self, request, *args, **kwargs):
        content = render_pdf(
            "jobfair/pdf/report.html",
            {"fair": self.fair, "hub": self.hub, "report": selectors.fair_report(fair=self.fair)},
        )
        return pdf_response(content, f"fiera-{self.fair.pk}.pdf")


class ShredView(FairMixin, TemplateView):
    """What personal data of the fair is left (all 0 once shredded), and when it goes."""

    permission = "jobfair.manage"
    template_name = "jobfair/backoffice/shred.html"
    page_title = gettext_lazy("Personal data after the fair")

    def get_context_data(self, **kwargs):
        from datetime import timedelta

        return super().get_context_data(
            left=services.personal_data_left(self.fair),
            shred_on=self.fair.date + timedelta(days=self.fair.shred_after_days),
            **kwargs,
        )


# --- The exhibitor's own pages -------------------------------------------------------------------------


class MyStandsView(JobfairMixin, ListView):
    permission = "jobfair.exhibit"
    template_name = "jobfair/backoffice/my_stands.html"
    context_object_name = "exhibitors"
    tab = "mine"
    page_title = gettext_lazy("My stand")

    def get_queryset(self):
        return selectors.exhibitors_for(hub=self.hub, membership=self.membership).select_related(
            "fair", "area", "stand", "organization"
        )


class MyStandMixin(JobfairMixin):
    permission = "jobfair.exhibit"
    tab = "mine"
    cancel_url_name = "jobfairbo:my_stands"

    def load(self, **kwargs):
        self.exhibitor = get_object_or_404(
            selectors.exhibitors_for(hub=self.hub, membership=self.membership).select_related(
                "fair", "area", "stand", "organization"
            ),
            pk=kwargs["pk"],
        )

    def get_page_title(self):
        return str(self.exhibitor)


class MyStandView(MyStandMixin, TemplateView):
    """The exhibitor's stand: its profile, its opportunities, its QR for young people."""

    template_name = "jobfair/backoffice/my_stand.html"

    def get_context_data(self, **kwargs):
        import segno

        exhibitor = self.exhibitor
        stand_url = absolute_url("jobfair:stand", hub_slug=self.hub.slug, token=exhibitor.token)
        kwargs.setdefault(
            "profile_form",
            ExhibitorProfileForm(
                initial={"description": exhibitor.description, "keywords": exhibitor.keywords}
            ),
        )
        kwargs.setdefault("opportunity_form", OpportunityForm(fair=exhibitor.fair, prefix="opportunity"))
        return super().get_context_data(
            exhibitor=exhibitor,
            opportunities=exhibitor.opportunities.select_related("area"),
            leads_count=selectors.leads_live(exhibitor=exhibitor).count(),
            stand_qr=segno.make(stand_url, error="m").svg_inline(scale=4, title=_("Your stand's QR code")),
            stand_url=stand_url,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "profile":
            form = ExhibitorProfileForm(request.POST)
            if form.is_valid():
                services.exhibitor_update(exhibitor=self.exhibitor, **form.cleaned_data)
                messages.success(request, _("Saved."))
                return redirect(request.path)
            return self.render_to_response(self.get_context_data(profile_form=form))
        form = OpportunityForm(request.POST, fair=self.exhibitor.fair, prefix="opportunity")
        if form.is_valid():
            try:
                services.opportunity_create(exhibitor=self.exhibitor, data=form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Opportunity published."))
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(opportunity_form=form))


class LeadsView(MyStandMixin, TemplateView):
    """The contacts young people chose to share with this exhibitor; `?format=csv` exports them."""

    template_name = "jobfair/backoffice/leads.html"
    page_title = gettext_lazy("Contacts shared with you")

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") in (exports.CSV, exports.XLSX):
            data = exports.dataset(
                [_("First name"), _("Last name"), _("E-mail"), _("Phone"), _("Message"), _("Shared")],
                title=_("Contacts"),
            )
            for row in selectors.lead_rows(exhibitor=self.exhibitor):
                data.append(list(row.values()))
            return exports.response(data, format=request.GET["format"], filename="contatti")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            exhibitor=self.exhibitor, rows=selectors.lead_rows(exhibitor=self.exhibitor), **kwargs
        )
