"""The 3- and 6-month follow-ups of a closed path."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView

from hubs.forms import add_service_error

from ... import selectors, services
from ...forms import (
    FollowUpForm,
)
from .base import PlacementsMixin


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
