"""Forms of the job fair: the back office's, the exhibitors' and the young visitors'."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hubs.forms import DateField
from people.forms import PersonForm

from .models import Fair, FocusArea, HelpRequest, Opportunity, Stand, Workshop
from .selectors import kind_choices

MAX_CLASS = 40


class FairForm(forms.ModelForm):
    date = DateField(label=_("Date"))
    exhibitors_from = DateField(label=_("Exhibitors may register from"))
    exhibitors_until = DateField(label=_("Exhibitors may register until"))
    visitors_from = DateField(label=_("Young people may register from"))
    visitors_until = DateField(label=_("Young people may register until"))

    class Meta:
        model = Fair
        fields = [
            "title",
            "description",
            "venue",
            "address",
            "date",
            "opens_at",
            "closes_at",
            "exhibitors_from",
            "exhibitors_until",
            "visitors_from",
            "visitors_until",
            "capacity",
            "offer_hours",
            "shred_after_days",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "opens_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The fair must close after it opens."))
        for start, end in (("exhibitors_from", "exhibitors_until"), ("visitors_from", "visitors_until")):
            if cleaned.get(start) and cleaned.get(end) and cleaned[end] < cleaned[start]:
                self.add_error(end, _("The window must end after it starts."))
        return cleaned


class AreaChoiceMixin:
    def limit_areas(self, fair):
        self.fields["area"].queryset = fair.areas.all()
        self.fields["area"].empty_label = "—"


class WorkshopForm(AreaChoiceMixin, forms.ModelForm):
    class Meta:
        model = Workshop
        fields = ["title", "area", "description", "room", "starts_at", "ends_at", "capacity"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args, fair, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_areas(fair)
        self.fair = fair

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The workshop must end after it starts."))
        if starts and starts.date() != self.fair.date:
            self.add_error("starts_at", _("A workshop takes place on the fair's day."))
        return cleaned


class StandsForm(forms.Form):
    rows = forms.IntegerField(label=_("Rows"), min_value=1, max_value=26, initial=3)
    columns = forms.IntegerField(label=_("Stands per row"), min_value=1, max_value=30, initial=8)


class StandAssignForm(forms.Form):
    stand = forms.ModelChoiceField(
        label=_("Stand"), queryset=Stand.objects.none(), required=False, empty_label="—"
    )

    def __init__(self, *args, fair, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stand"].queryset = fair.stands.all()


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ExhibitorRegistrationForm(forms.Form):
    name = forms.CharField(label=_("Organization's name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of organization"))
    area = forms.ModelChoiceField(label=_("Focus area"), queryset=FocusArea.objects.none(), empty_label="—")
    description = forms.CharField(
        label=_("What you offer young people"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    keywords = forms.CharField(
        label=_("Professions and keywords"),
        max_length=300,
        required=False,
        help_text=_("Comma separated, e.g. nurse, care worker: visitors find your stand by them."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    contact_name = forms.CharField(label=_("Contact person"), max_length=150)
    email = forms.EmailField(
        label=_("Contact e-mail"), help_text=_("Our answer, and the invitation to the portal, go here.")
    )

    def __init__(self, *args, fair, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "—"), *kind_choices()]
        self.fields["area"].queryset = fair.areas.all()


class ExhibitorProfileForm(forms.Form):
    description = forms.CharField(
        label=_("What you offer young people"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    keywords = forms.CharField(label=_("Professions and keywords"), max_length=300, required=False)


class OpportunityForm(AreaChoiceMixin, forms.ModelForm):
    deadline = DateField(label=_("Apply by"))

    class Meta:
        model = Opportunity
        fields = ["title", "kind", "area", "deadline", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, fair, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_areas(fair)


class VisitorForm(PersonForm):
    """A young visitor's ticket: the person's details, the fair's day counts for the minors' rule."""

    guardian_consent = None  # under 14 the guardian consents by the link e-mailed to them
    notice_accepted = forms.BooleanField(label=_("I have read the notice above and I agree"), required=True)

    def __init__(self, *args, fair, **kwargs):
        super().__init__(*args, hub=fair.hub, **kwargs)
        self.fair = fair
        for name in ("guardian_name", "guardian_email"):
            self.fields[name].help_text = _("Only if you will be under 14 on the day of the fair.")

    def age_day(self):
        return self.fair.date

    def clean(self):
        cleaned = forms.Form.clean(self)
        if self.needs_guardian():
            for name in ("guardian_name", "guardian_email"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Under 14 a parent or guardian must consent: fill this in."))
        return cleaned


class ClassForm(forms.Form):
    school = forms.CharField(label=_("School"), max_length=200)
    class_name = forms.CharField(label=_("Class"), max_length=40, help_text=_("e.g. 4B"))
    teacher_name = forms.CharField(label=_("Teacher"), max_length=150)
    email = forms.EmailField(label=_("Teacher's e-mail"))
    names = forms.CharField(
        label=_("Students' names"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("One student per line, first name and surname. No e-mail of the students is needed."),
        max_length=5000,
    )
    notice_accepted = forms.BooleanField(
        label=_("The students and their families have received the fair's privacy notice"), required=True
    )

    def clean_names(self):
        names = [line.strip() for line in self.cleaned_data["names"].splitlines() if line.strip()]
        if len(names) > MAX_CLASS:
            raise ValidationError(_("At most %(n)s students per class.") % {"n": MAX_CLASS})
        return names


class LeadForm(forms.Form):
    share_email = forms.BooleanField(label=_("my e-mail"), required=False, initial=True)
    share_phone = forms.BooleanField(label=_("my phone"), required=False)
    message = forms.CharField(
        label=_("A few words about you (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )


class HelpForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What help would you like?"), choices=HelpRequest.Kind.choices, widget=forms.RadioSelect
    )
    message = forms.CharField(
        label=_("Tell us more (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )
    consent = forms.BooleanField(label=_("The hub may contact me about this request"), required=True)


class CheckInSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or ticket code"), max_length=100, required=False)


class WalkInForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)


class SurveyForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How useful was the fair for you? (1 = not at all, 5 = very)"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("What would you change? (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
