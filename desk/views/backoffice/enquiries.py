"""
Enquiries to the desk and the waiting list.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import (
    DetailView,
    ListView,
)

from ... import selectors, services
from ...forms_backoffice import (
    EnquiryReplyForm,
)
from ...models import Enquiry, WaitlistEntry
from .base import DeskMixin


class EnquiryListView(DeskMixin, ListView):
    template_name = "desk/backoffice/enquiry_list.html"
    context_object_name = "enquiries"
    paginate_by = 25
    page_title = gettext_lazy("Enquiries")
    desk_tab = "enquiries"
    STATUSES = (*Enquiry.Status.values, "all")

    def get_queryset(self):
        status = self.request.GET.get("status")
        self.status = status if status in self.STATUSES else Enquiry.Status.OPEN
        return selectors.enquiries_for_hub(hub=self.hub, status=None if self.status == "all" else self.status)

    def get_context_data(self, **kwargs):
        counts = selectors.enquiry_counts(hub=self.hub)
        counts["all"] = sum(counts.values())
        labels = {**dict(Enquiry.Status.choices), "all": _("All")}
        tabs = [
            {"status": s, "label": labels[s], "count": counts[s], "active": s == self.status}
            for s in self.STATUSES
        ]
        return super().get_context_data(tabs=tabs, status=self.status, **kwargs)


class EnquiryDetailView(DeskMixin, DetailView):
    template_name = "desk/backoffice/enquiry_detail.html"
    context_object_name = "enquiry"
    desk_tab = "enquiries"
    cancel_url_name = "deskbo:enquiry_list"

    def get_queryset(self):
        return Enquiry.objects.for_hub(self.hub).select_related("replied_by", "person")

    def get_context_data(self, **kwargs):
        # The reply starts with the greeting, in the asker's language, for the staff to keep or
        # change: the e-mail is what they wrote, with no second greeting of ours.
        greeting = services.enquiry_reply_greeting(self.object)
        kwargs.setdefault("reply_form", EnquiryReplyForm(initial={"reply": greeting}))
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        self.object = enquiry = self.get_object()
        if request.POST.get("action") == "close":
            services.enquiry_close(enquiry=enquiry)
            messages.success(request, _("Enquiry closed."))
            return redirect(request.path)
        form = EnquiryReplyForm(request.POST)
        if enquiry.status != Enquiry.Status.OPEN:
            messages.error(request, _("This enquiry has been dealt with already."))
            return redirect(request.path)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(reply_form=form))
        services.enquiry_reply(enquiry=enquiry, reply=form.cleaned_data["reply"], by=request.user)
        messages.success(request, _("Reply sent to %(email)s.") % {"email": enquiry.email})
        return redirect(request.path)


class WaitlistView(DeskMixin, ListView):
    template_name = "desk/backoffice/waitlist.html"
    context_object_name = "entries"
    paginate_by = 50
    page_title = gettext_lazy("Waiting list")
    desk_tab = "waitlist"
    ACTIVE = (WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED)

    def get_queryset(self):
        self.show_all = self.request.GET.get("show") == "all"
        qs = selectors.waitlist_for_hub(hub=self.hub).select_related("offered_slot")
        return qs if self.show_all else qs.filter(status__in=self.ACTIVE)

    def get_context_data(self, **kwargs):
        return super().get_context_data(show_all=self.show_all, **kwargs)
