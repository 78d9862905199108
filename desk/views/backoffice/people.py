"""
The people the hub deals with, and one person's record (logged).
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import (
    DetailView,
    ListView,
)

from hubs.journey_registry import timeline
from people.models import CaseNote
from people.services import record_access_log

from ... import selectors, services
from ...forms_backoffice import (
    CaseNoteForm,
)
from .base import DeskMixin


class PersonListView(DeskMixin, ListView):
    """The people this hub deals with (and only them), by name or e-mail."""

    template_name = "desk/backoffice/person_list.html"
    context_object_name = "people"
    paginate_by = 25
    page_title = gettext_lazy("People")
    desk_tab = "people"

    def get_queryset(self):
        self.query = self.request.GET.get("q", "").strip()[:100]
        return selectors.people_search(hub=self.hub, query=self.query)

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, **kwargs)


class PersonRecordView(DeskMixin, DetailView):
    """
    A person's record as this hub knows it: their details, this hub's bookings, waiting-list
    entries, enquiries and private notes — never another hub's. Every opening is logged.
    """

    template_name = "desk/backoffice/person_record.html"
    context_object_name = "person"
    desk_tab = "people"
    cancel_url_name = "deskbo:person_list"

    def get_queryset(self):
        return selectors.people_for_hub(hub=self.hub).select_related("municipality")

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_record(CaseNoteForm())

    def post(self, request, *args, **kwargs):
        self.object = person = self.get_object()
        form = CaseNoteForm(request.POST)
        if not form.is_valid():
            return self.render_record(form)
        services.case_note_create(
            hub=self.hub, person=person, author=request.user, text=form.cleaned_data["text"]
        )
        messages.success(request, _("Note saved."))
        return redirect(request.path)

    def render_record(self, note_form):
        record_access_log(hub=self.hub, person=self.object, user=self.request.user, what="desk.record")
        return self.render_to_response(self.get_context_data(note_form=note_form))

    def get_context_data(self, **kwargs):
        person = self.object
        today = timezone.localdate()
        return super().get_context_data(
            age=person.age_on(today),
            bookings=selectors.bookings_of_person_in_hub(hub=self.hub, person=person),
            waitlist=selectors.waitlist_for_hub(hub=self.hub)
            .filter(person=person)
            .select_related("offered_slot")
            .order_by("-created_at"),
            enquiries=selectors.enquiries_for_hub(hub=self.hub).filter(person=person),
            notes=CaseNote.objects.for_hub(self.hub).filter(person=person).select_related("author"),
            journey=timeline(person, hub=self.hub, membership=self.membership),
            **kwargs,
        )
