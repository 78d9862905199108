"""
Likely duplicates among the hub's people, and the merge of two records of one person: both
shown side by side, staff pick the value kept for each field that differs, and every row of
every app follows the kept record (people.services.person_merge). Opening both is logged.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from hubs.forms import add_service_error
from people.models import Person
from people.services import MERGE_FIELDS, _reverse_relations, person_merge, record_access_log

from ... import selectors
from .base import DeskMixin


def shown(person: Person, name: str) -> str:
    """A field's value as staff read it."""
    field = Person._meta.get_field(name)
    if field.choices:
        return str(getattr(person, f"get_{name}_display")()) or "—"
    value = getattr(person, name)
    if value in (None, ""):
        return "—"
    if name == "birth_date":
        return f"{value:%d/%m/%Y}"
    return str(value)


class PersonMergeForm(forms.Form):
    """One choice per field where the two records differ: which record's value is kept."""

    def __init__(self, *args, keep: Person, other: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.keep, self.other = keep, other
        for name in MERGE_FIELDS:
            if getattr(keep, Person._meta.get_field(name).attname) == getattr(
                other, Person._meta.get_field(name).attname
            ):
                continue
            initial = "other" if getattr(keep, name) in (None, "") else "keep"
            self.fields[name] = forms.ChoiceField(
                label=Person._meta.get_field(name).verbose_name,
                choices=[("keep", shown(keep, name)), ("other", shown(other, name))],
                widget=forms.RadioSelect,
                initial=initial,
                required=False,  # not answered: the value shown as chosen (the kept one, unless empty)
            )

    def values(self) -> dict:
        chosen = {name: choice or self.fields[name].initial for name, choice in self.cleaned_data.items()}
        return {
            name: getattr(self.keep if choice == "keep" else self.other, name)
            for name, choice in chosen.items()
        }


class PersonDuplicatesView(DeskMixin, TemplateView):
    """Pairs of records that are likely one person (same e-mail, phone, or name and birth date)."""

    template_name = "desk/backoffice/person_duplicates.html"
    page_title = gettext_lazy("Possible duplicates")
    desk_tab = "people"
    cancel_url_name = "deskbo:person_list"

    def get_context_data(self, **kwargs):
        return super().get_context_data(pairs=selectors.person_duplicates(hub=self.hub), **kwargs)


class PersonMergeView(DeskMixin, FormView):
    """
    Merge record `?con=<id>` into record `pk` (the one kept; "swap" keeps the other). Both are
    this hub's people, or 404. Opening the page logs the opening of both records.
    """

    template_name = "desk/backoffice/person_merge.html"
    form_class = PersonMergeForm
    page_title = gettext_lazy("Merge two records")
    desk_tab = "people"
    cancel_url_name = "deskbo:person_duplicates"

    def load(self, **kwargs):
        people = (
            selectors.people_for_hub(hub=self.hub)
            .filter(erased_at__isnull=True)
            .select_related("municipality")
        )
        self.keep = get_object_or_404(people, pk=kwargs["pk"])
        self.other = None
        other_id = self.request.GET.get("con", "")
        if not other_id and self.request.method == "GET":
            return None  # the page lists the records that may be the same person
        if not other_id.isdigit():
            raise Http404
        self.other = get_object_or_404(people, pk=int(other_id))
        if self.keep.pk == self.other.pk:
            raise Http404

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"keep": self.keep, "other": self.other}

    def get(self, request, *args, **kwargs):
        if self.other is None:
            pairs = selectors.person_duplicates(hub=self.hub)
            candidates = [
                p["b"] if p["a"].pk == self.keep.pk else p["a"]
                for p in pairs
                if self.keep in (p["a"], p["b"])
            ]
            return self.render_to_response(self.get_context_data(form=None, candidates=candidates))
        for person in (self.keep, self.other):
            record_access_log(hub=self.hub, person=person, user=request.user, what="desk.merge")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        if self.other is None:
            return super().get_context_data(keep=self.keep, other=None, **kwargs)
        rows = [
            (Person._meta.get_field(name).verbose_name, shown(self.keep, name), shown(self.other, name))
            for name in MERGE_FIELDS
        ]
        follows = []
        for model, name in _reverse_relations():
            if model._meta.app_label == "people" and model._meta.model_name in ("personhub", "recordaccess"):
                continue
            counts = [
                model._base_manager.filter(**{name: person}).count() for person in (self.keep, self.other)
            ]
            if any(counts):
                follows.append((model._meta.verbose_name_plural, *counts))
        return super().get_context_data(
            keep=self.keep, other=self.other, rows=rows, follows=follows, **kwargs
        )

    def form_valid(self, form):
        try:
            person = person_merge(
                hub=self.hub, keep=self.keep, other=self.other, values=form.values(), by=self.request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The two records are now one: everything of both is here."))
        return redirect("deskbo:person_record", hub_slug=self.hub.slug, pk=person.pk)
