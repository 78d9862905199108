"""
Forms of the account pages that are ours (allauth has the others), and `PersonForm`: a young
person's details as every form that records a new person asks for them — the desk's public
booking and waiting list, the staff's booking on someone's behalf, the placements intake.

The minors' rule lives on the model (`Person.needs_guardian_on`, with the consent age in
`settings.YIP_CONSENT_AGE`); these forms only say which day counts (`age_day`), ask for the
parent or guardian then, and hand the age to the page's script as `consent_age`.
"""

from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hubs.forms import DateField, FieldGroup
from hubs.models import Municipality
from hubs.selectors import municipalities_for_hub

from .models import Person
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


class PersonForm(forms.Form):
    """
    A young person's details, worded for the young person themself, and a parent or guardian's:
    under the consent age on the day that counts (`age_day`, today unless a form says otherwise)
    the guardian's name, e-mail and consent are required, and `person_data` carries them with
    the moment of consent. A form drops a field it does not ask for with `name = None`.
    """

    PERSON_FIELDS = (
        "first_name",
        "last_name",
        "email",
        "phone",
        "birth_date",
        "gender",
        "municipality",
        "status",
        "education",
    )
    GUARDIAN_FIELDS = ("guardian_name", "guardian_email", "guardian_consent")
    # What `person_data` takes from the form: the Person's own fields, when the form has them.
    RECORD_FIELDS = PERSON_FIELDS

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    birth_date = DateField(label=_("Date of birth"))
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Person.Gender.choices])
    municipality = forms.ModelChoiceField(
        label=_("Municipality where you live"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label="—",
    )
    status = forms.ChoiceField(
        label=_("What are you doing now?"), choices=[("", "—"), *Person.Status.choices]
    )
    education = forms.ChoiceField(
        label=_("Highest education completed"), choices=[("", "—"), *Person.Education.choices]
    )
    guardian_name = forms.CharField(label=_("Name of the parent or guardian"), max_length=200, required=False)
    guardian_email = forms.EmailField(
        label=_("E-mail of the parent or guardian"), max_length=254, required=False
    )
    guardian_consent = forms.BooleanField(
        label=_("The parent or guardian agrees to the booking and to the processing of the data"),
        required=False,
    )

    def __init__(self, *args, hub=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "municipality" in self.fields:
            # The hub's own comuni, not the 1,500 of Lombardy: a short list on a phone.
            self.fields["municipality"].queryset = (
                municipalities_for_hub(hub=hub) if hub else Municipality.objects.order_by("name")
            )

    @property
    def consent_age(self) -> int:
        """The age below which the guardian's fields are needed: for the page's texts and script."""
        return settings.YIP_CONSENT_AGE

    def age_day(self) -> date:
        """The day the age is counted on."""
        return timezone.localdate()

    def typed_person(self) -> Person:
        """The person as typed in (unsaved): what the form knows of their age."""
        return Person(birth_date=getattr(self, "cleaned_data", {}).get("birth_date"))

    def needs_guardian(self) -> bool:
        return self.typed_person().needs_guardian_on(self.age_day())

    def clean_birth_date(self):
        born = self.cleaned_data.get("birth_date")
        if born and born > timezone.localdate():
            raise ValidationError(_("The date of birth cannot be in the future."))
        return born

    def clean(self):
        cleaned = super().clean()
        if self.needs_guardian():
            missing = ValidationError(
                _("Under %(age)s a parent or guardian must give their consent: fill this in."),
                code="guardian_required",
                params={"age": self.consent_age},
            )
            for name in self.GUARDIAN_FIELDS:
                if name in self.fields and not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, missing)
        return cleaned

    def person_data(self) -> dict:
        """The new person's details, as people.services (person_create and its callers) take them."""
        data = {name: self.cleaned_data[name] for name in self.RECORD_FIELDS if name in self.fields}
        data["email"] = data["email"].strip().lower()
        if self.needs_guardian():
            data["guardian_name"] = self.cleaned_data["guardian_name"]
            data["guardian_email"] = self.cleaned_data["guardian_email"]
            data["guardian_consent_at"] = timezone.now()
        return data

    # One fieldset each on the page.
    def person_group(self, legend="") -> FieldGroup:
        return FieldGroup(self, self.PERSON_FIELDS, legend=legend)

    def guardian_group(self, legend="") -> FieldGroup:
        return FieldGroup(self, self.GUARDIAN_FIELDS, legend=legend)


class StaffPersonForm(PersonForm):
    """`PersonForm` as the hub's staff fill it in for someone else: the questions speak of them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            "municipality": _("Municipality where they live"),
            "status": _("What they are doing now"),
            "education": _("Highest education they completed"),
        }
        for name, label in labels.items():
            if name in self.fields:
                self.fields[name].label = label
        self.fields["guardian_name"].help_text = _("Only for people under %(age)s.") % {
            "age": self.consent_age
        }

    def guardian_group(self, legend="") -> FieldGroup:
        legend = legend or _("Parent or guardian (under %(age)s)") % {"age": self.consent_age}
        return super().guardian_group(legend)
