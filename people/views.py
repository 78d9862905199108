"""The young person's own data: see it, download it, erase it."""

import json

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from .models import Person
from .services import person_erase, person_export


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
