"""Forms of the account pages that are ours (allauth has the others)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import mfa_enrolment_code_check


class EnrolmentCodeForm(forms.Form):
    """The code e-mailed before an authenticator is enrolled; checked (and used up) on clean."""

    code = forms.CharField(
        label=_("Code from the e-mail"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_code(self):
        code = self.cleaned_data["code"]
        mfa_enrolment_code_check(user=self.user, code=code)
        return code
