"""
The back office of Together We Work: the path list, intake, the path page (plan, log, outcome,
follow-ups), the PDF path sheet and the export.

Every view is `HubMixin` + a generic view. Every path is looked up through
`selectors.paths_for(hub, membership)` — hub staff reach all the hub's paths, a partner operator
only those of their cooperative (its django-guardian grant), others none — and activities and
follow-ups through those paths, so anything beyond reach is a 404, including a path just
reassigned to another cooperative. Writes go through placements/services.py; its
ValidationErrors land on the form's fields, and what the user typed stays in the form.
The path page never shows the young person's desk case notes; opening it is logged.
"""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, ListView, TemplateView, View

from hubs import exports as hub_exports
from hubs.forms import add_service_error
from hubs.mixins import HubMixin
from hubs.navigation import section_tabs
from hubs.pdf import pdf_response
from people.models import Person
from people.services import person_find_or_create, record_access_log

from .. import exports, pdf, selectors, services
from ..filters import PathFilter
from ..forms import (
    ActivityForm,
    ExportForm,
    FollowUpForm,
    GoalsForm,
    PathAssignForm,
    PathCloseForm,
    PathFactsForm,
    PathIntakeForm,
    PlanFormSet,
)
from ..models import MAX_HOURS, MIN_HOURS, ActivityKind, Path

# The section's own tabs (key, title, URL name), each shown to whoever may open its page.
TABS = (
    ("paths", gettext_lazy("Paths"), "placementsbo:path_list"),
    ("new", gettext_lazy("New path"), "placementsbo:path_create"),
    ("export", gettext_lazy("Export"), "placementsbo:export"),
)


def plain(hours: Decimal) -> Decimal:
    """4.50 → 4.5, 2.00 → 2: hours for a form field, without trailing zeros."""
    text = f"{hours:f}"
    return Decimal(text.rstrip("0").rstrip(".") if "." in text else text)


def hours_bar(path: Path) -> dict:
    """The at-a-glance bar: delivered, confirmed and planned hours against the 24-hour ceiling."""
    text = services.hours_text
    return {
        "delivered": text(path.delivered_hours),
        "planned": text(path.planned_hours),
        "confirmed": text(path.confirmed_hours),
        "remaining": text(path.remaining_hours),
        "has_plan": path.planned_hours > 0,
        "is_open": path.is_open,
        "delivered_pct": path.percent(path.delivered_hours),
        "confirmed_pct": path.percent(path.confirmed_hours),
        "planned_pct": path.percent(path.planned_hours),
        "minimum_pct": path.percent(MIN_HOURS),
        "full": path.delivered_hours >= MAX_HOURS,
        "under_minimum": path.delivered_hours < MIN_HOURS,
    }


class PlacementsMixin(HubMixin):
    """HubMixin for Together We Work: staff and partner operators, the section's tabs."""

    permission = "placements.view_paths"
    cancel_url_name = "placementsbo:path_list"
    tab = "paths"

    def paths(self):
        """The paths this member may open (selectors.paths_for): the only way to a path."""
        return selectors.paths_for(hub=self.hub, membership=self.membership)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["section_tabs"] = section_tabs(self.hub, self.membership, TABS, self.tab)
        return context


class PathMixin(PlacementsMixin):
    """The views of one path: `self.path`, or 404 when it is beyond the member's reach."""

    def load(self, **kwargs):
        self.path = get_object_or_404(
            self.paths().select_related("person", "cooperative", "operator", "hub"),
            pk=self.kwargs["pk"],
        )

    def path_url(self, anchor: str = "") -> str:
        return self.hub_url("placementsbo:path_detail", pk=self.path.pk) + anchor

    def get_page_title(self):
        return self.page_title or str(self.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(path=self.path, **kwargs)
        context["cancel_url"] = self.path_url()
        return context


# --- The list and intake -------------------------------------------------------------------------


class PathListView(PlacementsMixin, ListView):
    """The paths within reach, filtered; each row with its hours bar (a fixed number of queries)."""

    template_name = "placements/backoffice/path_list.html"
    context_object_name = "paths"
    paginate_by = 25
    page_title = gettext_lazy("Together We Work: paths")

    def get_queryset(self):
        self.filterset = PathFilter(
            self.request.GET or None,
            hub=self.hub,
            membership=self.membership,
            queryset=self.paths().select_related("person", "cooperative", "operator"),
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            filter_form=self.filterset.form, filters_on=self.filterset.is_on, **kwargs
        )
        for path in context["paths"]:
            path.bar = hours_bar(path)
        return context


class PathCreateView(PlacementsMixin, FormView):
    """
    Intake by hub staff: the young person (chosen from the desk's record with `?person=`, or
    their details), target groups, eligibility facts, cooperative, operator, start date.
    """

    permission = "placements.manage_paths"
    template_name = "placements/backoffice/path_create.html"
    form_class = PathIntakeForm
    page_title = gettext_lazy("Open a Together We Work path")
    tab = "new"

    def get_person(self) -> Person | None:
        pk = self.request.GET.get("person", "")
        if not pk.isdigit():
            return None
        return Person.objects.for_hub(self.hub).filter(pk=pk, erased_at__isnull=True).first()

    def load(self, **kwargs):
        self._person = self.get_person()

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"hub": self.hub, "person": self._person}

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self._person, **kwargs)

    def form_valid(self, form):
        try:
            with transaction.atomic():  # a refused intake leaves no new person behind
                person = self._person or person_find_or_create(hub=self.hub, data=form.person_data())
                path = services.path_open(
                    hub=self.hub, person=person, by=self.request.user, **form.path_fields()
                )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Path opened for %(name)s and assigned to %(cooperative)s. Next: the personal plan.")
            % {"name": person, "cooperative": path.cooperative.name},
        )
        return redirect("placementsbo:plan_update", hub_slug=self.hub.slug, pk=path.pk)


# --- One path ------------------------------------------------------------------------------------


class PathDetailView(PathMixin, TemplateView):
    """Plan, log, outcome and follow-ups of a path. Never the person's desk notes. Logged."""

    template_name = "placements/backoffice/path_detail.html"

    def get(self, request, *args, **kwargs):
        record_access_log(hub=self.hub, person=self.path.person, user=request.user, what="placements.path")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        path = self.path
        delivered_by_kind = selectors.hours_by_kind(path)
        plan = list(path.plan.all())
        text = services.hours_text
        for line in plan:
            line.hours_text = text(line.hours)
            line.delivered_text = text(delivered_by_kind.get(line.kind, 0))
        planned_kinds = {line.kind for line in plan}
        activities = list(path.activities.select_related("operator"))
        for activity in activities:
            activity.hours_text = text(activity.hours)
        person = path.person
        return super().get_context_data(
            bar=hours_bar(path),
            plan=plan,
            unplanned=[
                (ActivityKind(kind).label, text(hours))
                for kind, hours in delivered_by_kind.items()
                if kind not in planned_kinds
            ],
            activities=activities,
            follow_ups=list(path.follow_ups.all()),
            can_email=bool(person.email and not person.erased_at),
            age_now=person.age_on(timezone.localdate()),
            **kwargs,
        )


class PathUpdateView(PathMixin, FormView):
    """Correct the intake facts (not the young person, not the cooperative)."""

    permission = "placements.manage_paths"
    template_name = "placements/backoffice/path_form.html"
    form_class = PathFactsForm
    page_title = gettext_lazy("Intake facts")

    def get_form_kwargs(self):
        # A copy: validating the form must not touch the path shown around it.
        return super().get_form_kwargs() | {"instance": Path.objects.get(pk=self.path.pk)}

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in services.INTAKE_FIELDS}
        try:
            services.path_update(path=self.path, **fields)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Intake facts saved."))
        return redirect(self.path_url())


class PathAssignView(PathMixin, FormView):
    """Give the path to another cooperative or operator: the old cooperative loses it at once."""

    permission = "placements.manage_paths"
    template_name = "placements/backoffice/path_form.html"
    form_class = PathAssignForm
    page_title = gettext_lazy("Cooperative and operator")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"hub": self.hub}

    def get_initial(self):
        return {"cooperative": self.path.cooperative_id, "operator": self.path.operator_id}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            intro=_("The operators of the cooperative the path leaves lose access to it at once."), **kwargs
        )

    def form_valid(self, form):
        try:
            path = services.path_assign(
                path=self.path,
                cooperative=form.cleaned_data["cooperative"],
                operator=form.cleaned_data["operator"],
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The path is now assigned to %(cooperative)s.") % {"cooperative": path.cooperative.name},
        )
        return redirect(self.path_url())


class PlanUpdateView(PathMixin, TemplateView):
    """The personal plan: goals and planned activities, 3 to 24 hours in all."""

    permission = "placements.run_paths"
    template_name = "placements/backoffice/plan_form.html"
    page_title = gettext_lazy("Personal plan")

    def get(self, request, *args, **kwargs):
        lines = [
            {"kind": line.kind, "hours": plain(line.hours), "description": line.description}
            for line in self.path.plan.all()
        ]
        return self.render_to_response(
            self.get_context_data(
                goals_form=GoalsForm(initial={"goals": self.path.goals}),
                formset=PlanFormSet(initial=lines, prefix="plan"),
            )
        )

    def post(self, request, *args, **kwargs):
        goals_form = GoalsForm(request.POST)
        formset = PlanFormSet(request.POST, prefix="plan")
        if goals_form.is_valid() and formset.is_valid():
            try:
                services.plan_save(
                    path=self.path, goals=goals_form.cleaned_data["goals"], lines=formset.lines()
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Plan saved."))
                return redirect(self.path_url("#plan"))
        return self.render_to_response(self.get_context_data(goals_form=goals_form, formset=formset))

    def get_context_data(self, **kwargs):
        formset = kwargs.get("formset")
        total = None  # not shown while some line is wrong
        if formset is not None and formset.is_bound and formset.is_valid():
            total = services.hours_text(sum(line["hours"] for line in formset.lines()))
        elif formset is not None and not formset.is_bound:
            total = services.hours_text(self.path.planned_hours)
        return super().get_context_data(total=total, **kwargs)


class ActivityCreateView(PathMixin, FormView):
    """Log a delivered activity. Past 24 hours, zero or odd hours, wrong dates: refused, kept."""

    permission = "placements.log_activity"
    template_name = "placements/backoffice/activity_form.html"
    form_class = ActivityForm
    page_title = gettext_lazy("Log an activity")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"path": self.path, "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(bar=hours_bar(self.path), **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            activity = services.activity_log(
                path=self.path,
                by=self.request.user,
                kind=data["kind"],
                date=data["date"],
                hours=data["hours"],
                operator=data["operator"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        self.path.refresh_from_db(fields=["delivered_hours"])
        messages.success(
            self.request,
            _("Logged: %(activity)s, %(hours)s h. %(remaining)s hours remain on the path.")
            % {
                "activity": activity.get_kind_display(),
                "hours": services.hours_text(activity.hours),
                "remaining": services.hours_text(self.path.remaining_hours),
            },
        )
        return redirect(self.path_url("#log"))


class ActivityMixin(PlacementsMixin):
    """The views of one logged activity, looked up through the paths within reach."""

    permission = "placements.log_activity"

    def load(self, **kwargs):
        self.activity = get_object_or_404(
            selectors.activities_within_reach(hub=self.hub, membership=self.membership),
            pk=self.kwargs["pk"],
        )
        self.path = self.activity.path
        self.activity.hours_text = services.hours_text(self.activity.hours)

    def path_url(self) -> str:
        return self.hub_url("placementsbo:path_detail", pk=self.path.pk) + "#log"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(activity=self.activity, path=self.path, **kwargs)
        context["cancel_url"] = self.path_url()
        return context


class ActivityDeleteView(ActivityMixin, TemplateView):
    template_name = "placements/backoffice/activity_delete.html"
    page_title = gettext_lazy("Remove an activity from the log")

    def post(self, request, *args, **kwargs):
        try:
            services.activity_delete(activity=self.activity)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Activity removed from the log."))
        return redirect(self.path_url())


class ActivityConfirmationView(ActivityMixin, TemplateView):
    """GET explains the e-mail; POST sends the young person the one-time confirmation link."""

    template_name = "placements/backoffice/activity_confirmation.html"
    page_title = gettext_lazy("Ask the young person to confirm")

    def get_context_data(self, **kwargs):
        person = self.path.person
        return super().get_context_data(can_email=bool(person.email and not person.erased_at), **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            services.confirmation_request(activity=self.activity)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _(
                    "E-mail sent to %(email)s: the activity shows as confirmed once they open the "
                    "link and confirm."
                )
                % {"email": self.path.person.email},
            )
        return redirect(self.path_url())


class PathCloseView(PathMixin, FormView):
    """Close with the outcome: completed from 3 delivered hours; a drop-out may close earlier."""

    permission = "placements.run_paths"
    template_name = "placements/backoffice/path_close.html"
    form_class = PathCloseForm
    page_title = gettext_lazy("Close the path")

    def get_initial(self):
        return {"closed_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(bar=hours_bar(self.path), min_hours=MIN_HOURS, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            path = services.path_close(
                path=self.path,
                outcome=data["outcome"],
                closed_on=data["closed_on"],
                contract_kind=data["contract_kind"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Path closed: %(outcome)s. Follow-ups at 3 and 6 months will be due after %(day)s.")
            % {"outcome": path.get_outcome_display(), "day": path.closed_on.strftime("%d/%m/%Y")},
        )
        return redirect(self.path_url("#outcome"))


class FollowUpUpdateView(PlacementsMixin, FormView):
    """Record where the young person stands 3 or 6 months after the path closed."""

    permission = "placements.run_paths"
    template_name = "placements/backoffice/follow_up_form.html"
    form_class = FollowUpForm

    def load(self, **kwargs):
        self.follow_up = get_object_or_404(
            selectors.follow_ups_within_reach(hub=self.hub, membership=self.membership),
            pk=self.kwargs["pk"],
        )
        self.path = self.follow_up.path

    def get_page_title(self):
        return _("Follow-up at %(months)s months") % {"months": self.follow_up.months}

    def get_initial(self):
        follow_up = self.follow_up
        return {
            "situation": follow_up.situation,
            "contract_kind": follow_up.contract_kind,
            "note": follow_up.note,
            "recorded_on": follow_up.recorded_on or timezone.localdate(),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(follow_up=self.follow_up, path=self.path, **kwargs)
        context["cancel_url"] = self.hub_url("placementsbo:path_detail", pk=self.path.pk)
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.follow_up_record(
                follow_up=self.follow_up,
                situation=data["situation"],
                recorded_on=data["recorded_on"],
                by=self.request.user,
                contract_kind=data["contract_kind"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Follow-up recorded."))
        return redirect(self.hub_url("placementsbo:path_detail", pk=self.path.pk) + "#follow-ups")


@method_decorator(never_cache, name="dispatch")
class PathSheetView(PathMixin, View):
    """
    The path sheet as a PDF (A4), to print, sign and hand to the funder. Rendered on every
    request, never stored, and kept by no browser or proxy cache (personal data).
    """

    def get(self, request, *args, **kwargs):
        return pdf_response(pdf.path_sheet(path=self.path), f"percorso_{self.path.pk}.pdf")


# --- Export ----------------------------------------------------------------------------------------


class ExportView(PlacementsMixin, FormView):
    """
    Paths or activities as CSV or XLSX: facts and statistical fields only (no names, e-mails,
    phones, notes or goals). A partner operator exports their cooperative's paths only.
    """

    template_name = "placements/backoffice/export_form.html"
    form_class = ExportForm
    page_title = gettext_lazy("Export paths and activities")
    tab = "export"

    def get(self, request, *args, **kwargs):
        if not {"what", "format"} & set(request.GET):
            return super().get(request, *args, **kwargs)
        form = ExportForm(request.GET)
        if not form.is_valid():
            return self.form_invalid(form)
        what, format = form.cleaned_data["what"], form.cleaned_data["format"]
        dataset = (exports.paths_dataset if what == ExportForm.PATHS else exports.activities_dataset)(
            hub=self.hub, paths=self.paths()
        )
        return hub_exports.response(
            dataset,
            format=format,
            filename=f"{exports.FILE_NAMES[what]}_{self.hub.slug}_{timezone.localdate().isoformat()}",
        )
