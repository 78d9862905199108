"""
Forms of the Cabina di Regia's pages. The hub is never a form field: views take it from the URL
and pass it in, and every choice of a related row (snapshot, owner) is limited to that hub's
rows, so another hub's id is simply "not one of the available choices".
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from hubs.forms import DateField

from .models import Decision, Meeting, MonitoringPlan, Snapshot, Target


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ExportForm(forms.Form):
    HUB, NETWORK = "hub", "network"
    CSV, XLSX = "csv", "xlsx"

    scope = forms.ChoiceField(
        label=_("Indicators of"),
        choices=[
            (HUB, _("This hub")),
            (NETWORK, _("The whole network (aggregates)")),
        ],
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=[(XLSX, _("Excel (.xlsx)")), (CSV, _("CSV (.csv)"))]
    )

    def __init__(self, *args, network: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not network:
            self.fields["scope"].choices = self.fields["scope"].choices[:1]


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["value", "notes"]
        help_texts = {"notes": _("Where the number comes from, or why it changed.")}

    def clean_value(self):
        value = self.cleaned_data["value"]
        if value is not None and value < 0:
            raise forms.ValidationError(_("A target cannot be negative."))
        return value


class PlanForm(forms.ModelForm):
    class Meta:
        model = MonitoringPlan
        fields = ["starts_on", "ends_on"]
        field_classes = {"starts_on": DateField, "ends_on": DateField}
        widgets = {"starts_on": date_input(), "ends_on": date_input()}

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends <= starts:
            self.add_error("ends_on", _("The project must end after it starts."))
        return cleaned


class SnapshotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(kind)s, as of %(day)s") % {
            "kind": obj.get_kind_display(),
            "day": obj.as_of.strftime("%d/%m/%Y"),
        }


class MeetingForm(forms.ModelForm):
    """A meeting; its snapshot is an existing one of the hub, or one taken now."""

    take_snapshot = forms.BooleanField(
        label=_("Attach a new snapshot of the indicators, taken now"),
        required=False,
    )
    snapshot = SnapshotChoiceField(
        label=_("Or attach an existing snapshot"),
        queryset=None,
        required=False,
        empty_label=_("None"),
    )

    class Meta:
        model = Meeting
        fields = ["date", "place", "attendees", "agenda", "minutes", "snapshot"]
        field_classes = {"date": DateField}
        widgets = {
            "date": date_input(),
            "attendees": forms.Textarea(attrs={"rows": 4}),
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }

    field_order = ["date", "place", "attendees", "agenda", "minutes", "take_snapshot", "snapshot"]

    def __init__(self, *args, hub, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["snapshot"].queryset = Snapshot.objects.for_hub(hub)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("take_snapshot") and cleaned.get("snapshot"):
            self.add_error("snapshot", _("Take a new snapshot or choose an existing one, not both."))
        return cleaned


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class DecisionForm(forms.ModelForm):
    """A decision: its owner is an active member of the hub, or someone named in free text."""

    class Meta:
        model = Decision
        fields = ["text", "owner", "owner_name", "due_on", "status"]
        field_classes = {"due_on": DateField}
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "due_on": date_input()}

    def __init__(self, *args, hub, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        owner = self.fields["owner"]
        self.fields["owner"] = OwnerChoiceField(
            label=owner.label,
            required=False,
            empty_label=_("Not a portal user"),
            queryset=get_user_model()
            .objects.filter(
                memberships__hub=hub,
                memberships__is_active=True,
                is_active=True,
            )
            .order_by("first_name", "last_name", "email"),
        )

    def clean(self):
        cleaned = super().clean()
        owner, owner_name = cleaned.get("owner"), (cleaned.get("owner_name") or "").strip()
        if owner and owner_name:
            self.add_error("owner_name", _("Choose a member or write a name, not both."))
        elif not owner and not owner_name and "owner" not in self.errors:
            self.add_error(
                "owner", _("Say who carries the decision out: a member of the hub or, below, a name.")
            )
        due = cleaned.get("due_on")
        if due and due < self.meeting.date:
            self.add_error(
                "due_on",
                _("The due date cannot come before the meeting (%(day)s).")
                % {"day": self.meeting.date.strftime("%d/%m/%Y")},
            )
        return cleaned
