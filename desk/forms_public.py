"""
Forms of the desk's public pages. The hub, the slot and every status come from the URL and the
services, never from a form field: a tampered POST can change nothing that matters.

A person under 14 on the day that counts (the session's, or today for the waiting list) needs
a parent or guardian's name, e-mail and consent (Codice Privacy, art. 2-quinquies): the form
checks it server-side and puts the message next to the guardian's fields.
"""

from datetime import date

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hubs.forms import DateField
from hubs.models import Municipality
from hubs.selectors import municipalities_for_hub
from people.models import Person

from .models import Channel, Enquiry

MIN_AGE, MAX_AGE = 10, 40
GUARDIAN_AGE = 14  # below it a parent or guardian consents (Codice Privacy, art. 2-quinquies)
LANGUAGES = [("it", "Italiano"), ("en", "English")]


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class FieldGroup:
    """Some fields of a form, shaped like a form for `includes/form.html` (one fieldset each)."""

    non_field_errors = ()  # the page shows them once, above the form
    hidden_fields = ()

    def __init__(self, form, names):
        self.visible_fields = [form[name] for name in names if name in form.fields]

    @property
    def errors(self) -> bool:
        return any(field.errors for field in self.visible_fields)


def privacy_field() -> forms.BooleanField:
    return forms.BooleanField(
        required=True,
        error_messages={"required": _("Please confirm that you have read the privacy notice.")},
    )


def privacy_label():
    return format_html(
        '{} <a href="{}" target="_blank" rel="noopener">{}<span class="visually-hidden"> {}</span></a>',
        _("I have read the"),
        reverse("privacy"),
        _("privacy notice"),
        _("(opens in a new tab)"),
    )


class PersonFieldsForm(forms.Form):
    """The details a booking or a waiting-list place asks for; an account holder's are prefilled."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    birth_date = DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Person.Gender.choices])
    municipality = forms.ModelChoiceField(
        label=_("Municipality where you live"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("If yours is not in the list, leave it empty."),
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
    privacy = privacy_field()

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

    def __init__(self, *args, user=None, hub=None, **kwargs):
        self.user = user if user is not None and user.is_authenticated else None
        super().__init__(*args, **kwargs)
        # The hub's own comuni, not the 1,500 of Lombardy: a short list on a phone.
        self.fields["municipality"].queryset = (
            municipalities_for_hub(hub=hub) if hub else Municipality.objects.order_by("name")
        )
        self.fields["privacy"].label = privacy_label()
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        if self.user is not None:
            # An account holder books with their account's address, whatever the POST says.
            email = self.fields["email"]
            email.disabled = True
            email.initial = self.user.email
            email.help_text = _("The address of your account.")
            person = Person.objects.filter(user=self.user).first()
            if person is not None:
                for name in (*self.PERSON_FIELDS, "guardian_name", "guardian_email"):
                    if name in self.fields and name != "email":
                        self.initial.setdefault(name, getattr(person, name))
                if person.language:
                    self.initial.setdefault("language", person.language)
            else:
                self.initial.setdefault("first_name", self.user.first_name)
                self.initial.setdefault("last_name", self.user.last_name)

    def age_day(self) -> date:
        """The day the age is counted on."""
        return timezone.localdate()

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        if born > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        age = age_on(born, self.age_day())
        if age < MIN_AGE or age > MAX_AGE:
            raise forms.ValidationError(
                _(
                    "The desk is for young people aged %(min)s to %(max)s: check the date, or "
                    "contact the hub."
                ),
                params={"min": MIN_AGE, "max": MAX_AGE},
            )
        return born

    def needs_guardian(self) -> bool:
        born = self.cleaned_data.get("birth_date") if hasattr(self, "cleaned_data") else None
        return born is not None and age_on(born, self.age_day()) < GUARDIAN_AGE

    def clean(self):
        cleaned = super().clean()
        if self.needs_guardian():
            message = _("Under 14 a parent or guardian must give their consent: fill this in.")
            for name in self.GUARDIAN_FIELDS:
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return cleaned

    def person_data(self) -> dict:
        """The Person's fields, for `services.person_for_booking`."""
        data = {name: self.cleaned_data[name] for name in self.PERSON_FIELDS if name in self.fields}
        data["language"] = self.cleaned_data.get("language") or get_language()[:2]
        if data["language"] not in dict(LANGUAGES):
            data["language"] = "it"
        if self.needs_guardian():
            data["guardian_name"] = self.cleaned_data["guardian_name"]
            data["guardian_email"] = self.cleaned_data["guardian_email"]
            data["guardian_consent_at"] = timezone.now()
        return data

    # Groups for the template: one fieldset each.
    def person_group(self):
        return FieldGroup(self, self.PERSON_FIELDS)

    def guardian_group(self):
        return FieldGroup(self, self.GUARDIAN_FIELDS)

    def final_group(self):
        return FieldGroup(self, ("reason", "language", "privacy"))


class BookingForm(PersonFieldsForm):
    """The booking of one session. The age is counted on the session's day."""

    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    reason = forms.CharField(
        label=_("What would you like to talk about?"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
        help_text=_("Optional, up to 1000 characters."),
    )
    language = forms.ChoiceField(label=_("Language for our messages"), choices=LANGUAGES)

    field_order = [
        *PersonFieldsForm.PERSON_FIELDS,
        *PersonFieldsForm.GUARDIAN_FIELDS,
        "reason",
        "language",
        "privacy",
    ]

    def __init__(self, *args, slot_day: date, **kwargs):
        self.slot_day = slot_day
        super().__init__(*args, **kwargs)
        current = (get_language() or "it")[:2]
        self.fields["language"].initial = current if current in dict(LANGUAGES) else "it"

    def age_day(self) -> date:
        return self.slot_day


class WaitlistForm(PersonFieldsForm):
    """A place on the waiting list of a service, at one place (or online)."""

    place = forms.ChoiceField(label=_("Where"))

    field_order = ["place", *PersonFieldsForm.PERSON_FIELDS, *PersonFieldsForm.GUARDIAN_FIELDS, "privacy"]

    def __init__(self, *args, places: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = places

    def place_group(self):
        return FieldGroup(self, ("place",))

    def final_group(self):
        return FieldGroup(self, ("privacy",))


def place_value(channel: str, antenna_id: int | None) -> str:
    """One option of "where": `hub`, `online` or `antenna:<id>`."""
    return f"{channel}:{antenna_id}" if channel == Channel.ANTENNA else channel


class EnquiryForm(forms.ModelForm):
    privacy = privacy_field()

    class Meta:
        model = Enquiry
        fields = ["name", "email", "subject", "message"]
        labels = {"name": _("Your name"), "email": _("Your e-mail")}
        widgets = {"message": forms.Textarea(attrs={"rows": 6, "maxlength": 3000})}
        help_texts = {"message": _("Up to 3000 characters.")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["privacy"].label = privacy_label()
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        if user is not None and user.is_authenticated:
            self.fields["email"].disabled = True
            self.fields["email"].initial = user.email
            self.fields["name"].initial = user.get_full_name()
