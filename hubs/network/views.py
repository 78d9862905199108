"""
Pages of the network level (action 1).

Back office (`/backoffice/<hub>/rete/…`, HubMixin): the network's page, the hub's joining and
quality self-assessment, referrals sent and received, the shared library; for the regional
coordinator, approvals, the checklist, the comparison of hubs and the observatory export. Pages
of the coordinator name no hub's object in the URL (a hub of the network is chosen in a form),
so an id never crosses hubs. Public: the regional catalogue, its hand-off to a hub's own booking
page, the young person's consent page and the observatory's JSON Schema.
"""

import json
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView, UpdateView

from hubs import exports
from hubs.catalogue_registry import handoff_mark
from hubs.forms import FieldGroup, add_service_error
from hubs.journey_registry import timeline
from hubs.mixins import HubMixin
from hubs.models import Hub
from hubs.navigation import section_tabs
from hubs.ratelimit import RateLimitMixin
from people.models import Person

from . import observatory, selectors, services
from .forms import (
    AdoptionForm,
    AssessmentForm,
    CatalogueSearchForm,
    CriteriaForm,
    DecisionForm,
    JoinForm,
    OutcomeForm,
    ReferralForm,
    TerritoryFigureForm,
    ToolPublishForm,
)
from .models import LibraryVersion, NetworkMembership, ObservatoryExport, Referral

TABS = [
    ("overview", gettext_lazy("Network"), "network:overview"),
    ("referrals", gettext_lazy("Referrals"), "network:referral_list"),
    ("library", gettext_lazy("Shared library"), "network:library"),
    ("quality", gettext_lazy("Joining and quality"), "network:join"),
    ("approvals", gettext_lazy("Coordination"), "network:approvals"),
    ("compare", gettext_lazy("Compare hubs"), "network:compare"),
    ("equity", gettext_lazy("Equity"), "network:equity"),
    ("observatory", gettext_lazy("Observatory"), "network:observatory"),
]


class NetworkMixin(HubMixin):
    network_tab = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["section_tabs"] = section_tabs(self.hub, self.membership, TABS, self.network_tab)
        return context


# --- The network's page ---------------------------------------------------------------------


class OverviewView(NetworkMixin, TemplateView):
    permission = "hubs.view_regional_system"
    template_name = "hubs/network/overview.html"
    page_title = gettext_lazy("Regional coordinated system")
    network_tab = "overview"

    def get_context_data(self, **kwargs):
        members = list(selectors.network_members(network=self.hub.network))
        labels = selectors.labels_of([m.hub for m in members] + [self.hub])
        own = NetworkMembership.objects.for_hub(self.hub).first()
        return super().get_context_data(
            members=[(m, labels.get(m.hub_id)) for m in members],
            own=own,
            own_assessment=labels.get(self.hub.pk),
            **kwargs,
        )


# --- Joining and quality --------------------------------------------------------------------


class JoinView(NetworkMixin, FormView):
    permission = "hubs.join_network"
    template_name = "hubs/network/join.html"
    page_title = gettext_lazy("Joining the network")
    network_tab = "quality"
    form_class = JoinForm

    def get_form_kwargs(self):
        own = NetworkMembership.objects.for_hub(self.hub).first()
        kwargs = super().get_form_kwargs() | {"instance": own}
        if own is None:
            kwargs["initial"] = {"joined_on": timezone.localdate(), "contact_email": self.hub.email}
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            own=NetworkMembership.objects.for_hub(self.hub).first(),
            assessment=selectors.labels_of([self.hub]).get(self.hub.pk),
            **kwargs,
        )

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.network_join(hub=self.hub, data=data)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your hub's joining is saved."))
        return redirect("network:join", hub_slug=self.hub.slug)


class AssessmentView(NetworkMixin, FormView):
    permission = "hubs.join_network"
    template_name = "hubs/network/assessment.html"
    page_title = gettext_lazy("Quality self-assessment")
    network_tab = "quality"

    def get_form(self, form_class=None):
        criteria = selectors.criteria_for(network=self.hub.network)
        return AssessmentForm(self.request.POST or None, criteria=criteria)

    def form_valid(self, form):
        try:
            assessment = services.assessment_submit(
                hub=self.hub, met=form.met(), total=len(form.criteria), by=self.request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        if assessment.label_until:
            messages.success(
                self.request,
                _("Score %(score)s %%: your hub holds the network's label until %(until)s.")
                % {"score": assessment.score, "until": assessment.label_until.strftime("%d/%m/%Y")},
            )
        else:
            messages.warning(
                self.request,
                _("Score %(score)s %%: the label needs at least 70 %%.") % {"score": assessment.score},
            )
        return redirect("network:join", hub_slug=self.hub.slug)


# --- The regional coordinator ---------------------------------------------------------------


class ApprovalsView(NetworkMixin, TemplateView):
    """Hubs that asked to join, to approve; the checklist's criteria."""

    permission = "hubs.coordinate_network"
    template_name = "hubs/network/approvals.html"
    page_title = gettext_lazy("Coordination of the network")
    network_tab = "approvals"

    def pending(self):
        return NetworkMembership.objects.filter(
            hub__network=self.hub.network, approved_at__isnull=True, hub__is_active=True
        ).select_related("hub")

    def get_context_data(self, **kwargs):
        criteria = selectors.criteria_for(network=self.hub.network)
        kwargs.setdefault(
            "criteria_form", CriteriaForm(initial={"criteria": "\n".join(c.text for c in criteria)})
        )
        return super().get_context_data(
            pending=self.pending(),
            members=selectors.network_members(network=self.hub.network),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if "criteria" in request.POST:
            form = CriteriaForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(criteria_form=form))
            services.criteria_set(network=self.hub.network, texts=form.cleaned_data["criteria"].splitlines())
            messages.success(request, _("The quality checklist is saved."))
        else:
            membership = get_object_or_404(self.pending(), pk=request.POST.get("membership") or 0)
            services.network_approve(membership=membership, by=request.user)
            messages.success(
                request, _("%(hub)s is now a member of the network.") % {"hub": membership.hub.name}
            )
        return redirect("network:approvals", hub_slug=self.hub.slug)


def _period(request) -> tuple[date, date]:
    """The period asked for (?year=2026), by default the current year up to today."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2000), today.year)
    return date(year, 1, 1), min(date(year, 12, 31), today)


class CompareView(NetworkMixin, TemplateView):
    permission = "hubs.coordinate_network"
    template_name = "hubs/network/compare.html"
    page_title = gettext_lazy("Hubs side by side")
    network_tab = "compare"

    def get_context_data(self, **kwargs):
        start, end = _period(self.request)
        table = selectors.comparison(network=self.hub.network, start=start, end=end)
        return super().get_context_data(table=table, year=start.year, **kwargs)


class EquityView(NetworkMixin, FormView):
    """
    Equity (for the Cabina di Regia): per sub-area, the young people the hub reached and the
    share of them NEET and with low schooling, beside the territory's figures; the hub's
    coordinator enters those figures (with source and year) on the same page.
    """

    permission = "hubs.view_regional_system"
    template_name = "hubs/network/equity.html"
    page_title = gettext_lazy("Equity: whom the hub reaches")
    network_tab = "equity"
    form_class = TerritoryFigureForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"hub": self.hub}

    def get_context_data(self, **kwargs):
        start, end = _period(self.request)
        return super().get_context_data(
            lines=selectors.equity(hub=self.hub, start=start, end=end),
            year=start.year,
            start=start,
            end=end,
            may_enter=self.membership.can("hubs.manage_territory"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not self.membership.can("hubs.manage_territory"):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.territory_figure_save(hub=self.hub, by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Figure of the territory saved."))
        return redirect("network:equity", hub_slug=self.hub.slug)


class ObservatoryView(NetworkMixin, TemplateView):
    """The export for the regional observatory: this year's, or a stored month's (?month=YYYY-MM)."""

    permission = "hubs.coordinate_network"
    template_name = "hubs/network/observatory.html"
    page_title = gettext_lazy("Export for the regional observatory")
    network_tab = "observatory"

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format")
        if fmt not in {"csv", "json"}:
            return super().get(request, *args, **kwargs)
        month = request.GET.get("month")
        if month:
            try:
                first = date.fromisoformat(f"{month}-01")
            except ValueError:
                raise Http404 from None
            stored = get_object_or_404(ObservatoryExport, network=self.hub.network, month=first)
            data, name = stored.data, f"osservatorio-{self.hub.network.slug}-{month}"
        else:
            start, end = _period(request)
            data = observatory.build(network=self.hub.network, start=start, end=end)
            name = f"osservatorio-{self.hub.network.slug}-{start.year}"
        if fmt == "json":
            response = HttpResponse(
                json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.json"'
            return response
        return exports.response(observatory.csv_dataset(data), format=exports.CSV, filename=name, excel=False)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            stored=ObservatoryExport.objects.filter(network=self.hub.network).only("month", "created_at")[
                :24
            ],
            schema_url=observatory.schema_url(),
            dictionary=observatory.dictionary(),
            **kwargs,
        )


# --- Referrals ------------------------------------------------------------------------------


class ReferralListView(NetworkMixin, TemplateView):
    permission = "hubs.refer"
    template_name = "hubs/network/referral_list.html"
    page_title = gettext_lazy("Referrals between hubs")
    network_tab = "referrals"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sent=selectors.referrals_sent(hub=self.hub)[:100],
            received=selectors.referrals_received(hub=self.hub)[:100],
            approved=selectors.is_approved(self.hub),
            **kwargs,
        )


class ReferralCreateView(NetworkMixin, FormView):
    permission = "hubs.refer"
    template_name = "hubs/network/referral_form.html"
    page_title = gettext_lazy("Refer a young person to another hub")
    network_tab = "referrals"
    cancel_url_name = "network:referral_list"
    form_class = ReferralForm

    def get_form_kwargs(self):
        hubs = selectors.network_hubs(network=self.hub.network).exclude(pk=self.hub.pk)
        return super().get_form_kwargs() | {"hubs": hubs}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["main_fields"] = FieldGroup(form, ["email", "to_hub", "service", "purpose"])
        context["expiry_fields"] = FieldGroup(form, ["expires_on"])
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        person = Person.objects.for_hub(self.hub).filter(email=data["email"].strip().lower()).first()
        if person is None:
            form.add_error("email", _("Your hub has no young person with this e-mail."))
            return self.form_invalid(form)
        try:
            referral = services.referral_propose(
                hub=self.hub,
                to_hub=data["to_hub"],
                service=data["service"],
                person=person,
                purpose=data["purpose"],
                items=data["items"],
                expires_on=data["expires_on"],
                by=self.request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The young person has been asked for consent by e-mail."))
        return redirect("network:referral_detail", hub_slug=self.hub.slug, pk=referral.pk)


class ReferralDetailView(NetworkMixin, TemplateView):
    """
    The sender sees the referral's status and outcome; the receiving hub sees it only with a live
    consent, and then only the consented items. Every opening is in the access log.
    """

    permission = "hubs.refer"
    template_name = "hubs/network/referral_detail.html"
    network_tab = "referrals"

    def load(self, **kwargs):
        found = selectors.referral_for(hub=self.hub, pk=kwargs["pk"])
        if found is None:
            raise Http404
        self.referral, self.is_sender = found

    def get_page_title(self):
        return _("Referral to %(hub)s") % {"hub": self.referral.to_hub.name}

    def get(self, request, *args, **kwargs):
        services.referral_view_log(referral=self.referral, hub=self.hub, user=request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        referral = self.referral
        receiving = not self.is_sender
        kwargs.setdefault("decision_form", DecisionForm())
        kwargs.setdefault("outcome_form", OutcomeForm())
        return super().get_context_data(
            referral=referral,
            is_sender=self.is_sender,
            items=selectors.shared_items(referral) if receiving else None,
            can_decide=receiving and referral.status == Referral.Status.CONSENTED,
            can_complete=receiving and referral.status == Referral.Status.ACCEPTED,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if self.is_sender:
            raise Http404
        services.referral_view_log(referral=self.referral, hub=self.hub, user=request.user)
        try:
            if "outcome" in request.POST:
                form = OutcomeForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(outcome_form=form))
                services.referral_complete(
                    referral=self.referral, outcome=form.cleaned_data["outcome"], by=request.user
                )
            else:
                form = DecisionForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(decision_form=form))
                services.referral_decide(
                    referral=self.referral,
                    accept=form.cleaned_data["decision"] == "accept",
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Referral updated."))
        return redirect(request.path)


@method_decorator(login_not_required, name="dispatch")
class ReferralConsentView(RateLimitMixin, TemplateView):
    """
    The young person's page, reached from the e-mailed link: the purpose, the receiving hub, the
    data shared and the expiry; they consent or refuse, and later may revoke from the same link.
    """

    template_name = "hubs/network/referral_consent.html"
    ratelimit_group = "referral_consent"

    def dispatch(self, request, *args, **kwargs):
        limited = self.check_before_load(request)  # a flood of made-up links is counted too
        if limited is not None:
            return limited
        self.referral = services.referral_by_token(kwargs["token"])
        if self.referral is None:
            return self.render_to_response({"invalid": True}, status=404)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(referral=self.referral, **kwargs)

    def post(self, request, *args, **kwargs):
        answer = request.POST.get("answer")
        try:
            if answer == "revoke":
                services.referral_revoke(referral=self.referral)
                messages.success(
                    request, _("Your consent is revoked: the receiving hub no longer sees your data.")
                )
            elif answer in {"consent", "refuse"}:
                services.referral_consent(referral=self.referral, consent=answer == "consent")
                if answer == "consent":
                    messages.success(request, _("Thank you: the receiving hub will contact you."))
                else:
                    messages.success(request, _("Nothing has been shared."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(request.path)


# --- The regional catalogue (public) --------------------------------------------------------


@method_decorator(login_not_required, name="dispatch")
class CatalogueView(TemplateView):
    """Every approved hub's services, searchable; online and nearest first with a municipality."""

    template_name = "hubs/network/catalogue.html"

    def get_context_data(self, **kwargs):
        form = CatalogueSearchForm(self.request.GET or None)
        query, municipality = "", None
        if form.is_valid():
            query, municipality = form.cleaned_data["q"], form.cleaned_data["municipality"]
        entries = selectors.catalogue_search(network=None, query=query, municipality=municipality)
        return super().get_context_data(form=form, entries=entries, searched=bool(self.request.GET), **kwargs)


@method_decorator(login_not_required, name="dispatch")
class CatalogueBookView(View):
    """Counts the hand-off, then sends the young person to the hub's own booking page."""

    def get(self, request, hub_slug, key):
        hub = get_object_or_404(Hub, slug=hub_slug, is_active=True)
        entry = selectors.catalogue_entry(hub=hub, key=key)
        if entry is None or not entry.book_url:
            raise Http404
        services.catalogue_handoff_record(hub=hub, entry_key=key)
        handoff_mark(request, hub)  # the hub's desk marks the booking made from here
        return redirect(entry.book_url)


@method_decorator(login_not_required, name="dispatch")
class ObservatorySchemaView(View):
    def get(self, request):
        return JsonResponse(observatory.SCHEMA, json_dumps_params={"indent": 2})


# --- The shared library ---------------------------------------------------------------------


class LibraryView(NetworkMixin, TemplateView):
    permission = "hubs.use_library"
    template_name = "hubs/network/library.html"
    page_title = gettext_lazy("Shared library")
    network_tab = "library"

    def get_context_data(self, **kwargs):
        return super().get_context_data(rows=selectors.library_for(hub=self.hub), **kwargs)

    def post(self, request, *args, **kwargs):
        version = get_object_or_404(
            LibraryVersion.objects.filter(tool__network_id=self.hub.network_id),
            pk=request.POST.get("version") or 0,
        )
        services.tool_adopt(hub=self.hub, version=version)
        messages.success(
            request, _("“%(tool)s” adopted: your hub has its own copy.") % {"tool": version.tool.title}
        )
        return redirect("network:library", hub_slug=self.hub.slug)


class ToolPublishView(NetworkMixin, FormView):
    permission = "hubs.coordinate_network"
    template_name = "hubs/object_form.html"
    page_title = gettext_lazy("Publish in the shared library")
    network_tab = "library"
    cancel_url_name = "network:library"

    def get_form(self, form_class=None):
        return ToolPublishForm(self.request.POST or None, network=self.hub.network)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.tool_publish(
                network=self.hub.network,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                changes=data["changes"],
                tool=data["tool"],
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Published in the shared library."))
        return redirect("network:library", hub_slug=self.hub.slug)


class AdoptionUpdateView(NetworkMixin, UpdateView):
    permission = "hubs.use_library"
    template_name = "hubs/object_form.html"
    form_class = AdoptionForm
    network_tab = "library"
    cancel_url_name = "network:library"

    def get_queryset(self):
        return selectors.adoptions_for(hub=self.hub)

    def form_valid(self, form):
        services.adoption_adapt(adoption=self.get_object(), body=form.cleaned_data["body"])
        messages.success(self.request, _("Your hub's copy is saved."))
        return redirect("network:library", hub_slug=self.hub.slug)


# --- The young person's own journey ("my area") ---------------------------------------------


class MyJourneyView(TemplateView):
    """A signed-in young person's timeline across every hub and action, from their own records."""

    template_name = "hubs/network/my_journey.html"

    def get_context_data(self, **kwargs):
        from allauth.account.models import EmailAddress
        from django.db.models import Q

        user = self.request.user
        verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
        people = Person.objects.filter(
            Q(user=user) | Q(email__in=[e.lower() for e in verified]), erased_at__isnull=True
        )
        entries = [entry for person in people[:20] for entry in timeline(person)]
        return super().get_context_data(journey=sorted(entries, key=lambda e: e.day, reverse=True), **kwargs)
