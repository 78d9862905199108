"""
The young person's side of Together We Work: the one-time link, sent by e-mail, that confirms an
activity took place. Public (`login_not_required`): the signed token is the key. GET only shows
the activity and a button — e-mail scanners open links, and must not confirm anything — and the
POST confirms. A tampered, expired or other hub's token gets a friendly page with status 404.
POSTs are rate limited per client IP (hubs.ratelimit): past the limit, the 429 page.
"""

from django.contrib.auth.decorators import login_not_required
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from hubs.mixins import PublicHubMixin
from hubs.ratelimit import RateLimitMixin

from .. import services


@method_decorator(login_not_required, name="dispatch")
class ActivityConfirmView(PublicHubMixin, RateLimitMixin, TemplateView):
    template_name = "placements/public/activity_confirm.html"
    ratelimit_group = "placements_activity_confirm"

    def load(self, **kwargs):
        activity = services.activity_from_token(hub=self.hub, token=kwargs["token"])
        if activity is None:
            return self.invalid_link()
        self.activity = type(activity).objects.select_related("path__cooperative", "hub").get(pk=activity.pk)
        return None

    def get(self, request, *args, **kwargs):
        activity = self.activity
        return self.render_to_response(
            self.get_context_data(activity=activity, already=activity.is_confirmed)
        )

    def post(self, request, *args, **kwargs):
        activity = self.activity
        confirmed = services.activity_confirm(activity=activity)
        return self.render_to_response(
            self.get_context_data(activity=activity, confirmed=confirmed, already=not confirmed)
        )

    def get_context_data(self, **kwargs):
        activity = kwargs.get("activity")
        if activity is not None:
            kwargs["hours"] = services.hours_text(activity.hours)
        return super().get_context_data(**kwargs)

    def invalid_link(self):
        return TemplateResponse(
            self.request, "placements/public/link_invalid.html", {"hub": self.hub}, status=404
        )
