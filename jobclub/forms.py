"""
Forms of the job club. The hub is never a form field: views pass it in, and every choice of a
related row (school, trainer, young worker) is limited to the hub's rows, so a tampered id is
"not one of the available choices". The rules (clashes, locks, thresholds) live in services.py.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from hubs.capabilities import roles_with
from hubs.forms import DateField
from hubs.models import Membership

from . import selectors
from .models import Attendance, Path, Sector, SelfAssessment, YoungWorker


def trainers_for(hub):
    """The users who may take a register of the hub ("jobclub.take_register")."""
    members = Membership.objects.for_hub(hub).filter(
        is_active=True, role__in=roles_with("jobclub.take_register")
    )
    return (
        get_user_model()
        .objects.filter(pk__in=members.values("user_id"))
        .order_by("first_name", "last_name", "email")
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class UsersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class HoursInput(forms.IntegerField):
    """Whole hours typed by staff, kept as minutes."""


class PathForm(forms.ModelForm):
    planned_hours = forms.IntegerField(label=_("Planned hours"), min_value=1, max_value=200, initial=20)
    trainers = UsersChoiceField(
        label=_("Trainers"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Path
        fields = ["school", "kind", "title", "classes", "threshold_percent"]

    def __init__(self, *args, hub, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = selectors.schools_for(hub)
        self.fields["trainers"].queryset = trainers_for(hub)
        if self.instance.pk:
            del self.fields["school"]
            self.fields["planned_hours"].initial = self.instance.planned_minutes // 60
            self.fields["trainers"].initial = list(self.instance.trainers.values_list("pk", flat=True))

    def path_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["planned_minutes"] = data.pop("planned_hours") * 60
        return data


class PathCloseForm(forms.Form):
    closed_on = DateField(label=_("Closed on"))
    reason = forms.CharField(
        label=_("Reason, if the signed sessions do not reach the planned hours"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SessionForm(forms.Form):
    day = DateField(label=_("Date"))
    start = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=480, initial=120
    )
    topic = forms.CharField(label=_("Topic"), max_length=200)
    sector = forms.ChoiceField(label=_("Focus sector"), choices=[("", "—"), *Sector.choices], required=False)
    young_worker = forms.ModelChoiceField(
        label=_("Young worker invited"), queryset=None, required=False, empty_label="—"
    )
    trainer = UserChoiceField(label=_("Trainer"), queryset=None, required=False, empty_label="—")

    def __init__(self, *args, hub, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["young_worker"].queryset = YoungWorker.objects.for_hub(hub).filter(is_active=True)
        self.fields["trainer"].queryset = trainers_for(hub)


class RosterForm(forms.Form):
    file = forms.FileField(
        label=_("Roster (CSV)"),
        help_text=_(
            "One student per line; columns: nome, cognome, classe, anno di nascita (genere optional)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 200_000:
            raise forms.ValidationError(_("The file is too large for a roster."))
        return upload


class RegisterForm(forms.Form):
    """One status and minutes-missed pair per student, all present unless changed."""

    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed once the school has validated the register."),
    )

    def __init__(self, *args, students, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.students = students
        for student in students:
            line = current.get(student.pk)
            self.fields[f"status_{student.pk}"] = forms.ChoiceField(
                label=str(student),
                choices=Attendance.Status.choices,
                initial=line.status if line else Attendance.Status.PRESENT,
                widget=forms.RadioSelect,
            )
            self.fields[f"missed_{student.pk}"] = forms.IntegerField(
                label=_("Minutes missed"),
                min_value=0,
                max_value=480,
                required=False,
                initial=(line.minutes_missed or None) if line else None,
            )

    def rows(self):
        for student in self.students:
            yield student, self[f"status_{student.pk}"], self[f"missed_{student.pk}"]

    def lines(self) -> dict:
        return {
            student.pk: (
                self.cleaned_data[f"status_{student.pk}"],
                self.cleaned_data[f"missed_{student.pk}"] or 0,
            )
            for student in self.students
        }


class YoungWorkerForm(forms.ModelForm):
    class Meta:
        model = YoungWorker
        fields = [
            "first_name",
            "last_name",
            "sector",
            "job",
            "employer",
            "availability",
            "email",
            "phone",
            "is_active",
        ]


class ClaimForm(forms.Form):
    code = forms.CharField(
        label=_("Your personal code"),
        max_length=20,
        help_text=_("The code your school gave you with the job club's roster."),
    )


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=20)


class SelfAssessmentForm(forms.Form):
    knowledge = forms.TypedChoiceField(
        label=_("How well do you know the jobs the territory needs?"),
        choices=SelfAssessment.SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 = not at all, 5 = very well"),
    )
    readiness = forms.TypedChoiceField(
        label=_("How ready do you feel to choose what to do after school?"),
        choices=SelfAssessment.SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 = not at all, 5 = very well"),
    )
    anonymous = forms.BooleanField(
        label=_("Answer anonymously (your answer is not linked to your name)"), required=False, initial=True
    )
