"""
Forms of the youth pacts. The hub is never a form field: views pass it in, and every choice of a
related row (sub-area, partner, budget line) is limited to the hub's or the pact's rows, so a
tampered id is "not one of the available choices". The rules live in pacts/services.py; the
views turn its ValidationErrors into errors on these forms' fields.
"""

from django import forms
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from hubs.forms import DateField
from hubs.models import Organization, SubArea
from people.forms import PersonForm

from .models import (
    BudgetLine,
    Expense,
    MeetingAttendance,
    Pact,
    PactAction,
    PactMeeting,
    PactMember,
    Signature,
    TimelineEntry,
    Tranche,
)
from .services import CONTENT_FIELDS, PROPOSAL_FIELDS


class AmountField(forms.DecimalField):
    """Euros with a decimal comma or point ("12,50" = "12.50")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 10)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 10_000_000)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("€", "").replace(" ", "").replace(",", ".")
        return super().to_python(value)


class ProposalForm(forms.ModelForm):
    class Meta:
        model = Pact
        fields = list(PROPOSAL_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "idea",
                "motivations",
                "objectives",
                "actions_proposed",
                "timeline",
                "partners_text",
                "resources",
            )
        }
        help_texts = {
            "objectives": _("One per line. At least one is needed to submit."),
            "actions_proposed": _("One per line: what you will do. At least one is needed to submit."),
        }

    def __init__(self, *args, hub, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sub_area"].queryset = SubArea.objects.for_hub(hub).order_by("name")
        self.fields["sub_area"].help_text = _("The sub-area of the Piano di Zona where the pact takes place.")
        if self.instance.pk and self.instance.state != Pact.State.DRAFT:
            self.fields["sub_area"].disabled = True


class ProposerForm(ProposalForm):
    """A new proposal, and who proposes it: the group's first member (the minors' rule applies)."""

    PROPOSER_FIELDS = ("name", "birth_date", "gender", "guardian_name", "guardian_email")

    name = forms.CharField(label=_("Your name and surname"), max_length=200)
    birth_date = DateField(label=_("Your date of birth"))
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[
            ("female", _("Female")),
            ("male", _("Male")),
            ("non_binary", _("Non-binary")),
            ("unsaid", _("Prefer not to say")),
        ],
    )
    guardian_name = forms.CharField(label=_("Parent or guardian"), max_length=200, required=False)
    guardian_email = forms.EmailField(label=_("Parent or guardian's e-mail"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guardian_name"].help_text = _("Only if you are under %(age)s.") % {
            "age": settings.YIP_CONSENT_AGE
        }

    def proposer_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.PROPOSER_FIELDS}


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Co-author's e-mail"))


class AcceptForm(forms.Form):
    name = forms.CharField(label=_("Your name and surname"), max_length=200)
    birth_date = DateField(label=_("Date of birth"))
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[
            ("female", _("Female")),
            ("male", _("Male")),
            ("non_binary", _("Non-binary")),
            ("unsaid", _("Prefer not to say")),
        ],
    )
    guardian_name = forms.CharField(label=_("Parent or guardian"), max_length=200, required=False)
    guardian_email = forms.EmailField(label=_("Parent or guardian's e-mail"), required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Private note"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))


class AdditionsForm(forms.Form):
    text = forms.CharField(
        label=_("What the group should add"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("", "—"), ("approve", _("Approve")), ("reject", _("Do not approve"))],
    )
    motivation = forms.CharField(
        label=_("Public motivation"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to reject: the group and the public read it."),
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partner organizations of the pact"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("Their operators will see the pact. Choose one or more."),
    )

    def __init__(self, *args, hub, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = Organization.objects.for_hub(hub).order_by("name")


class TermsForm(forms.ModelForm):
    """The pact's content: completed before the signature, changed by variation after it."""

    starts_on = DateField(label=_("start"), required=False)
    ends_on = DateField(label=_("end"), required=False)

    class Meta:
        model = Pact
        fields = list(CONTENT_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("idea", "objectives", "responsibilities", "resources", "timeline")
        }


class VariationForm(TermsForm):
    reason = forms.CharField(
        label=_("Reason of the variation"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta(TermsForm.Meta):
        fields = ["reason", *CONTENT_FIELDS]


class SignatureForm(forms.ModelForm):
    signed_on = DateField(label=_("date"))

    class Meta:
        model = Signature
        fields = ["party", "name", "role", "signed_on"]


class ActionForm(forms.ModelForm):
    due_on = DateField(label=_("due on"), required=False)

    class Meta:
        model = PactAction
        fields = ["title", "owner", "owner_email", "due_on", "status", "progress", "weight"]


class ProgressForm(forms.ModelForm):
    class Meta:
        model = PactAction
        fields = ["status", "progress"]


class TimelineForm(forms.ModelForm):
    date = DateField(label=_("date"))

    class Meta:
        model = TimelineEntry
        fields = ["date", "text", "photo"]


class BudgetLineForm(forms.ModelForm):
    planned = AmountField(label=_("planned (€)"))

    class Meta:
        model = BudgetLine
        fields = ["category", "description", "planned"]


class ExpenseForm(forms.ModelForm):
    date = DateField(label=_("date"))
    amount = AmountField(label=capfirst(_("amount (€)")), min_value=0.01)

    class Meta:
        model = Expense
        fields = ["line", "date", "description", "supplier", "amount", "receipt"]
        help_texts = {"receipt": _("PDF, JPG or PNG, at most 5 MB.")}

    def __init__(self, *args, pact, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = pact.budget_lines.all()
        self.fields["receipt"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png"


class BudgetMoveForm(forms.Form):
    source = forms.ModelChoiceField(label=_("From the line"), queryset=BudgetLine.objects.none())
    target = forms.ModelChoiceField(label=_("To the line"), queryset=BudgetLine.objects.none())
    amount = AmountField(label=capfirst(_("amount (€)")), min_value=0.01)
    reason = forms.CharField(
        label=_("Reason of the variation"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, pact, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = self.fields["target"].queryset = pact.budget_lines.all()


class MeetingForm(forms.ModelForm):
    date = DateField(label=_("date"))

    class Meta:
        model = PactMeeting
        fields = ["date", "time", "place", "agenda"]
        widgets = {
            "time": forms.TimeInput(attrs={"type": "time"}),
            "agenda": forms.Textarea(attrs={"rows": 4}),
        }


class AttendanceForm(forms.Form):
    """The meeting's lists: the group's accepted members, ticked."""

    registered = forms.ModelMultipleChoiceField(
        label=_("Registered"),
        queryset=PactMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attended = forms.ModelMultipleChoiceField(
        label=_("Attended"),
        queryset=PactMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    guests = forms.ModelMultipleChoiceField(
        label=_("Registered online: attended"),
        queryset=MeetingAttendance.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        members = meeting.pact.members.filter(accepted_at__isnull=False)
        for name in ("registered", "attended"):
            self.fields[name].queryset = members
            self.fields[name].label_from_instance = lambda member: member.shown_name
        guests = meeting.attendances.filter(member__isnull=True).order_by("name", "pk")
        self.fields["guests"].queryset = guests
        self.fields["guests"].label_from_instance = lambda row: f"{row.name} · {row.email}"


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What was discussed and decided. Required to close the meeting."),
    )


class TrancheForm(forms.ModelForm):
    """A payment tranche: a milestone among the pact's actions, an amount, an expected date."""

    amount = AmountField(label=capfirst(_("amount (€)")), min_value=0.01)
    planned_on = DateField(label=capfirst(_("expected on")), required=False)

    class Meta:
        model = Tranche
        fields = ["milestone", "amount", "planned_on"]
        help_texts = {"milestone": _("The tranche becomes due when this milestone is done.")}

    def __init__(self, *args, pact, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = pact.actions.all()
        self.fields["milestone"].empty_label = "—"


class TranchePayForm(forms.Form):
    paid_on = DateField(label=capfirst(_("paid on")))


class MeetingRegistrationForm(PersonForm):
    """
    A young person registers for a co-design meeting (or says who they are at it, by its QR
    code): name, e-mail, date of birth; under the consent age on the meeting's day, a parent or
    guardian's name, e-mail and consent (the portal's minors' rule, people.forms.PersonForm).
    """

    phone = None
    gender = None
    municipality = None
    status = None
    education = None

    def __init__(self, *args, meeting, **kwargs):
        self.meeting = meeting
        super().__init__(*args, **kwargs)
        self.fields["guardian_consent"].label = _(
            "The parent or guardian agrees to the registration and to the processing of the data"
        )

    def age_day(self):
        return self.meeting.date
