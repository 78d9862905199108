"""
The relying party's pages: the package's begin, callback and logout views, made safe for the
portal, and the page where an existing account confirms its link to a digital identity.

What the package leaves to us (RESEARCH.md E): its callback fills first and last name with the
`sub` hash and looks people up by the clear fiscal code in `user.attributes`; here
`user_reunification` hands the verified attributes to spid.services instead. Its error paths
answer JSON or its own template; here every failure, a replayed or forged callback included,
is the portal's friendly page. The callback is bound to the browser that began the sign-in
(the `state` is kept in its session and used once), and the clear attributes the package puts
in the session are removed.
"""

import json
import logging
import time
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from spid_cie_oidc.entity.jwtse import create_jws, unpad_jwt_payload
from spid_cie_oidc.entity.models import FederationEntityConfiguration
from spid_cie_oidc.entity.views import entity_configuration as package_entity_configuration
from spid_cie_oidc.relying_party.models import OidcAuthentication
from spid_cie_oidc.relying_party.views.rp_begin import SpidCieOidcRpBeginView
from spid_cie_oidc.relying_party.views.rp_callback import SpidCieOidcRpCallbackView
from spid_cie_oidc.relying_party.views.rp_initiated_logout import SpidCieOidcRpLogout

from hubs.mixins import EID_LEVEL_SESSION_KEY
from hubs.ratelimit import RateLimitMixin

from .models import Profile
from .services import Claims, EidError, claims_from_attributes, identity_link, identity_sign_in

logger = logging.getLogger(__name__)

STATES_KEY = "eid_states"  # the sign-ins this browser began, by `state`, each usable once
NEXT_KEY = "eid_next"
PENDING_KEY = "eid_pending_link"
PROFILE_KEY = "eid_profile"
ERROR_TEMPLATE = "spid/error.html"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def error_page(request, message: str = "", status: int = 400):
    """The one friendly answer to every failed sign-in: what happened, and the ways in."""
    return render(
        request,
        ERROR_TEMPLATE,
        {"message": message or _("The sign-in with SPID or CIE did not succeed. Please try again.")},
        status=status,
    )


def profile_of(provider: str) -> str:
    for profile, providers in settings.OIDCFED_IDENTITY_PROVIDERS.items():
        if provider in providers:
            return profile
    return Profile.SPID


@method_decorator(login_not_required, name="dispatch")
class BeginView(SpidCieOidcRpBeginView):
    """`?provider=<entity id>&profile=spid|cie[&next=…]` → the provider's sign-in page."""

    error_template = ERROR_TEMPLATE

    def get(self, request, *args, **kwargs):
        if not settings.YIP_EID_ENABLED:
            raise Http404
        profile, provider = request.GET.get("profile", ""), request.GET.get("provider", "")
        if provider not in settings.OIDCFED_IDENTITY_PROVIDERS.get(profile, {}):
            return error_page(request, _("This identity provider is not one the portal knows."), 404)
        next_url = request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
            request.session[NEXT_KEY] = next_url
        try:
            response = super().get(request, *args, **kwargs)
        except Exception:  # the provider or the trust anchor unreachable, bad metadata…
            logger.exception("SPID/CIE sign-in could not begin with %s", provider)
            return error_page(request, _("The identity provider cannot be reached now."), 502)
        if response.status_code != 302:
            logger.warning("SPID/CIE sign-in could not begin with %s: %s", provider, response.status_code)
            return error_page(request, _("The identity provider cannot be reached now."), 502)
        request_object = parse_qs(urlsplit(response["Location"]).query)["request"][0]
        state = unpad_jwt_payload(request_object)["state"]
        request.session[STATES_KEY] = [*request.session.get(STATES_KEY, [])[-4:], state]
        return response


@method_decorator(login_not_required, name="dispatch")
class CallbackView(SpidCieOidcRpCallbackView):
    """Where the provider sends the person back: verified tokens → account → signed in."""

    error_template = ERROR_TEMPLATE

    def access_token_request(self, *args, **kwargs):
        self.token_response = super().access_token_request(*args, **kwargs)
        return self.token_response

    def user_reunification(self, user_attrs: dict):
        """
        Called by the package once the tokens' signatures are verified. It checks no more of the
        ID token: here its issuer, audience, expiry and nonce must be those of this sign-in.
        """
        id_token = unpad_jwt_payload(self.token_response["id_token"])
        authz = OidcAuthentication.objects.filter(state=self.request.GET["state"]).last()
        audience = id_token.get("aud", [])
        audience = [audience] if isinstance(audience, str) else audience
        if (
            id_token.get("iss") != authz.provider_id
            or authz.client_id not in audience
            or id_token.get("exp", 0) < time.time()
            or id_token.get("nonce") != json.loads(authz.data).get("nonce")
        ):
            logger.warning("SPID/CIE ID token of another sign-in, or expired, for state %s", authz.state)
            raise EidError(_("The identity provider's answer is not valid for this sign-in."))
        provider = authz.provider_id
        self.claims = claims_from_attributes(
            user_attrs, acr=id_token.get("acr"), profile=profile_of(provider), provider=provider
        )
        outcome = identity_sign_in(claims=self.claims)
        if outcome.link_to is not None:
            self.link_needed = True
            return None
        outcome.user.backend = BACKEND
        self.created = outcome.created
        return outcome.user

    def get(self, request, *args, **kwargs):
        if "error" in request.GET:  # the person cancelled, or the provider refused
            message = _("The sign-in was cancelled or refused by the identity provider.")
            return error_page(request, message, 401)
        states = request.session.get(STATES_KEY, [])
        state = request.GET.get("state", "")
        if not request.GET:  # someone landed here by hand: the sign-in page is what they want
            return redirect("account_login")
        if not state or state not in states:
            return error_page(request, _("This sign-in link is not valid or was already used."), 400)
        request.session[STATES_KEY] = [s for s in states if s != state]  # once only
        next_url = request.session.get(NEXT_KEY, "")
        self.link_needed, self.created, self.claims = False, False, None
        try:
            response = super().get(request, *args, **kwargs)
        except EidError as exc:
            return error_page(request, str(exc), 403)
        except Exception:
            logger.exception("SPID/CIE callback failed")
            return error_page(request, status=502)
        finally:
            request.session.pop("oidc_rp_user_attrs", None)  # the package's copy, with the fiscal code
        if self.link_needed:
            request.session[PENDING_KEY] = self.claims.to_session()
            return redirect("spid:link")
        if response.status_code != 302 or not request.user.is_authenticated:
            return error_page(request, status=response.status_code if response.status_code >= 400 else 400)
        request.session[EID_LEVEL_SESSION_KEY] = self.claims.level
        request.session[PROFILE_KEY] = self.claims.profile
        if self.created:
            messages.success(request, _("Welcome! Your account was created with your digital identity."))
        return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


class LogoutView(SpidCieOidcRpLogout):
    """
    Single logout: revokes the provider's token, then signs out of the portal. GET asks (a link
    must not sign anyone out), POST does it.
    """

    def get(self, request, *args, **kwargs):
        return render(request, "spid/logout.html")

    def post(self, request, *args, **kwargs):
        super().get(request)
        return redirect("home")


@login_not_required
def entity_configuration(request):
    """Our entity configuration (`/.well-known/openid-federation`), signed: the package's view."""
    return package_entity_configuration(request)


@login_not_required
def jwks(request, signed: bool = False):
    """Our relying party's public core keys (its metadata's `jwks_uri` / `signed_jwks_uri`)."""
    entity = get_object_or_404(FederationEntityConfiguration, sub=settings.YIP_EID_ENTITY_ID, is_active=True)
    keys = entity.metadata["openid_relying_party"]["jwks"]
    if signed:
        return HttpResponse(create_jws(keys, entity.jwks_fed[0]), content_type="application/jose")
    return JsonResponse(keys)


@method_decorator(login_not_required, name="dispatch")
class LinkView(RateLimitMixin, TemplateView):
    """
    An account already has the e-mail the provider asserted: its owner signs in to it once (by
    password, and its second factor) and confirms here; only then is the identity linked.
    """

    template_name = "spid/link.html"
    ratelimit_group = "spid_link"

    def dispatch(self, request, *args, **kwargs):
        limited = self.check_before_load(request)
        if limited is not None:
            return limited
        data = request.session.get(PENDING_KEY)
        if not data:
            messages.info(request, _("There is no digital identity waiting to be linked."))
            return redirect("account_login")
        self.claims = Claims.from_session(data)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            claims=self.claims,
            same_account=user.is_authenticated and user.email.lower() == self.claims.email,
            login_url=f"{reverse('account_login')}?next={reverse('spid:link')}",
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={reverse('spid:link')}")
        try:
            identity_link(user=request.user, claims=self.claims)
        except EidError as exc:
            return error_page(request, str(exc), 403)
        del request.session[PENDING_KEY]
        messages.success(request, _("Your digital identity is linked: next time you can sign in with it."))
        return redirect(settings.LOGIN_REDIRECT_URL)
