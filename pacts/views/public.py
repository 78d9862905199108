"""
The public side of the youth pacts.

- Anyone (`login_not_required`): the page of the hub's pacts (every sub-area, with "no pact yet"
  where there is none) and the page of each signed pact: the idea, the state, % of actions done,
  budget spent, young people involved (a number), the next action, the path from proposal to
  results. The numbers are the back office's (pacts.selectors). No young person is named there.
- Anyone, rate-limited: register for a signed pact's coming meeting (name, e-mail, date of
  birth; a guardian's consent under the consent age), cancel it by the e-mailed link, and, on
  the meeting's day, mark themselves present by the QR code shown at the meeting.
- A signed-in young person: their group's proposals. They write one, invite co-authors by
  e-mail, submit it, and answer a request for additions. A proposal of another group, or an
  invitation link that is not (or no longer) valid, leads back to "my proposals" with a message:
  nothing about someone else's proposal is shown.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from hubs.forms import add_service_error
from hubs.mixins import PublicHubMixin
from hubs.ratelimit import RateLimitMixin

from .. import selectors, services
from ..forms import AcceptForm, InviteForm, MeetingRegistrationForm, ProposalForm, ProposerForm
from ..models import Pact, PactMeeting, TimelineEntry
from .backoffice import photo_response


@method_decorator(login_not_required, name="dispatch")
class PublicBoardView(PublicHubMixin, TemplateView):
    template_name = "pacts/public/board.html"

    def get_context_data(self, **kwargs):
        rows = selectors.board(hub=self.hub)
        public = set(Pact.objects.for_hub(self.hub).public().values_list("pk", flat=True))
        for row in rows:
            row["public"] = row["pact"] is not None and row["pact"].pk in public
        return super().get_context_data(rows=rows, signed=len([r for r in rows if r["public"]]), **kwargs)


@method_decorator(login_not_required, name="dispatch")
class PublicPactView(PublicHubMixin, TemplateView):
    template_name = "pacts/public/pact.html"

    def load(self, **kwargs):
        self.pact = get_object_or_404(
            Pact.objects.for_hub(self.hub).public().select_related("sub_area"), pk=kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        pact = self.pact
        return super().get_context_data(
            pact=pact,
            figures=selectors.figures_for([pact.pk])[pact.pk],
            actions=list(pact.actions.all()),
            next_action=selectors.next_action(pact),
            next_meeting=selectors.next_meeting(pact),
            open_meetings=[m for m in selectors.meetings_to_come(pact) if services.registration_open(m)],
            meetings_held=pact.meetings.filter(closed_at__isnull=False).count(),
            timeline=list(pact.entries.all()),
            partners=list(pact.partners.all()),
            variations=list(pact.variations.all()),
            **kwargs,
        )


@method_decorator(login_not_required, name="dispatch")
class TimelinePhotoView(PublicHubMixin, View):
    """A photo of a public pact's timeline (media is not routed: only through here)."""

    def load(self, **kwargs):
        self.entry = get_object_or_404(
            TimelineEntry.objects.for_hub(self.hub).filter(pact__in=Pact.objects.for_hub(self.hub).public()),
            pk=kwargs["pk"],
        )

    def get(self, request, *args, **kwargs):
        return photo_response(self.entry)


class MyProposalsView(PublicHubMixin, TemplateView):
    template_name = "pacts/public/my_proposals.html"

    def get_context_data(self, **kwargs):
        pacts = selectors.pacts_of_user(hub=self.hub, user=self.request.user).select_related("sub_area")
        return super().get_context_data(pacts=pacts, **kwargs)


class ProposalCreateView(PublicHubMixin, FormView):
    template_name = "pacts/public/proposal_form.html"
    form_class = ProposerForm

    def get_initial(self):
        return {"name": self.request.user.get_full_name()}

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"hub": self.hub}

    def form_valid(self, form):
        try:
            fields = {name: form.cleaned_data[name] for name in services.PROPOSAL_FIELDS}
            pact = services.proposal_create(
                hub=self.hub, user=self.request.user, proposer=form.proposer_data(), **fields
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Draft saved. Invite your co-authors, then submit it."))
        return redirect("pacts:proposal_update", hub_slug=self.hub.slug, pk=pact.pk)


class _OwnProposal(PublicHubMixin):
    """The signed-in user's group's proposal (`self.pact`), or back to "my proposals"."""

    def load(self, **kwargs):
        self.pact = (
            selectors.pacts_of_user(hub=self.hub, user=self.request.user).filter(pk=kwargs["pk"]).first()
        )
        if self.pact is None:
            messages.error(self.request, _("This proposal is not among yours."))
            return redirect("pacts:my_proposals", hub_slug=self.hub.slug)
        return None


class ProposalUpdateView(_OwnProposal, FormView):
    """The group's page of its proposal: edit, invite, submit; the state and the hub's answers."""

    template_name = "pacts/public/proposal_form.html"
    form_class = ProposalForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"hub": self.hub, "instance": Pact.objects.get(pk=self.pact.pk)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            pact=self.pact,
            members=list(self.pact.members.all()),
            invite_form=InviteForm(),
            **kwargs,
        )

    def form_valid(self, form):
        data = {
            name: form.cleaned_data[name] for name in services.PROPOSAL_FIELDS if name in form.cleaned_data
        }
        try:
            services.proposal_update(pact=self.pact, **data)
            if "submit" in self.request.POST:
                services.proposal_submit(pact=self.pact)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        if "submit" in self.request.POST:
            messages.success(self.request, _("Proposal submitted: the hub answers within 30 days."))
        else:
            messages.success(self.request, _("Proposal saved."))
        return redirect("pacts:proposal_update", hub_slug=self.hub.slug, pk=self.pact.pk)


class MemberInviteView(RateLimitMixin, _OwnProposal, View):
    ratelimit_group = "pacts_invite"

    def post(self, request, *args, **kwargs):
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                services.member_invite(pact=self.pact, email=form.cleaned_data["email"], by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Invitation sent. The co-author appears once they accept."))
        else:
            messages.error(request, _("Enter a valid e-mail address."))
        return redirect("pacts:proposal_update", hub_slug=self.hub.slug, pk=self.pact.pk)

    def get(self, request, *args, **kwargs):
        return redirect("pacts:proposal_update", hub_slug=self.hub.slug, pk=self.pact.pk)


class MemberAcceptView(RateLimitMixin, PublicHubMixin, FormView):
    """The invited co-author, signed in with the invited address, joins the group."""

    template_name = "pacts/public/member_accept.html"
    form_class = AcceptForm
    ratelimit_group = "pacts_invite"

    def load(self, **kwargs):
        self.member = services.member_from_token(hub=self.hub, token=kwargs["token"])
        if self.member is None:
            messages.error(self.request, _("This invitation link is not valid, or it has been used already."))
            return redirect("pacts:my_proposals", hub_slug=self.hub.slug)
        return None

    def get_initial(self):
        return {"name": self.request.user.get_full_name()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            member=self.member, pact=self.member.pact, consent_age=settings.YIP_CONSENT_AGE, **kwargs
        )

    def form_valid(self, form):
        try:
            services.member_accept(member=self.member, user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("You are a co-author of the proposal."))
        return redirect("pacts:proposal_update", hub_slug=self.hub.slug, pk=self.member.pact_id)


@method_decorator(login_not_required, name="dispatch")
class MeetingRegisterView(RateLimitMixin, PublicHubMixin, FormView):
    """A young person registers for a coming meeting of a signed pact (404 for any other)."""

    template_name = "pacts/public/meeting_register.html"
    form_class = MeetingRegistrationForm
    ratelimit_group = "pacts_meeting"

    def load(self, **kwargs):
        self.meeting = get_object_or_404(
            PactMeeting.objects.for_hub(self.hub)
            .filter(pact__in=Pact.objects.for_hub(self.hub).public())
            .select_related("pact", "hub"),
            pk=kwargs["pk"],
        )

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"meeting": self.meeting, "hub": self.hub}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meeting=self.meeting,
            pact=self.meeting.pact,
            open=services.registration_open(self.meeting),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            row = services.registration_create(meeting=self.meeting, person_data=form.person_data())
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        return self.render_to_response(self.get_context_data(form=form, done=row))


@method_decorator(login_not_required, name="dispatch")
class RegistrationCancelView(RateLimitMixin, PublicHubMixin, TemplateView):
    """The e-mailed link: GET asks, POST cancels. A link not (or no longer) valid says so."""

    template_name = "pacts/public/registration_cancel.html"
    ratelimit_group = "pacts_meeting"

    def load(self, **kwargs):
        self.row = services.registration_from_token(hub=self.hub, token=kwargs["token"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(row=self.row, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.row is None:
            return self.get(request, *args, **kwargs)
        try:
            services.registration_cancel(registration=self.row)
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(error=" ".join(error.messages)))
        return self.render_to_response(self.get_context_data(cancelled=True))


@method_decorator(login_not_required, name="dispatch")
class MeetingCheckinView(RateLimitMixin, PublicHubMixin, FormView):
    """
    What the meeting's QR code opens: the young person says who they are and is marked present
    (once, however many times). Outside the meeting's window, or with a token that is not
    valid, the page says the code works only during the meeting.
    """

    template_name = "pacts/public/meeting_checkin.html"
    form_class = MeetingRegistrationForm
    ratelimit_group = "pacts_meeting"

    def load(self, **kwargs):
        self.meeting = services.meeting_from_qr(hub=self.hub, token=kwargs["token"])
        if self.meeting is None:
            return self.render_to_response(self.get_context_data(meeting=None))
        return None

    def get_form(self, form_class=None):
        if self.meeting is None:
            return None
        return super().get_form(form_class)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"meeting": self.meeting, "hub": self.hub}

    def get_context_data(self, **kwargs):
        kwargs.setdefault("meeting", self.meeting)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            row = services.meeting_checkin(meeting=self.meeting, person_data=form.person_data())
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        return self.render_to_response(self.get_context_data(form=form, done=row))
