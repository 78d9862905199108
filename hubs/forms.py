"""
Back-office forms of the territory, and what every app's forms share: `DateField` (bounded, drawn
as the browser's date picker), `FieldGroup` (a fieldset of some fields of a form) and
`add_service_error` (a service's ValidationError shown on the form). The hub is never a form
field: views take it from the URL.
"""

from datetime import date

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import (
    Antenna,
    Hub,
    Invitation,
    Membership,
    Organization,
    SubArea,
    validate_role_organization,
)
from .selectors import organizations_for_hub, subareas_for_hub

# Every date typed in the portal lies between these: birth dates of young people, sessions,
# paths, meetings. Far enough from Python's limits (years 1 and 9999) that "the week after",
# "six months later" or a time zone's midnight never leave them.
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2100, 12, 31)


def validate_date_in_range(value: date) -> None:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            _("Enter a date between the years %(first)s and %(last)s."),
            code="date_out_of_range",
            params={"first": EARLIEST_DATE.year, "last": LATEST_DATE.year},
        )


class DateField(forms.DateField):
    """
    A date field of any form of the portal: the browser's date picker, and a date of year 1 or
    9999 gets a message, not a 500.
    """

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    default_validators = [validate_date_in_range]


class DatePartsWidget(forms.MultiWidget):
    """
    Day, month and year as three short number boxes (quick on a phone: no 17-year scroll of a
    date picker), each with its own label and `bday-*` autocomplete when `autocomplete="bday"`.
    A typed ISO date under the field's own name ("2004-03-01") is read too, so a client that
    sends one value still works.
    """

    template_name = "hubs/widgets/date_parts.html"
    PARTS = (
        ("day", _("Day"), 2, "gg"),
        ("month", _("Month"), 2, "mm"),
        ("year", _("Year"), 4, "aaaa"),
    )

    def __init__(self, attrs=None, *, autocomplete: str = ""):
        widgets = []
        for part, _label, size, placeholder in self.PARTS:
            part_attrs = {
                "inputmode": "numeric",
                "pattern": "[0-9]*",
                "maxlength": size,
                "size": size,
                "placeholder": placeholder,
            }
            if autocomplete:
                part_attrs["autocomplete"] = f"{autocomplete}-{part}"
            widgets.append(forms.TextInput(attrs=part_attrs))
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value.count("-") == 2:
            year, month, day = value.split("-")
            return [day, month, year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        typed = data.get(name)
        if typed and not any(data.get(f"{name}_{i}") for i in range(3)):
            return self.decompress(typed.strip())
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, (_part, label, size, _placeholder) in zip(
            context["widget"]["subwidgets"], self.PARTS, strict=True
        ):
            subwidget["label"] = label
            subwidget["size"] = size
        context["widget"]["group_label"] = getattr(self, "group_label", "")
        return context


class DatePartsField(forms.MultiValueField):
    """
    A date typed as day, month and year (DatePartsWidget), bounded like DateField. Its errors
    say what is wrong in words: a missing part, a part that is not a number, a day the month
    does not have ("31 February"), a year of two digits.
    """

    widget = DatePartsWidget
    default_error_messages = {
        "required": _("Enter the date: day, month and year."),
        "incomplete": _("Enter the day, the month and the year."),
        "invalid": _("Write the day, the month and the year in numbers, e.g. 7 3 2008."),
        "no_such_day": _("This date does not exist: check the day and the month."),
        "short_year": _("Write the year with four digits, e.g. 2008."),
    }

    def __init__(self, *, autocomplete: str = "", **kwargs):
        fields = [forms.CharField() for _i in range(3)]
        kwargs.setdefault("widget", DatePartsWidget(autocomplete=autocomplete))
        super().__init__(fields, require_all_fields=False, **kwargs)
        self.validators.append(validate_date_in_range)
        self.widget.group_label = self.label  # the name of the three boxes' group

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        if not all(data_list):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        try:
            day, month, year = (int(part) for part in data_list)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not (1 <= day <= 31 and year < 10000):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if year < 100:
            raise ValidationError(self.error_messages["short_year"], code="short_year")
        if not 1 <= month <= 12:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return date(year, month, day)
        except ValueError:
            raise ValidationError(self.error_messages["no_such_day"], code="no_such_day") from None


class FieldGroup:
    """
    Some fields of a form, shaped like a form for `includes/form.html`: one fieldset each. The
    page shows the form's own non-field errors once, above the fieldsets.
    """

    non_field_errors = ()
    hidden_fields = ()

    def __init__(self, form, names, *, legend="", help_text=""):
        self.legend, self.help_text = legend, help_text
        self.visible_fields = [form[name] for name in names if name in form.fields]

    @property
    def errors(self) -> bool:
        return any(field.errors for field in self.visible_fields)


def add_service_error(form, error: ValidationError) -> None:
    """
    A service's ValidationError on the form: each message on its field when the form has that
    field, the others above the form. What the user typed stays in the form.
    """
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class HubSettingsForm(forms.ModelForm):
    class Meta:
        model = Hub
        fields = ["description", "services", "address", "opening_hours", "email", "phone", "website"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "services": forms.Textarea(attrs={"rows": 5}),
            "opening_hours": forms.Textarea(attrs={"rows": 3}),
        }


class AntennaForm(forms.ModelForm):
    class Meta:
        model = Antenna
        fields = [
            "name",
            "kind",
            "sub_area",
            "municipality",
            "address",
            "opening_hours",
            "email",
            "phone",
            "is_active",
        ]
        widgets = {"opening_hours": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, hub, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sub_area"].queryset = subareas_for_hub(hub=hub)


class SubAreaForm(forms.ModelForm):
    class Meta:
        model = SubArea
        fields = ["name", "municipalities", "description"]
        widgets = {
            "municipalities": forms.SelectMultiple(attrs={"size": 12}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, hub, **kwargs):
        self.hub = hub
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = self.cleaned_data["name"]
        clash = SubArea.objects.for_hub(self.hub).filter(name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("This hub already has a sub-area with this name."))
        return name


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = [
            "name",
            "kind",
            "school_type",
            "municipality",
            "address",
            "email",
            "phone",
            "website",
        ]


class MyOrganizationForm(forms.ModelForm):
    """What a partner or school referent may change of their own organization."""

    class Meta:
        model = Organization
        fields = ["address", "email", "phone", "website"]


class RoleOrganizationMixin:
    """Partner and school roles must name an organization of the hub; other roles none."""

    def setup_organization(self, hub):
        self.hub = hub
        self.fields["organization"].queryset = organizations_for_hub(hub=hub)
        self.fields["organization"].required = False
        self.fields["organization"].help_text = _("Only for partner operators and school referents.")

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role:
            try:
                validate_role_organization(role, cleaned.get("organization"), self.hub)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class InvitationForm(RoleOrganizationMixin, forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "role", "organization"]

    def __init__(self, *args, hub, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_organization(hub)


class MembershipForm(RoleOrganizationMixin, forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "organization", "is_active"]

    def __init__(self, *args, hub, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_organization(hub)


class InvitationSignupForm(forms.Form):
    """The account of an invited person who has none yet (their e-mail is the invitation's)."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password1:
            from people.models import User

            try:
                password_validation.validate_password(
                    password1,
                    User(
                        email=self.email,
                        first_name=cleaned.get("first_name", ""),
                        last_name=cleaned.get("last_name", ""),
                    ),
                )
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned
