"""The form helpers every app shares (hubs/forms.py)."""

from django import forms
from django.core.exceptions import ValidationError

from hubs.forms import DateField, FieldGroup, add_service_error


class HoursForm(forms.Form):
    day = DateField()
    hours = forms.DecimalField()


def bound() -> HoursForm:
    form = HoursForm({"day": "2030-05-02", "hours": "2"})
    assert form.is_valid()
    return form


def test_a_service_error_lands_on_its_field_or_above_the_form():
    form = bound()
    add_service_error(
        form,
        ValidationError(
            {"hours": "A path has at most 24 hours.", "cooperative": "Not a partner of the hub."}
        ),
    )
    assert form.errors["hours"] == ["A path has at most 24 hours."]
    # A field the form does not show: above the form, never a crash (Django's own add_error raises).
    assert form.non_field_errors() == ["Not a partner of the hub."]
    assert "hours" not in form.cleaned_data

    form = bound()
    add_service_error(form, ValidationError(["This session is full.", "Try another day."]))
    assert form.non_field_errors() == ["This session is full.", "Try another day."]


def test_field_groups_and_dates_render_as_the_pages_expect():
    form = HoursForm({"day": "2030-05-02", "hours": "x"})
    form.is_valid()
    group = FieldGroup(form, ["day", "hours", "not_on_this_form"], legend="When")
    assert [field.name for field in group.visible_fields] == ["day", "hours"]
    assert group.errors and group.legend == "When"
    assert not FieldGroup(form, ["day"]).errors
    assert 'type="date"' in str(form["day"]) and 'value="2030-05-02"' in str(form["day"])
