"""Forms of the network level (action 1). The hub is never a field: views take it from the URL."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hubs.forms import DateField
from hubs.models import Hub, Municipality, SubArea

from .models import Adoption, LibraryTool, NetworkMembership, Referral, TerritoryFigure


class JoinForm(forms.ModelForm):
    joined_on = DateField(label=_("Joined on"))

    class Meta:
        model = NetworkMembership
        fields = ["joined_on", "charter_accepted", "contact_name", "contact_email", "young_residents"]
        labels = {"charter_accepted": _("We accept the network's charter of youth information services")}


class AssessmentForm(forms.Form):
    """One checkbox per active criterion of the network's checklist."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"c{criterion.pk}"] = forms.BooleanField(label=criterion.text, required=False)

    def met(self):
        return [c for c in self.criteria if self.cleaned_data.get(f"c{c.pk}")]


class CriteriaForm(forms.Form):
    criteria = forms.CharField(
        label=_("Quality criteria"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("One criterion per line. A criterion removed from the list no longer counts."),
        max_length=10000,
    )


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(
        label=_("What are you looking for?"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    municipality = forms.ModelChoiceField(
        label=_("Your municipality"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        empty_label=_("Anywhere"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class ReferralForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail of the young person"), help_text=_("A person your hub already deals with.")
    )
    to_hub = forms.ModelChoiceField(label=_("Receiving hub"), queryset=Hub.objects.none())
    service = forms.CharField(label=_("Service of the receiving hub"), max_length=150)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
    items = forms.MultipleChoiceField(
        label=_("Data to share"),
        choices=Referral.Item.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Referral.Item.NAME, Referral.Item.EMAIL],
    )
    expires_on = DateField(label=_("Consent valid until"))

    def __init__(self, *args, hubs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_hub"].queryset = hubs
        self.fields["expires_on"].initial = timezone.localdate() + timedelta(days=90)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"), choices=[("accept", _("Accept")), ("decline", _("Decline"))]
    )
    reason = forms.ChoiceField(
        label=_("Reason for declining"), choices=[("", "—"), *Referral.DeclineReason.choices], required=False
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not data.get("reason"):
            self.add_error("reason", _("Choose a reason from the list."))
        return data


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), max_length=300)


class ToolPublishForm(forms.Form):
    tool = forms.ModelChoiceField(
        label=_("New version of"),
        queryset=LibraryTool.objects.none(),
        required=False,
        empty_label=_("A new tool"),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=LibraryTool.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=150, required=False)
    body = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 10}), max_length=20000)
    changes = forms.CharField(label=_("What changed"), max_length=300, required=False)

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tool"].queryset = LibraryTool.objects.filter(network=network)

    def clean(self):
        data = super().clean()
        if not data.get("tool") and not data.get("title"):
            self.add_error("title", _("Give the new tool a title."))
        return data


class AdoptionForm(forms.ModelForm):
    class Meta:
        model = Adoption
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}


class TerritoryFigureForm(forms.ModelForm):
    """A figure of the territory: for a sub-area of this hub, or the whole territory (empty)."""

    class Meta:
        model = TerritoryFigure
        fields = ["measure", "sub_area", "percent", "source", "year"]

    def __init__(self, *args, hub: Hub, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sub_area"].queryset = SubArea.objects.for_hub(hub)
        self.fields["sub_area"].empty_label = _("The whole territory")
        self.fields["year"].widget.attrs.update(min=2000, max=timezone.localdate().year)
