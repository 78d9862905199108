"""
The public side of the job fair: the fair's page (programme, exhibitors, opportunities, floor
map; filters in the URL so they can be shared), exhibitors' and young visitors' registration,
a teacher's class list, the guardian's consent, the ticket's page and a stand's page.

Every view is public (`login_not_required`) and rate limits its POSTs (YIP_RATE_LIMITS). The
ticket's page is reached by the opaque token e-mailed to its holder (what the QR holds too);
opening it remembers the ticket in the session, so that the stand's QR, scanned at the fair,
lets its holder share their contact in one tap.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from hubs.forms import add_service_error
from hubs.mixins import PublicHubMixin
from hubs.ratelimit import RateLimitMixin

from .. import selectors, services
from ..forms import ClassForm, ExhibitorRegistrationForm, HelpForm, LeadForm, SurveyForm, VisitorForm
from ..models import Exhibitor, Fair, LeadShare, Registration, Seat
from .floor import floor_map

SESSION_TICKET = "jobfair_ticket"


class InvalidLinkMixin:
    """The friendly page of a link that is not (or no longer) valid: `load()` returns it."""

    def invalid_link(self):
        return TemplateResponse(
            self.request, "jobfair/public/link_invalid.html", {"hub": self.hub}, status=404
        )


class FairPublicMixin(PublicHubMixin, RateLimitMixin, InvalidLinkMixin):
    """A public page of one fair (`pk`): 404 for another hub's; `published_only` for visitors."""

    published_only = True

    def load(self, **kwargs):
        fairs = Fair.objects.for_hub(self.hub)
        if self.published_only:
            fairs = fairs.published()
        self.fair = get_object_or_404(fairs, pk=kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(fair=self.fair, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class FairIndexView(PublicHubMixin, TemplateView):
    """The hub's published fairs, the next first."""

    template_name = "jobfair/public/fair_index.html"

    def get_context_data(self, **kwargs):
        fairs = Fair.objects.for_hub(self.hub).published().order_by("-date")
        return super().get_context_data(fairs=fairs, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class FairView(FairPublicMixin, TemplateView):
    template_name = "jobfair/public/fair.html"

    def get_context_data(self, **kwargs):
        params = self.request.GET
        areas = list(self.fair.areas.all())
        area = params.get("area", "")
        area = area if area in {a.slug for a in areas} else ""
        kinds = selectors.kind_choices()
        kind = params.get("kind", "")
        kind = kind if kind in dict(kinds) else ""
        search = params.get("cerca", "")[:60]
        return super().get_context_data(
            areas=areas,
            kinds=kinds,
            area=area,
            kind=kind,
            filtered=bool(area or kind),
            workshops=selectors.workshops_with_places(fair=self.fair, area=area),
            exhibitors=selectors.public_exhibitors(fair=self.fair, area=area, kind=kind),
            opportunities=selectors.public_opportunities(fair=self.fair, area=area, kind=kind),
            floor=floor_map(self.fair, search=search),
            **kwargs,
        )


@method_decorator(login_not_required, name="dispatch")
class ExhibitorRegisterView(FairPublicMixin, FormView):
    """An organization asks to exhibit (the fair may be a draft still: exhibitors come first)."""

    published_only = False
    template_name = "jobfair/public/exhibitor_register.html"
    form_class = ExhibitorRegistrationForm
    ratelimit_group = "jobfair_exhibitor"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "fair": self.fair}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.exhibitor_register(
                fair=self.fair,
                name=data["name"],
                kind=data["kind"],
                area=data["area"],
                description=data["description"],
                keywords=data["keywords"],
                contact_name=data["contact_name"],
                contact_email=data["email"],
                website=data["website"],
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        return self.render_to_response(self.get_context_data(sent=True))


@method_decorator(login_not_required, name="dispatch")
class VisitorRegisterView(FairPublicMixin, FormView):
    template_name = "jobfair/public/visitor_register.html"
    form_class = VisitorForm
    ratelimit_group = "jobfair_register"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "fair": self.fair}

    def form_valid(self, form):
        data = form.person_data()
        data["guardian_name"] = form.cleaned_data.get("guardian_name", "")
        data["guardian_email"] = form.cleaned_data.get("guardian_email", "")
        data.pop("guardian_consent_at", None)
        needs_guardian = form.needs_guardian()
        if not needs_guardian:
            data.pop("guardian_name")
            data.pop("guardian_email")
        try:
            registration = services.registration_create(
                fair=self.fair, person_data=data, notice_accepted=form.cleaned_data["notice_accepted"]
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        return self.render_to_response(self.get_context_data(done=registration))


@method_decorator(login_not_required, name="dispatch")
class ClassRegisterView(FairPublicMixin, FormView):
    template_name = "jobfair/public/class_register.html"
    form_class = ClassForm
    ratelimit_group = "jobfair_register"

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            group = services.class_register(
                fair=self.fair,
                school=data["school"],
                class_name=data["class_name"],
                teacher_name=data["teacher_name"],
                teacher_email=data["email"],
                names=data["names"],
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        return redirect("jobfair:class_sheet", hub_slug=self.hub.slug, token=group.token)


@method_decorator(login_not_required, name="dispatch")
class ClassSheetView(PublicHubMixin, InvalidLinkMixin, TemplateView):
    """One printable sheet with every student's QR ticket (opaque tokens only)."""

    template_name = "jobfair/public/class_sheet.html"

    def load(self, **kwargs):
        from ..models import ClassGroup

        self.group = (
            ClassGroup.objects.for_hub(self.hub).select_related("fair").filter(token=kwargs["token"]).first()
        )
        if self.group is None:
            return self.invalid_link()
        return None

    def get_context_data(self, **kwargs):
        tickets = [
            {"registration": r, "qr": services.ticket_qr_svg(r)}
            for r in self.group.registrations.order_by("last_name", "first_name")
        ]
        return super().get_context_data(group=self.group, fair=self.group.fair, tickets=tickets, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class GuardianConsentView(PublicHubMixin, RateLimitMixin, InvalidLinkMixin, TemplateView):
    template_name = "jobfair/public/guardian_consent.html"
    ratelimit_group = "jobfair_ticket"

    def load(self, **kwargs):
        self.registration = services.registration_for_guardian_token(hub=self.hub, token=kwargs["token"])
        if self.registration is None or self.registration.person is None:
            return self.invalid_link()
        return None

    def get_context_data(self, **kwargs):
        return super().get_context_data(registration=self.registration, fair=self.registration.fair, **kwargs)

    def post(self, request, *args, **kwargs):
        services.guardian_consent(registration=self.registration)
        self.registration.refresh_from_db()
        return self.render_to_response(self.get_context_data(consented=True))


class TicketMixin(PublicHubMixin, RateLimitMixin, InvalidLinkMixin):
    ratelimit_group = "jobfair_ticket"

    def load(self, **kwargs):
        self.registration = (
            Registration.objects.for_hub(self.hub)
            .select_related("fair", "person", "hub")
            .filter(token=kwargs["token"])
            .exclude(status=Registration.Status.CANCELLED)
            .first()
        )
        if self.registration is None:
            return self.invalid_link()
        self.fair = self.registration.fair
        return None


@method_decorator(login_not_required, name="dispatch")
class TicketView(TicketMixin, TemplateView):
    """The ticket: its QR, the workshops chosen, the contacts shared, "I would like some help"."""

    template_name = "jobfair/public/ticket.html"

    def get(self, request, *args, **kwargs):
        if self.registration.status == Registration.Status.CONFIRMED:
            request.session[SESSION_TICKET] = self.registration.token
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        registration = self.registration
        seats = list(selectors.workshops_of(registration))
        chosen = {seat.workshop_id for seat in seats}
        kwargs.setdefault("help_form", HelpForm())
        return super().get_context_data(
            registration=registration,
            fair=self.fair,
            qr=services.ticket_qr_svg(registration)
            if registration.status == Registration.Status.CONFIRMED
            else "",
            seats=seats,
            workshops=[w for w in selectors.workshops_with_places(fair=self.fair) if w.pk not in chosen],
            leads=registration.leads.filter(revoked_at__isnull=True).select_related(
                "exhibitor__organization"
            ),
            help_requests=registration.help_requests.all(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        registration = self.registration
        try:
            if action == "seat":
                workshop = selectors.workshop_for_fair(
                    fair=self.fair, pk=request.POST.get("workshop", "0") or "0"
                )
                if workshop is None:
                    raise Http404
                seat = services.seat_request(registration=registration, workshop=workshop)
                if seat.status == Seat.Status.CONFIRMED:
                    messages.success(request, _("Your place is booked."))
                else:
                    messages.info(
                        request,
                        _(
                            "The workshop is full: you are on the waiting list. "
                            "If a place frees up, we e-mail you."
                        ),
                    )
            elif action == "cancel_seat":
                seat = get_object_or_404(registration.seats, pk=request.POST.get("seat", "0") or "0")
                services.seat_cancel(seat=seat)
                messages.success(request, _("Done: the place goes to the next in line."))
            elif action == "revoke":
                lead = get_object_or_404(registration.leads, pk=request.POST.get("lead", "0") or "0")
                services.lead_revoke(lead=lead)
                messages.success(request, _("Withdrawn: the exhibitor will no longer see your contact."))
            elif action == "help":
                form = HelpForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(help_form=form))
                services.help_request_create(registration=registration, **form.cleaned_data)
                messages.success(request, _("Thank you: the hub will contact you."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(request.path)


@method_decorator(login_not_required, name="dispatch")
class TicketIcsView(TicketMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        response = HttpResponse(
            services.fair_ics(self.fair, f"fair-{self.registration.pk}"),
            content_type="text/calendar; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="fiera.ics"'
        return response


@method_decorator(login_not_required, name="dispatch")
class StandView(PublicHubMixin, RateLimitMixin, InvalidLinkMixin, FormView):
    """
    A stand's page, reached by the QR at the stand: who they are, what they offer, and the
    choice to share one's contact with them (never taken: the young person gives it).
    """

    template_name = "jobfair/public/stand.html"
    form_class = LeadForm
    ratelimit_group = "jobfair_ticket"

    def load(self, **kwargs):
        self.exhibitor = (
            Exhibitor.objects.for_hub(self.hub)
            .approved()
            .select_related("fair", "organization", "area", "stand")
            .filter(token=kwargs["token"], fair__status=Fair.Status.PUBLISHED)
            .first()
        )
        if self.exhibitor is None:
            return self.invalid_link()
        token = self.request.session.get(SESSION_TICKET)
        self.registration = (
            Registration.objects.for_hub(self.hub)
            .confirmed()
            .select_related("person")
            .filter(token=token, fair=self.exhibitor.fair)
            .first()
            if token
            else None
        )
        return None

    def get_context_data(self, **kwargs):
        shared = None
        if self.registration:
            shared = LeadShare.objects.filter(
                registration=self.registration, exhibitor=self.exhibitor, revoked_at__isnull=True
            ).first()
        return super().get_context_data(
            exhibitor=self.exhibitor,
            fair=self.exhibitor.fair,
            registration=self.registration,
            shared=shared,
            opportunities=self.exhibitor.opportunities.current(),
            **kwargs,
        )

    def form_valid(self, form):
        if self.registration is None:
            raise Http404
        try:
            services.lead_share(registration=self.registration, exhibitor=self.exhibitor, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Shared: %(name)s can contact you.") % {"name": self.exhibitor})
        return redirect(self.request.path)


@method_decorator(login_not_required, name="dispatch")
class SeatClaimView(PublicHubMixin, RateLimitMixin, InvalidLinkMixin, TemplateView):
    template_name = "jobfair/public/seat_claim.html"
    ratelimit_group = "jobfair_ticket"

    def load(self, **kwargs):
        self.seat = services.seat_for_claim_token(hub=self.hub, token=kwargs["token"])
        if self.seat is None:
            return self.invalid_link()
        return None

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            seat=self.seat, workshop=self.seat.workshop, fair=self.seat.workshop.fair, **kwargs
        )

    def post(self, request, *args, **kwargs):
        try:
            services.seat_claim(seat=self.seat)
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(error=" ".join(error.messages)))
        self.seat.refresh_from_db()
        return self.render_to_response(self.get_context_data(claimed=True))


@method_decorator(login_not_required, name="dispatch")
class SurveyView(PublicHubMixin, RateLimitMixin, InvalidLinkMixin, FormView):
    """The survey after the fair, reached by its e-mailed link; answered once."""

    template_name = "jobfair/public/survey.html"
    form_class = SurveyForm
    ratelimit_group = "jobfair_ticket"

    def load(self, **kwargs):
        from ..models import SurveyInvite

        self.invite = (
            SurveyInvite.objects.for_hub(self.hub)
            .select_related("fair")
            .filter(token=kwargs["token"])
            .first()
        )
        if self.invite is None:
            return self.invalid_link()
        return None

    def get_context_data(self, **kwargs):
        return super().get_context_data(invite=self.invite, fair=self.invite.fair, **kwargs)

    def form_valid(self, form):
        try:
            services.survey_answer(invite=self.invite, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        self.invite.refresh_from_db()
        return self.render_to_response(self.get_context_data(form=form))
