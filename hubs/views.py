"""Public pages of the network and its hubs, and the hub's back office (territory, members)."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import (
    CreateView,
    DetailView,
    FormView,
    ListView,
    TemplateView,
    UpdateView,
)

from . import selectors, services
from .catalogue_registry import entries_for
from .forms import (
    AntennaForm,
    HubSettingsForm,
    InvitationForm,
    InvitationSignupForm,
    MembershipForm,
    MyOrganizationForm,
    OrganizationForm,
    SubAreaForm,
    add_service_error,
)
from .mixins import HubMixin, PublicHubMixin
from .models import Antenna, Invitation, Membership, Organization, SubArea
from .navigation import ACTIONS_BY_SLUG, hub_links, landing_url, personal_links
from .pagecache import PublicPageCacheMixin
from .permissions import objects_for_user
from .ratelimit import RateLimitMixin
from .search_registry import search

# --- Public pages ------------------------------------------------------------------------


@method_decorator(login_not_required, name="dispatch")
class HomeView(ListView):
    """The network's hubs."""

    template_name = "hubs/home.html"
    context_object_name = "hubs"

    def get_queryset(self):
        return selectors.hubs_public()


@method_decorator(login_not_required, name="dispatch")
class HubPublicView(PublicPageCacheMixin, PublicHubMixin, TemplateView):
    """
    A hub's public home: services, antennas with hours and addresses, contacts. Cached whole for
    anonymous visitors until the hub or a row of it changes (hubs/pagecache.py).
    """

    template_name = "hubs/hub_public.html"

    def get_hub(self, **kwargs):
        try:
            return selectors.hub_public_page(slug=kwargs["hub_slug"])
        except selectors.Hub.DoesNotExist:
            raise Http404 from None

    def get_context_data(self, **kwargs):
        # What can be booked here (the apps' catalogue providers), each linking to its own page.
        bookable = sorted(entries_for([self.hub]), key=lambda entry: entry.title.lower())
        return super().get_context_data(links=hub_links(self.hub), bookable=bookable, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class PrivacyView(TemplateView):
    template_name = "pages/privacy.html"


@method_decorator(login_not_required, name="dispatch")
class AccessibilityView(TemplateView):
    template_name = "pages/accessibility.html"


# --- Invitations (public: the invited person may have no account yet) ----------------------


@method_decorator(login_not_required, name="dispatch")
class InvitationAcceptView(RateLimitMixin, FormView):
    """
    Joins the hub an e-mail invited you to. Signed in with the invited address: one click.
    No account yet: a short form creates it. An account exists but you are signed out: sign in.
    POSTs are rate limited per client IP and per invited address.
    """

    template_name = "hubs/invitation_accept.html"
    form_class = InvitationSignupForm
    ratelimit_group = "invitation_accept"

    def dispatch(self, request, *args, **kwargs):
        self.invitation = services.invitation_get_pending(token=kwargs["token"])
        if self.invitation is None:
            return self.render_to_response({"invalid": True}, status=404)
        self.account_exists = get_user_model().objects.filter(email__iexact=self.invitation.email).exists()
        return super().dispatch(request, *args, **kwargs)

    def ratelimit_email(self) -> str:
        return self.invitation.email

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"email": self.invitation.email}

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            invitation=self.invitation,
            account_exists=self.account_exists,
            same_user=user.is_authenticated and user.email.lower() == self.invitation.email,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated:
            try:
                services.invitation_accept(invitation=self.invitation, user=user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect(request.path)
            return self._joined()
        if self.account_exists:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        user = services.invitation_accept_new_user(
            invitation=self.invitation,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            password=form.cleaned_data["password1"],
        )
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        return self._joined()

    def _joined(self):
        messages.success(self.request, _("Welcome to %(hub)s.") % {"hub": self.invitation.hub.name})
        return redirect("backoffice_dashboard", hub_slug=self.invitation.hub.slug)


# --- Back office -------------------------------------------------------------------------


class BackofficeIndexView(TemplateView):
    """
    "My area", where login lands: a hub member goes straight to their hub's back office, on the
    landing page the registry names for them (the desk staff's "today"), or chooses among their
    hubs; anyone else sees their personal area.
    """

    template_name = "hubs/backoffice_index.html"

    def get(self, request, *args, **kwargs):
        self.memberships = list(selectors.memberships_for_user(user=request.user))
        if len(self.memberships) == 1:  # the member's working day ("today") if they may open it
            membership = self.memberships[0]
            return redirect(landing_url(membership.hub, membership))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(memberships=self.memberships, links=personal_links(), **kwargs)


class DashboardView(HubMixin, TemplateView):
    permission = "hubs.view_dashboard"
    template_name = "hubs/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["overview"] = selectors.hub_overview(hub=self.hub)
        return context


class QuickSearchView(HubMixin, TemplateView):
    """
    The header's quick search: this hub's people (name, e-mail, phone), bookings and paths (by
    number), grouped by kind, each group only for who may see it (hubs/search_registry.py).
    A result links to its page, which logs the opening of personal data as always.
    """

    permission = "hubs.quick_search"
    template_name = "hubs/quick_search.html"
    page_title = gettext_lazy("Search")

    def get_context_data(self, **kwargs):
        query = " ".join(self.request.GET.get("q", "").split())[:100]
        groups = search(hub=self.hub, membership=self.membership, text=query) if query else []
        return super().get_context_data(query=query, quick_search_query=query, groups=groups, **kwargs)


class ActionPlaceholderView(HubMixin, TemplateView):
    """
    An action whose app is not built yet: an honest empty state, no invented numbers. The
    capability it needs is the action's (hubs/navigation.py); an unknown action is a 404.
    """

    template_name = "hubs/action_placeholder.html"

    @cached_property
    def action(self):
        action = ACTIONS_BY_SLUG.get(self.kwargs["action"])
        if action is None:
            raise Http404
        return action

    def get_permission(self) -> str:
        return self.action.capability

    def get_context_data(self, **kwargs):
        kwargs.pop("action", None)  # the URL's slug; the template gets the Action itself
        return super().get_context_data(project_action=self.action, **kwargs)


class HubSettingsView(HubMixin, UpdateView):
    permission = "hubs.manage_hub"
    form_class = HubSettingsForm
    template_name = "hubs/hub_form.html"

    def get_object(self, queryset=None):
        return self.hub

    def form_valid(self, form):
        messages.success(self.request, _("The hub's details are saved."))
        return super().form_valid(form)

    def get_success_url(self):
        return reverse("backoffice_hub_update", kwargs={"hub_slug": self.hub.slug})


class TerritoryView(HubMixin, TemplateView):
    """Sub-areas and antennas of the hub."""

    permission = "hubs.view_territory"
    template_name = "hubs/territory.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sub_areas=selectors.subareas_for_hub(hub=self.hub),
            antennas=selectors.antennas_for_hub(hub=self.hub),
            **kwargs,
        )


class HubObjectFormMixin(HubMixin):
    """Create/update of a hub-owned object by the hub's coordinator; the hub comes from the URL."""

    permission = "hubs.manage_territory"
    template_name = "hubs/object_form.html"
    cancel_url_name = "backoffice_territory"
    success_message = ""

    def get_queryset(self):
        return self.model.objects.for_hub(self.hub)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"hub": self.hub}

    def form_valid(self, form):
        form.instance.hub = self.hub
        messages.success(self.request, self.success_message)
        return super().form_valid(form)

    def get_success_url(self):
        return reverse("backoffice_territory", kwargs={"hub_slug": self.hub.slug})


class AntennaCreateView(HubObjectFormMixin, CreateView):
    model = Antenna
    form_class = AntennaForm
    success_message = gettext_lazy("Antenna saved.")


class AntennaUpdateView(HubObjectFormMixin, UpdateView):
    model = Antenna
    form_class = AntennaForm
    success_message = gettext_lazy("Antenna saved.")


class SubAreaCreateView(HubObjectFormMixin, CreateView):
    model = SubArea
    form_class = SubAreaForm
    success_message = gettext_lazy("Sub-area saved.")


class SubAreaUpdateView(HubObjectFormMixin, UpdateView):
    model = SubArea
    form_class = SubAreaForm
    success_message = gettext_lazy("Sub-area saved.")


class OrganizationListView(HubMixin, ListView):
    permission = "hubs.view_organizations"
    template_name = "hubs/organization_list.html"
    context_object_name = "organizations"
    paginate_by = 50

    def get_queryset(self):
        return selectors.organizations_for_hub(hub=self.hub)


class OrganizationFormMixin(HubMixin):
    permission = "hubs.manage_organizations"
    model = Organization
    form_class = OrganizationForm
    template_name = "hubs/object_form.html"
    cancel_url_name = "backoffice_organization_list"

    def get_queryset(self):
        return Organization.objects.for_hub(self.hub)

    def get_success_url(self):
        return reverse("backoffice_organization_list", kwargs={"hub_slug": self.hub.slug})


class OrganizationCreateView(OrganizationFormMixin, CreateView):
    def form_valid(self, form):
        response = super().form_valid(form)
        self.object.hubs.add(self.hub)
        messages.success(self.request, _("Organization saved."))
        return response


class OrganizationUpdateView(OrganizationFormMixin, UpdateView):
    def form_valid(self, form):
        messages.success(self.request, _("Organization saved."))
        return super().form_valid(form)


class MyOrganizationView(HubMixin, UpdateView):
    """A partner or school referent keeps their own organization's contacts up to date."""

    page_title = gettext_lazy("My organization")
    permission = "hubs.edit_own_organization"
    form_class = MyOrganizationForm
    template_name = "hubs/object_form.html"

    def get_object(self, queryset=None):
        allowed = objects_for_user(
            self.request.user,
            services.ORGANIZATION_CHANGE,
            Organization.objects.for_hub(self.hub),
        )
        return get_object_or_404(allowed, pk=self.membership.organization_id)

    def form_valid(self, form):
        messages.success(self.request, _("Your organization's contacts are saved."))
        return super().form_valid(form)

    def get_success_url(self):
        return reverse("backoffice_my_organization", kwargs={"hub_slug": self.hub.slug})


class MemberListView(HubMixin, ListView):
    permission = "hubs.manage_members"
    template_name = "hubs/member_list.html"
    context_object_name = "memberships"
    paginate_by = 100

    def get_queryset(self):
        return selectors.memberships_for_hub(hub=self.hub)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            invitations=selectors.invitations_pending_for_hub(hub=self.hub), **kwargs
        )


class InvitationCreateView(HubMixin, FormView):
    permission = "hubs.manage_members"
    page_title = gettext_lazy("Invite someone to the hub")
    form_class = InvitationForm
    template_name = "hubs/object_form.html"
    cancel_url_name = "backoffice_member_list"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"hub": self.hub}

    def form_valid(self, form):
        try:
            invitation = services.invitation_create(
                hub=self.hub,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                organization=form.cleaned_data["organization"],
                by=self.request.user,
                base_url=self.request.build_absolute_uri("/").rstrip("/"),
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
        return redirect("backoffice_member_list", hub_slug=self.hub.slug)


class InvitationRevokeView(HubMixin, DetailView):
    permission = "hubs.manage_members"
    template_name = "hubs/invitation_revoke.html"
    context_object_name = "invitation"

    def get_queryset(self):
        return Invitation.objects.for_hub(self.hub).pending()

    def post(self, request, *args, **kwargs):
        invitation = self.get_object()
        services.invitation_revoke(invitation=invitation)
        messages.success(request, _("Invitation withdrawn."))
        return redirect("backoffice_member_list", hub_slug=self.hub.slug)


class MembershipUpdateView(HubMixin, UpdateView):
    permission = "hubs.manage_members"
    form_class = MembershipForm
    template_name = "hubs/object_form.html"
    cancel_url_name = "backoffice_member_list"

    def get_queryset(self):
        return Membership.objects.for_hub(self.hub).select_related("user")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"hub": self.hub}

    def form_valid(self, form):
        try:
            services.membership_update(
                membership=self.get_object(),
                role=form.cleaned_data["role"],
                organization=form.cleaned_data["organization"],
                is_active=form.cleaned_data["is_active"],
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Member updated."))
        return HttpResponseRedirect(reverse("backoffice_member_list", kwargs={"hub_slug": self.hub.slug}))
