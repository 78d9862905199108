"""
Forms of Together We Work. The hub is never a form field: views pass it in, and every choice of
a related row (cooperative, operator, person's municipality) is limited to the hub's rows, so a
tampered id is "not one of the available choices", never a crash or another hub's row.

The hours rules (quarter hours, more than zero, the 3–24 bounds, dates of the log) live in
placements.services; the views turn its ValidationErrors into errors on these forms' fields.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hubs.capabilities import roles_with
from hubs.forms import DateField, FieldGroup
from hubs.models import Membership
from people.forms import StaffPersonForm
from people.models import Person

from . import selectors, services
from .models import MAX_HOURS, ActivityKind, ContractKind, Path, Situation

TARGET_GROUPS = ("is_neet", "is_low_schooling", "is_pandemic_unemployed")


class HoursField(forms.DecimalField):
    """Hours with a decimal comma or point, whatever the page's language ("1,5" = "1.5")."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


def hours_field(label, **kwargs) -> forms.DecimalField:
    """
    Hours as people type them ("1,5" or "1.5"), never more than a path's 24 (so 1e40 gets a
    message); the service checks the project's other rules.
    """
    return HoursField(
        label=label,
        localize=True,
        max_value=MAX_HOURS,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        **kwargs,
    )


class OperatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.label
        organization = getattr(obj, "organization_name", None)
        return f"{name} · {organization}" if organization else name


def operators_for(hub, cooperative=None):
    """
    The users who may run a path of the hub ("placements.run_paths"): those who manage every
    path (its coordinators and operators), and the others, partner operators, of `cooperative`
    only when it is given. Each carries its organization's name.
    """
    memberships = Membership.objects.for_hub(hub).filter(
        is_active=True, role__in=roles_with("placements.run_paths")
    )
    if cooperative is not None:
        memberships = memberships.filter(
            Q(role__in=roles_with("placements.manage_paths")) | Q(organization=cooperative)
        )
    organization = (
        Membership.objects.for_hub(hub).filter(user=OuterRef("pk")).values("organization__name")[:1]
    )
    return (
        get_user_model()
        .objects.filter(pk__in=memberships.values("user_id"))
        .annotate(organization_name=Subquery(organization))
        .order_by("first_name", "last_name", "email")
    )


def check_operator(hub, operator, cooperative) -> str | None:
    """An error message if `operator` is a partner operator of another organization."""
    if operator is None or cooperative is None:
        return None
    membership = Membership.objects.for_hub(hub).filter(user=operator, is_active=True).first()
    if (
        membership
        and not membership.can("placements.manage_paths")
        and membership.organization_id != cooperative.pk
    ):
        return _(
            "This operator works for another cooperative: choose one of the hub's staff or "
            "of the chosen cooperative."
        )
    return None


# --- Intake ---------------------------------------------------------------------------------------


class PathFactsForm(forms.ModelForm):
    """The intake facts of a path: target groups, eligibility facts and the start date."""

    class Meta:
        model = Path
        fields = [*TARGET_GROUPS, "age_at_intake", "education", "months_out", "starts_on"]
        field_classes = {"starts_on": DateField}
        help_texts = {
            "months_out": _("How long they have been out of work, school or training."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["education"].choices = [("", "—"), *Person.Education.choices]

    def _get_validation_exclusions(self):
        # The target-group rule is checked by clean() below, in words, not by the model's
        # constraint (whose message names the constraint).
        return super()._get_validation_exclusions() | set(TARGET_GROUPS)

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(name) for name in TARGET_GROUPS):
            self.add_error("is_neet", _("Choose at least one target group."))
        return cleaned


class PathIntakeForm(StaffPersonForm, PathFactsForm):
    """
    Intake: the path's facts, the cooperative and operator, and — unless the young person is
    already chosen (a path opened from the desk's record) — the young person's details, with a
    parent or guardian's under the consent age on the path's first day. The person's education
    is the path's own field.
    """

    PERSON_FIELDS = ("first_name", "last_name", "email", "birth_date", "gender", "status", "municipality")
    RECORD_FIELDS = (*PERSON_FIELDS, "education")

    phone = None
    education = None  # the Path's field, in "Eligibility at intake"
    cooperative = forms.ModelChoiceField(label=_("Cooperative"), queryset=None)
    operator = OperatorChoiceField(
        label=_("Operator"),
        queryset=None,
        required=False,
        empty_label="—",
        help_text=_("Optional: the person following the path (hub staff or the cooperative's)."),
    )

    class Meta(PathFactsForm.Meta):
        fields = [*PathFactsForm.Meta.fields]

    def __init__(self, *args, hub, person=None, **kwargs):
        self.hub, self.person = hub, person
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("starts_on", timezone.localdate())
        if person is not None:
            if person.birth_date:
                initial.setdefault("age_at_intake", person.age_on(timezone.localdate()))
            if person.education:
                initial.setdefault("education", person.education)
        super().__init__(*args, hub=hub, **kwargs)
        self.fields["email"].help_text = _("The young person confirms the activities from here.")
        self.fields["age_at_intake"].required = False
        self.fields["age_at_intake"].help_text = _("Left empty, it is counted from the date of birth.")
        self.fields["cooperative"].queryset = selectors.cooperatives_for(hub)
        self.fields["cooperative"].empty_label = "—"
        self.fields["operator"].queryset = operators_for(hub)
        if person is not None:
            for name in (*self.PERSON_FIELDS, *self.GUARDIAN_FIELDS):
                del self.fields[name]
        else:
            self.fields["guardian_consent"].label = _(
                "The parent or guardian agrees to the path and to the processing of the data"
            )

    def groups(self) -> list[FieldGroup]:
        groups = []
        if self.person is None:
            groups += [self.person_group(_("The young person")), self.guardian_group()]
        groups += [
            FieldGroup(
                self,
                TARGET_GROUPS,
                legend=_("Target groups"),
                help_text=_("At least one; more than one may apply."),
            ),
            FieldGroup(self, ["age_at_intake", "education", "months_out"], legend=_("Eligibility at intake")),
            FieldGroup(self, ["cooperative", "operator", "starts_on"], legend=_("The path")),
        ]
        return groups

    def age_day(self):
        """The path's first day: the age at intake, and whether a guardian consents, count on it."""
        return self.cleaned_data.get("starts_on") or timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        person = self.person or self.typed_person()
        if cleaned.get("age_at_intake") is None and "age_at_intake" not in self.errors:
            if person.birth_date:
                cleaned["age_at_intake"] = person.age_on(self.age_day())
            else:
                self.add_error("age_at_intake", _("Give the young person's age at intake."))
        error = check_operator(self.hub, cleaned.get("operator"), cleaned.get("cooperative"))
        if error:
            self.add_error("operator", error)
        return cleaned

    def path_fields(self) -> dict:
        names = [*PathFactsForm.Meta.fields, "cooperative", "operator"]
        return {name: self.cleaned_data[name] for name in names}


class PathAssignForm(forms.Form):
    """Give the path to another cooperative, or another operator."""

    cooperative = forms.ModelChoiceField(label=_("Cooperative"), queryset=None)
    operator = OperatorChoiceField(label=_("Operator"), queryset=None, required=False, empty_label="—")

    def __init__(self, *args, hub, **kwargs):
        super().__init__(*args, **kwargs)
        self.hub = hub
        self.fields["cooperative"].queryset = selectors.cooperatives_for(hub)
        self.fields["operator"].queryset = operators_for(hub)

    def clean(self):
        cleaned = super().clean()
        error = check_operator(self.hub, cleaned.get("operator"), cleaned.get("cooperative"))
        if error:
            self.add_error("operator", error)
        return cleaned


# --- The plan -------------------------------------------------------------------------------------


class GoalsForm(forms.Form):
    goals = forms.CharField(
        label=_("Goals of the path"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the young person wants to reach, in their words."),
    )


class PlanLineForm(forms.Form):
    kind = forms.ChoiceField(label=_("Activity"), choices=[("", "—"), *ActivityKind.choices], required=False)
    hours = hours_field(_("Planned hours"), required=False)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)

    def clean(self):
        cleaned = super().clean()
        kind, hours = cleaned.get("kind"), cleaned.get("hours")
        if "hours" in self.errors:
            return cleaned
        if hours is not None:
            try:
                cleaned["hours"] = services.check_quarter_hours(hours)
            except ValidationError as error:
                self.add_error(None, error)
        if kind and hours is None:
            self.add_error("hours", _("Give the hours planned for this activity."))
        if hours is not None and not kind:
            self.add_error("kind", _("Choose the activity."))
        if not kind and hours is None and cleaned.get("description"):
            self.add_error("kind", _("Choose the activity."))
        return cleaned

    @property
    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("kind") or self.cleaned_data.get("hours") is not None)


class BasePlanFormSet(forms.BaseFormSet):
    def lines(self) -> list[dict]:
        return [
            {
                "kind": f.cleaned_data["kind"],
                "hours": f.cleaned_data["hours"],
                "description": f.cleaned_data.get("description", ""),
            }
            for f in self.forms
            if f.cleaned_data and not f.is_blank
        ]


PlanFormSet = forms.formset_factory(
    PlanLineForm,
    formset=BasePlanFormSet,
    extra=3,
    max_num=20,
    validate_max=True,
)


# --- The activity log ----------------------------------------------------------------------------


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Activity"), choices=[("", "—"), *ActivityKind.choices])
    date = DateField(label=_("Date"))
    hours = hours_field(
        _("Duration (hours)"),
        help_text=_("In quarter hours: 0.25 is 15 minutes, 1.5 is an hour and a half."),
    )
    operator = OperatorChoiceField(label=_("Operator"), queryset=None)
    note = forms.CharField(
        label=_("Short note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, path, user, **kwargs):
        kwargs.setdefault("initial", {}).update({"date": timezone.localdate(), "operator": user.pk})
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = operators_for(path.hub, path.cooperative)


# --- Closing and follow-ups ------------------------------------------------------------------------


class PathCloseForm(forms.Form):
    # Not `required`: the service says what is missing, in the project's words.
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *Situation.choices], required=False)
    closed_on = DateField(label=_("Closing date"), required=False)
    contract_kind = forms.ChoiceField(
        label=_("Contract"),
        choices=[("", "—"), *ContractKind.choices],
        required=False,
        help_text=_("Needed when the young person is employed."),
    )
    note = forms.CharField(
        label=_("Outcome note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class FollowUpForm(forms.Form):
    situation = forms.ChoiceField(
        label=_("Situation"), choices=[("", "—"), *Situation.choices], required=False
    )
    recorded_on = DateField(label=_("Date of the follow-up"), required=False)
    contract_kind = forms.ChoiceField(
        label=_("Contract"),
        choices=[("", "—"), *ContractKind.choices],
        required=False,
        help_text=_("Needed when the young person is employed."),
    )
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


# --- Export -----------------------------------------------------------------------------------------


class ExportForm(forms.Form):
    PATHS, ACTIVITIES = "paths", "activities"
    CSV, XLSX = "csv", "xlsx"

    what = forms.ChoiceField(
        label=_("What"),
        widget=forms.RadioSelect,
        initial=PATHS,
        choices=[
            (PATHS, _("Paths (one row per path)")),
            (ACTIVITIES, _("Activities (one row per logged activity)")),
        ],
    )
    format = forms.ChoiceField(
        label=_("Format"),
        widget=forms.RadioSelect,
        initial=XLSX,
        choices=[(XLSX, _("Excel (XLSX)")), (CSV, _("CSV"))],
    )
