"""
An operator's private calendar subscription: the page that makes, renews and stops it, and
the `.ics` feed itself (public: the secret in its URL is the key, as calendar apps need).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from hubs.links import absolute_url
from hubs.models import Hub

from ... import selectors, services
from ...calendar import operator_feed_ics
from ...models import CalendarFeed
from .base import DeskMixin


class CalendarFeedView(DeskMixin, TemplateView):
    """
    The signed-in operator's own feed of this hub: whether it runs, a new address (shown this
    once, the old one stops), or no feed at all. Nobody manages another operator's feed.
    """

    template_name = "desk/backoffice/calendar_feed.html"
    page_title = gettext_lazy("My calendar subscription")
    desk_tab = "calendar"

    def get_context_data(self, **kwargs):
        feed = CalendarFeed.objects.for_hub(self.hub).usable().filter(user=self.request.user).first()
        return super().get_context_data(feed=feed, **kwargs)

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "revoke":
            if services.calendar_feed_revoke(hub=self.hub, user=request.user):
                messages.success(request, _("The subscription is stopped: its address no longer works."))
            return redirect("deskbo:calendar_feed", hub_slug=self.hub.slug)
        feed, token = services.calendar_feed_create(hub=self.hub, user=request.user)
        feed_url = absolute_url("desk:operator_feed", hub_slug=self.hub.slug, token=token)
        webcal = "webcal://" + feed_url.split("://", 1)[1]  # opens the calendar app's "subscribe"
        context = self.get_context_data(new_feed_url=feed_url, new_feed_webcal=webcal)
        response = self.render_to_response(context)
        response["Cache-Control"] = "no-store"  # the address is shown this once
        return response


@method_decorator(login_not_required, name="dispatch")
class OperatorFeedView(View):
    """
    The `.ics` a calendar app subscribes to: the operator's booked sessions, named by service
    and first names only. An unknown, revoked or other hub's token is a 404. Kept private to the
    subscriber's client (no shared cache keeps it).
    """

    def get(self, request, hub_slug: str, token: str):
        hub = get_object_or_404(Hub, slug=hub_slug, is_active=True)
        feed = selectors.calendar_feed_find(hub=hub, token=token)
        if feed is None:
            raise Http404
        slots = selectors.calendar_feed_slots(feed=feed)
        calendar = absolute_url("deskbo:calendar", hub_slug=hub.slug)

        def day_url(slot):
            return f"{calendar}?view=day&date={timezone.localdate(slot.starts_at).isoformat()}"

        response = HttpResponse(
            operator_feed_ics(slots, hub=hub, day_url=day_url), content_type="text/calendar; charset=utf-8"
        )
        response["Cache-Control"] = "private, max-age=900"
        response["Content-Disposition"] = 'inline; filename="sportello.ics"'
        response["X-Robots-Tag"] = "noindex"
        return response
