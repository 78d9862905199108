"""The path list, intake, the path page, its facts, assignment, plan and closing, and the PDF sheet."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, ListView, TemplateView, View

from hubs.forms import add_service_error
from hubs.pdf import pdf_response
from people.models import Person
from people.services import person_find_or_create, record_access_log

from ... import pdf, selectors, services
from ...filters import PathFilter
from ...forms import (
    GoalsForm,
    PathAssignForm,
    PathCloseForm,
    PathFactsForm,
    PathIntakeForm,
    PlanFormSet,
)
from ...models import MIN_HOURS, ActivityKind, Path, PathRequest
from .base import PathMixin, PlacementsMixin, hours_bar, plain

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
        if self.membership.can("placements.manage_paths"):  # referred by another action, waiting
            requests = PathRequest.objects.for_hub(self.hub).waiting().select_related("person")
            context["path_requests"] = list(requests[:50])
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


@method_decorator(never_cache, name="dispatch")
class PathSheetView(PathMixin, View):
    """
    The path sheet as a PDF (A4), to print, sign and hand to the funder. Rendered on every
    request, never stored, and kept by no browser or proxy cache (personal data).
    """

    def get(self, request, *args, **kwargs):
        return pdf_response(pdf.path_sheet(path=self.path), f"percorso_{self.path.pk}.pdf")
