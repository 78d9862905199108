"""The one gate of every back-office view, and the one resolver of every public hub page."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Hub
from .navigation import backoffice_sections
from .selectors import membership_get

# Set by spid.views when the session began with SPID or CIE: the level the provider asserted.
EID_LEVEL_SESSION_KEY = "eid_level"


def user_has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def second_factor_ok(request) -> bool:
    """
    The session's sign-in counts as two factors: SPID or CIE at level 2 or more, or (e-mail
    sign-in) an account with a TOTP authenticator, which allauth challenged at sign-in. A SPID
    level 1 session does not, even for an account that has an authenticator.
    """
    level = request.session.get(EID_LEVEL_SESSION_KEY)
    if level is not None:
        return level >= 2
    return user_has_totp(request.user)


class LoadMixin:
    """
    The one object-loading hook of hub pages: once the hub (and, in the back office, the member's
    right) is settled, `load(**kwargs)` finds the page's own objects through `self.hub`, e.g.
    `self.fair = get_object_or_404(Fair.objects.for_hub(self.hub), pk=kwargs["pk"])`, before the
    handler runs. So another hub's id is a 404 whatever the method (a GET-only page answers a POST
    with 404, not 405). `load` may return a response to answer instead (a friendly "link not
    valid" page); None lets the view go on. A view's `check_before_load(request)` (the POST rate
    limit of hubs.ratelimit.RateLimitMixin) answers first, so a flood of bad links is counted too.
    """

    def load(self, **kwargs):
        return None

    def _dispatch_loaded(self, request, *args, **kwargs):
        check = getattr(self, "check_before_load", None)
        response = (check(request) if check else None) or self.load(**kwargs)
        if response is not None:
            return response
        return super().dispatch(request, *args, **kwargs)


class HubMixin(LoadMixin):
    """
    Resolves `self.hub` from the URL's `hub_slug` and `self.membership` for the current user,
    before the view runs:

    - not signed in → the login page;
    - no active membership on this hub (another hub's member included) → 404, so nothing
      about the hub or its objects leaks;
    - a back-office role without a TOTP authenticator (when STAFF_MFA_REQUIRED) → MFA set-up,
      unless the session began with SPID/CIE at level 2 or more; at level 1 → 403;
    - a member without the capability the view names in `permission` → 403.

    Every view names its capability (hubs/capabilities.py); one that names none, or an unknown
    one, fails loudly rather than opening to anyone. Views look objects up through `self.hub`
    (`Model.objects.for_hub(self.hub)`), so an id of another hub's object is a 404 too.

    Then `load()` (see LoadMixin) resolves the page's own objects, whatever the HTTP method.
    """

    permission = ""  # the capability this page needs, e.g. "desk.manage"
    page_title = ""
    cancel_url_name = "backoffice_dashboard"  # where a form's "Cancel" leads

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.hub = get_object_or_404(Hub, slug=kwargs["hub_slug"], is_active=True)
        self.membership = membership_get(hub=self.hub, user=request.user)
        if self.membership is None:
            raise Http404
        if settings.STAFF_MFA_REQUIRED and request.session.get(EID_LEVEL_SESSION_KEY, 2) < 2:
            messages.warning(
                request,
                _("The back office needs SPID level 2, or e-mail sign-in with your authenticator app."),
            )
            raise PermissionDenied
        if settings.STAFF_MFA_REQUIRED and not second_factor_ok(request):
            messages.warning(
                request,
                _("The back office needs two-factor authentication: set up an authenticator app."),
            )
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.get_full_path()}")
        if not self.membership.can(self.get_permission()):
            raise PermissionDenied
        return self._dispatch_loaded(request, *args, **kwargs)

    def get_permission(self) -> str:
        """The capability this request needs: the view's `permission`."""
        return self.permission

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["hub"] = self.hub
        context["membership"] = self.membership
        context["backoffice_sections"] = backoffice_sections(self.hub, self.membership)
        context["page_title"] = self.get_page_title()
        context["cancel_url"] = reverse(self.cancel_url_name, kwargs={"hub_slug": self.hub.slug})
        if self.membership.can("hubs.quick_search"):  # the header's search field (hubs/search_registry.py)
            context["quick_search_url"] = reverse("backoffice_search", kwargs={"hub_slug": self.hub.slug})
        return context

    def hub_url(self, name: str, **kwargs) -> str:
        """The URL of another page of this hub's back office."""
        return reverse(name, kwargs={"hub_slug": self.hub.slug, **kwargs})

    def get_page_title(self) -> str:
        """The page's title: the view's own, the object's name, or "New <model>"."""
        if self.page_title:
            return self.page_title
        obj = getattr(self, "object", None)
        if obj is not None and obj.pk:
            return str(obj)
        model = getattr(self, "model", None)
        if model is not None:
            return _("New %(thing)s") % {"thing": model._meta.verbose_name}
        return ""


class PublicHubMixin(LoadMixin):
    """
    Resolves `self.hub` for the public pages of an active hub (404 otherwise), then `load()`s
    the page's objects through it. It does not make a view public: mark the view itself with
    `login_not_required`.
    """

    def dispatch(self, request, *args, **kwargs):
        self.hub = self.get_hub(**kwargs)
        return self._dispatch_loaded(request, *args, **kwargs)

    def get_hub(self, **kwargs) -> Hub:
        return get_object_or_404(Hub, slug=kwargs["hub_slug"], is_active=True)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["hub"] = self.hub
        return context
