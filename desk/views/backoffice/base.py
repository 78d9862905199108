"""
What every back-office page of the desk shares: the section tabs, the hub mixin, slot labels,
and the report of a slot sync after a change of availability.
"""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from hubs.mixins import HubMixin
from hubs.navigation import section_tabs

from ... import services
from ...models import Slot

# The desk's own tabs (key, title, URL name), each shown to whoever may open its page.
TABS = (
    ("today", gettext_lazy("Today"), "deskbo:today"),
    ("calendar", gettext_lazy("Calendar"), "deskbo:calendar"),
    ("availability", gettext_lazy("Availability"), "deskbo:rule_list"),
    ("people", gettext_lazy("People"), "deskbo:person_list"),
    ("enquiries", gettext_lazy("Enquiries"), "deskbo:enquiry_list"),
    ("waitlist", gettext_lazy("Waiting list"), "deskbo:waitlist"),
    ("services", gettext_lazy("Services"), "deskbo:service_list"),
    ("export", gettext_lazy("Export"), "deskbo:export"),
    ("settings", gettext_lazy("Settings"), "deskbo:settings"),
)


class DeskMixin(HubMixin):
    """HubMixin for the desk: the hub's staff ("desk.manage") by default, the desk's tabs."""

    permission = "desk.manage"
    cancel_url_name = "deskbo:calendar"
    desk_tab = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["section_tabs"] = section_tabs(self.hub, self.membership, TABS, self.desk_tab)
        return context


def slot_label(slot: Slot) -> str:
    start = timezone.localtime(slot.starts_at)
    operator = slot.operator.get_full_name() or slot.operator.email
    return f"{formats.date_format(start, 'D j/n')} {start:%H:%M} · {slot.service.name} · {operator}"


def report_sync(request, hub, result: dict) -> None:
    """Tell the staff what slots_sync did; booked slots that no longer fit are listed, kept."""
    messages.info(
        request,
        _("Sessions updated: %(created)s added, %(removed)s removed.")
        % {"created": result["created"], "removed": result["removed"]},
    )
    conflicts = result["conflicts"]
    if not conflicts:
        return
    calendar = reverse("deskbo:calendar", kwargs={"hub_slug": hub.slug})
    items = format_html_join(
        "",
        '<li><a href="{}?view=day&amp;date={}">{}</a> ({})</li>',
        (
            (
                calendar,
                timezone.localdate(slot.starts_at).isoformat(),
                slot_label(slot),
                ngettext("%(n)s booked", "%(n)s booked", slot.booked) % {"n": slot.booked},
            )
            for slot in conflicts
        ),
    )
    messages.warning(
        request,
        format_html(
            '<strong>{}</strong> {}<ul class="mb-0 mt-2">{}</ul>',
            ngettext(
                "%(n)s booked session no longer matches the availability.",
                "%(n)s booked sessions no longer match the availability.",
                len(conflicts),
            )
            % {"n": len(conflicts)},
            _("They are kept with their bookings: call the people booked, then cancel or hold each session."),
            items,
        ),
    )


class SyncPostMixin:
    """A POST runs slots_sync for the hub (the "Generate sessions" button) and comes back."""

    def post(self, request, *args, **kwargs):
        report_sync(request, self.hub, services.slots_sync(hub=self.hub))
        return HttpResponseRedirect(request.get_full_path())


class DeskFormMixin(DeskMixin):
    """
    Create/update of a desk row of this hub. Each subclass defines `save(obj) -> dict`, which
    calls the row's service and returns what slots_sync did, for the message.
    """

    template_name = "desk/backoffice/object_form.html"
    success_url_name = "deskbo:rule_list"
    success_message = ""
    intro = ""

    def get_queryset(self):
        return self.model.objects.for_hub(self.hub)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"hub": self.hub}

    def get_context_data(self, **kwargs):
        return super().get_context_data(intro=self.intro, **kwargs)

    def form_valid(self, form):
        obj = form.save(commit=False)
        obj.hub = self.hub
        result = self.save(obj)
        messages.success(self.request, self.success_message)
        report_sync(self.request, self.hub, result)
        return redirect(self.success_url_name, hub_slug=self.hub.slug)
