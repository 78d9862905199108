"""
Forms of the desk's public pages. The hub, the slot and every status come from the URL and the
services, never from a form field: a tampered POST can change nothing that matters.

A person under the consent age on the day that counts (the session's, or today for the waiting
list) needs a parent or guardian (people.forms.PersonForm, Codice Privacy art. 2-quinquies): the
form asks for their name and e-mail, checks it server-side and puts the message next to the
guardian's fields; the page's script (desk/guardian.js) shows them from the age the form gives.
The consent itself is not a box the child ticks: the guardian gives it by following the link we
e-mail them (services.booking_guardian_consent), so these forms record no consent.
"""

from datetime import date

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hubs.forms import DatePartsField, FieldGroup
from people.forms import PersonForm
from people.models import Person

from .models import Channel, Enquiry

MIN_AGE, MAX_AGE = 10, 40
LANGUAGES = [("it", "Italiano"), ("en", "English")]


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


class PersonFieldsForm(PersonForm):
    """The details a booking or a waiting-list place asks for; an account holder's are prefilled."""

    privacy = privacy_field()
    guardian_consent = None  # given by the guardian through their e-mailed link, not here
    # Day, month and year typed on a phone's number pad (autocomplete bday-day/-month/-year),
    # not a date picker scrolled back 17 years.
    birth_date = DatePartsField(label=_("Date of birth"), autocomplete="bday")
    GUARDIAN_FIELDS = ("guardian_name", "guardian_email")

    # The browser may fill in the young person's own details.
    AUTOCOMPLETE = {
        "first_name": "given-name",
        "last_name": "family-name",
        "email": "email",
        "phone": "tel",
    }

    def __init__(self, *args, user=None, **kwargs):
        self.user = user if user is not None and user.is_authenticated else None
        super().__init__(*args, **kwargs)
        self.fields["privacy"].label = privacy_label()
        if "municipality" in self.fields:
            self.fields["municipality"].help_text = _("If yours is not in the list, leave it empty.")
        for name, value in self.AUTOCOMPLETE.items():
            if name in self.fields:
                self.fields[name].widget.attrs["autocomplete"] = value
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

    def clean_birth_date(self):
        born = super().clean_birth_date()
        age = self.typed_person().age_on(self.age_day())
        if age < MIN_AGE or age > MAX_AGE:
            raise forms.ValidationError(
                _(
                    "The desk is for young people aged %(min)s to %(max)s: check the date, or "
                    "contact the hub."
                ),
                params={"min": MIN_AGE, "max": MAX_AGE},
            )
        return born

    def person_data(self) -> dict:
        """The Person's fields, for `services.person_for_booking`."""
        data = super().person_data()
        data.pop("guardian_consent_at", None)  # the guardian's link records it
        data["language"] = self.cleaned_data.get("language") or get_language()[:2]
        if data["language"] not in dict(LANGUAGES):
            data["language"] = "it"
        return data

    def final_group(self):
        return FieldGroup(self, ("reason", "language", "privacy"))


class BookingForm(PersonFieldsForm):
    """
    The booking of one session. The age is counted on the session's day. Only what holds the
    place is required (name, e-mail, date of birth, privacy); the monitoring questions follow
    on the same page, optional, prefilled for account holders.
    """

    HOLD_FIELDS = ("first_name", "last_name", "email", "phone", "birth_date")
    MONITORING_FIELDS = ("gender", "municipality", "status", "education")

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
        for name in self.MONITORING_FIELDS:
            self.fields[name].required = False
        current = (get_language() or "it")[:2]
        self.fields["language"].initial = current if current in dict(LANGUAGES) else "it"

    def age_day(self) -> date:
        return self.slot_day

    def person_group(self, legend="") -> FieldGroup:
        return FieldGroup(self, self.HOLD_FIELDS, legend=legend)

    def monitoring_group(self) -> FieldGroup:
        return FieldGroup(self, self.MONITORING_FIELDS)

    def person_data(self) -> dict:
        data = super().person_data()
        data["gender"] = data.get("gender") or "unsaid"  # not answered: as "prefer not to say"
        return data


class WaitlistForm(PersonFieldsForm):
    """
    A place on the waiting list of a service, at one place (or online): only the e-mail we
    write to, and the date of birth the minors' rule needs (with, under the consent age, the
    parent or guardian's name and e-mail). The name is asked when a place is offered and taken.
    """

    place = forms.ChoiceField(label=_("Where"))
    first_name = last_name = phone = None  # asked when the offered place is taken
    gender = municipality = status = education = None  # the booking's optional questions
    WAITLIST_FIELDS = ("email", "birth_date")

    field_order = ["place", *WAITLIST_FIELDS, *PersonFieldsForm.GUARDIAN_FIELDS, "privacy"]

    def __init__(self, *args, places: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = places
        self.fields["email"].help_text = self.fields["email"].help_text or _(
            "We write to you here when a place frees up."
        )
        self.fields["birth_date"].help_text = _("Under %(age)s a parent or guardian must agree.") % {
            "age": self.consent_age
        }

    def place_group(self):
        return FieldGroup(self, ("place",))

    def person_group(self, legend="") -> FieldGroup:
        return FieldGroup(self, self.WAITLIST_FIELDS, legend=legend)

    def final_group(self):
        return FieldGroup(self, ("privacy",))


class ClaimNameForm(forms.Form):
    """The name of someone who joined the waiting list with their e-mail only, when they take the place."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"


class LinksResendForm(forms.Form):
    """ "Resend my booking links": the address the bookings were made with."""

    email = forms.EmailField(label=_("Your e-mail"), max_length=254)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"


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
