"""
Targets of the project plan and the project timeline.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, UpdateView

from .. import services
from ..forms import PlanForm, TargetForm
from ..models import Target
from .base import ACTION_TITLES, GovernanceMixin


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
