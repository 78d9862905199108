"""
Availability: weekly rules and closures (each change syncs the slots).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import (
    CreateView,
    DeleteView,
    FormView,
    ListView,
    UpdateView,
)

from hubs.forms import add_service_error

from ... import services
from ...forms_backoffice import (
    ClosureForm,
    RuleForm,
    WeeklyAvailabilityForm,
)
from ...models import AvailabilityRule, Closure
from .base import DeskFormMixin, DeskMixin, SyncPostMixin, report_sync


class RuleListView(DeskMixin, SyncPostMixin, ListView):
    """The hub's weekly availability and its closures to come."""

    template_name = "desk/backoffice/rule_list.html"
    context_object_name = "rules"
    page_title = gettext_lazy("Availability")
    desk_tab = "availability"

    def get_queryset(self):
        return AvailabilityRule.objects.for_hub(self.hub).select_related("service", "operator", "antenna")

    def get_context_data(self, **kwargs):
        closures = (
            Closure.objects.for_hub(self.hub)
            .filter(ends_on__gte=timezone.localdate())
            .select_related("antenna", "operator")
        )
        return super().get_context_data(closures=closures, **kwargs)


class RuleFormMixin(DeskFormMixin):
    model = AvailabilityRule
    form_class = RuleForm
    cancel_url_name = "deskbo:rule_list"
    desk_tab = "availability"
    success_message = gettext_lazy("Availability saved.")
    intro = gettext_lazy(
        "Sessions are generated from it for the booking horizon. Booked sessions that "
        "no longer fit are kept and listed, never deleted."
    )

    def save(self, obj):
        return services.availability_rule_save(rule=obj)


class RuleCreateView(RuleFormMixin, CreateView):
    page_title = gettext_lazy("New weekly availability")


class RuleUpdateView(RuleFormMixin, UpdateView):
    pass


class WeeklyAvailabilityView(DeskMixin, FormView):
    """Weekly availability entered once for several weekdays: one rule per weekday, then the slots."""

    template_name = "desk/backoffice/weekly_availability_form.html"
    form_class = WeeklyAvailabilityForm
    cancel_url_name = "deskbo:rule_list"
    desk_tab = "availability"
    page_title = gettext_lazy("Weekly availability for several days")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"hub": self.hub}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        try:
            rules, result = services.availability_rules_create(hub=self.hub, **data)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            ngettext("%(n)s weekly availability saved.", "%(n)s weekly availabilities saved.", len(rules))
            % {"n": len(rules)},
        )
        report_sync(self.request, self.hub, result)
        return redirect("deskbo:rule_list", hub_slug=self.hub.slug)


class ClosureCreateView(DeskFormMixin, CreateView):
    model = Closure
    form_class = ClosureForm
    cancel_url_name = "deskbo:rule_list"
    desk_tab = "availability"
    page_title = gettext_lazy("New closure")
    success_message = gettext_lazy("Closure saved.")
    intro = gettext_lazy(
        "On these days no session is offered (the whole hub, one antenna or one "
        "operator). Sessions already booked are kept and listed."
    )

    def save(self, obj):
        return services.closure_create(closure=obj)


class ClosureDeleteView(DeskMixin, DeleteView):
    template_name = "desk/backoffice/closure_confirm_delete.html"
    context_object_name = "closure"
    cancel_url_name = "deskbo:rule_list"
    desk_tab = "availability"
    page_title = gettext_lazy("Remove the closure")

    def get_queryset(self):
        return Closure.objects.for_hub(self.hub).select_related("antenna", "operator")

    def form_valid(self, form):
        result = services.closure_delete(closure=self.object)
        messages.success(self.request, _("Closure removed: its days are open again."))
        report_sync(self.request, self.hub, result)
        return redirect("deskbo:rule_list", hub_slug=self.hub.slug)
