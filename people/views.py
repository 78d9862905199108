"""The young person's own data: see it, download it, erase it. And the e-mailed code before an
authenticator app is enrolled (any account, staff above all)."""

import json
import time

from allauth.account.decorators import reauthentication_required
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.views import ActivateTOTPView
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from .forms import EnrolmentCodeForm
from .models import Person
from .services import ENROLMENT_CODE_MINUTES, mfa_enrolment_code_send, person_erase, person_export


class MyDataView(TemplateView):
    """What the portal holds about me, with the download and erase buttons."""

    template_name = "people/my_data.html"

    def get_context_data(self, **kwargs):
        person = Person.objects.filter(user=self.request.user).first()
        export = person_export(user=self.request.user)
        return super().get_context_data(
            person=person,
            other_kinds=len(export) - ("person" in export),
            is_staff_member=self.request.user.memberships.exists(),
            **kwargs,
        )


class MyDataExportView(TemplateView):
    def get(self, request, *args, **kwargs):
        data = {
            "account": {"email": request.user.email, "joined": request.user.date_joined.isoformat()},
            **person_export(user=request.user),
        }
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False, default=str),
            content_type="application/json; charset=utf-8",
        )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="young-in-progress-{stamp}.json"'
        return response


@method_decorator(reauthentication_required, name="dispatch")
class MyDataEraseView(TemplateView):
    """Erase my data and close my account (asks for the password again first)."""

    template_name = "people/my_data_erase.html"

    def post(self, request, *args, **kwargs):
        if request.POST.get("confirm") != "on":
            return self.render_to_response(
                self.get_context_data(error=_("Tick the box to confirm that you want to erase your data.")),
                status=400,
            )
        user = request.user
        if user.memberships.exists():
            messages.error(request, _("Staff accounts are closed by the hub's coordinator."))
            return redirect("people:my_data")
        try:
            person_erase(user=user)  # their records, those of their verified addresses, the account
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("people:my_data")
        logout(request)
        messages.success(request, _("Your data has been erased and your account closed."))
        return redirect("home")


# --- Enrolling an authenticator: the e-mailed code first ------------------------------------------

ENROLMENT_SESSION_KEY = "people_mfa_enrolment_verified"
ENROLMENT_WINDOW_SECONDS = 15 * 60  # to scan the QR code and type the app's first code


def _with_next(url: str, request) -> str:
    """`url`, carrying on the request's own `next` if it is a page of this site."""
    next_url = request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return f"{url}?{urlencode({'next': next_url})}"
    return url


def enrolment_verified(request) -> bool:
    """This session entered the e-mailed code for this user, a short while ago."""
    mark = request.session.get(ENROLMENT_SESSION_KEY) or {}
    return mark.get("user") == request.user.pk and mark.get("until", 0) > time.time()


class EnrolmentCodeView(FormView):
    """
    The step before an authenticator app is enrolled: a code e-mailed to the account's address
    (valid 10 minutes, 5 attempts). The password alone (a stolen one) cannot enrol an
    authenticator and so take the account, and the back office with it.
    """

    template_name = "people/mfa_enrolment_code.html"
    form_class = EnrolmentCodeForm

    def post(self, request, *args, **kwargs):
        if "send" not in request.POST:
            return super().post(request, *args, **kwargs)
        if mfa_enrolment_code_send(user=request.user):
            messages.success(
                request,
                _("We sent a code to %(email)s. It works for %(minutes)s minutes.")
                % {"email": request.user.email, "minutes": ENROLMENT_CODE_MINUTES},
            )
        else:
            messages.info(request, _("A code was sent less than a minute ago: look for it in your mailbox."))
        return redirect(_with_next(reverse("mfa_enrolment_code"), request))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        self.request.session[ENROLMENT_SESSION_KEY] = {
            "user": self.request.user.pk,
            "until": time.time() + ENROLMENT_WINDOW_SECONDS,
        }
        return redirect(_with_next(reverse("mfa_activate_totp"), self.request))


class TotpActivateView(ActivateTOTPView):
    """
    allauth's authenticator set-up, open only to a session that has just entered the code
    e-mailed to the account (EnrolmentCodeView); allauth still asks for the password again.
    """

    def dispatch(self, request, *args, **kwargs):
        if (
            request.user.is_authenticated
            and not is_mfa_enabled(request.user, [Authenticator.Type.TOTP])
            and not enrolment_verified(request)
        ):
            return redirect(_with_next(reverse("mfa_enrolment_code"), request))
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session.pop(ENROLMENT_SESSION_KEY, None)
        return response
