"""The activity log: logging hours, removing an unconfirmed entry, asking the young person to confirm."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from hubs.forms import add_service_error

from ... import services
from ...forms import (
    ActivityForm,
)
from .base import ActivityMixin, PathMixin, hours_bar


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
