"""
Meetings of the Cabina di Regia and their decisions.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from hubs.mixins import LoadMixin

from .. import selectors, services
from ..forms import DecisionForm, MeetingForm
from ..models import Decision, Meeting
from .base import GovernanceMixin, ObjectFirstMixin


class MeetingListView(GovernanceMixin, ListView):
    template_name = "governance/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = 25
    page_title = gettext_lazy("Meetings of the Cabina di Regia")
    gov_tab = "meetings"

    def get_queryset(self):
        return selectors.meetings_listed(self.hub)

    def get_context_data(self, **kwargs):
        open_decisions = selectors.decisions_open(self.hub, limit=10)
        return super().get_context_data(open_decisions=open_decisions, today=timezone.localdate(), **kwargs)


class MeetingFormMixin(GovernanceMixin):
    permission = "governance.manage_meetings"
    model = Meeting
    form_class = MeetingForm
    template_name = "governance/meeting_form.html"
    gov_tab = "meetings"
    cancel_url_name = "governance:meeting_list"

    def get_queryset(self):
        return Meeting.objects.for_hub(self.hub)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"hub": self.hub}

    def form_valid(self, form):
        meeting = services.meeting_save(
            meeting=form.save(commit=False),
            hub=self.hub,
            by=self.request.user,
            take_snapshot=bool(form.cleaned_data.get("take_snapshot")),
        )
        messages.success(self.request, _("Meeting saved."))
        return redirect("governance:meeting_detail", hub_slug=self.hub.slug, pk=meeting.pk)


class MeetingCreateView(MeetingFormMixin, CreateView):
    page_title = gettext_lazy("New meeting")

    def get_initial(self):
        return {"date": timezone.localdate()}


class MeetingUpdateView(MeetingFormMixin, UpdateView):
    def get_page_title(self):
        return _("Edit: %(meeting)s") % {"meeting": self.object}


class MeetingDetailView(GovernanceMixin, ObjectFirstMixin, DetailView):
    template_name = "governance/meeting_detail.html"
    context_object_name = "meeting"
    gov_tab = "meetings"
    cancel_url_name = "governance:meeting_list"

    def get_queryset(self):
        return Meeting.objects.for_hub(self.hub).select_related("snapshot")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            decisions=self.object.decisions.select_related("owner"),
            attendees=[line.strip() for line in self.object.attendees.splitlines() if line.strip()],
            today=timezone.localdate(),
            **kwargs,
        )


class DecisionFormMixin(GovernanceMixin):
    permission = "governance.manage_meetings"
    model = Decision
    form_class = DecisionForm
    template_name = "governance/decision_form.html"
    gov_tab = "meetings"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"hub": self.hub, "meeting": self.meeting}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meeting=self.meeting,
            cancel_url=self.hub_url("governance:meeting_detail", pk=self.meeting.pk),
            **kwargs,
        )

    def form_valid(self, form):
        services.decision_save(decision=form.save(commit=False), meeting=self.meeting)
        messages.success(self.request, _("Decision saved."))
        return redirect("governance:meeting_detail", hub_slug=self.hub.slug, pk=self.meeting.pk)


class MeetingFromUrlMixin(LoadMixin):
    """The meeting named in the URL, of this hub (placed after HubMixin, which resolves the hub)."""

    def load(self, **kwargs):
        self.meeting = get_object_or_404(Meeting.objects.for_hub(self.hub), pk=kwargs["meeting_id"])
        return super().load(**kwargs)


class DecisionCreateView(DecisionFormMixin, MeetingFromUrlMixin, CreateView):
    page_title = gettext_lazy("New decision")


class DecisionUpdateView(DecisionFormMixin, ObjectFirstMixin, UpdateView):
    def get_queryset(self):
        return Decision.objects.for_hub(self.hub).select_related("meeting")

    def get_object(self, queryset=None):
        decision = super().get_object(queryset)
        self.meeting = decision.meeting
        return decision

    def get_page_title(self):
        return _("Edit the decision")
