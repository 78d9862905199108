"""
Odd input never makes a server error. Every back-office page of the access sweep, as the hub's
coordinator, and every public page of a hub, as a visitor:

- GET with odd query strings (NUL bytes, dates of year 1 and 9999 and impossible ones, numbers
  like 1e40 / NaN / inf, over-long values) in every parameter the portal's forms and filters
  declare;
- POST of every form the page shows, as a browser would send it, with one field at a time
  made odd: over-long text and NUL bytes in text fields, 1e40 / NaN / inf / -0 in number
  fields, years 1 and 9999 and impossible days in date fields, unknown ids in choices.

Each answers without a 5xx: the odd value is refused with a message, or the page falls back to
its default.
"""

import inspect
from datetime import date
from html.parser import HTMLParser
from typing import NamedTuple

import django_filters
import pytest
from django import forms
from django.urls import reverse

from desk import forms_backoffice as desk_forms
from desk import forms_public as desk_public_forms
from governance import forms as governance_forms
from hubs import forms as hub_forms
from hubs.models import Role
from placements import filters as placements_filters
from placements import forms as placements_forms
from tests.test_url_access import HUB_URLS, PUBLIC_OWN, URLS, build_url, world  # noqa: F401 (its world)

pytestmark = pytest.mark.django_db


FORM_MODULES = (
    desk_forms,
    desk_public_forms,
    governance_forms,
    hub_forms,
    placements_forms,
    placements_filters,
)


def _declared_parameters() -> set[str]:
    """Every field name of the portal's forms and filters (what a page may read)."""
    names = set()
    for module in FORM_MODULES:
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm):
                names |= set(cls.base_fields)
            elif issubclass(cls, django_filters.FilterSet):
                names |= set(cls.base_filters)
    return names


# Parameters pages read straight from the query string, besides their forms' fields.
READ_DIRECTLY = {
    "q",
    "page",
    "status",
    "show",
    "person",
    "date",
    "view",
    "start",
    "end",
    "sent",
    "cancel",
    "joined",
}
PARAMETERS = sorted(_declared_parameters() | READ_DIRECTLY)
DATE_PARAMETERS = [name for name in PARAMETERS if name in {"date", "start", "end"} or name.endswith("_on")]
# What makes an export or a calendar take its parameters at all (else it shows its form).
CHOICES = [
    {"format": "csv", "scope": "hub", "what": "paths", "view": "week"},
    {"format": "xlsx", "scope": "network", "what": "activities", "view": "day"},
]
ODD_VALUES = [
    "\x00",
    "1e40",
    "NaN",
    "inf",
    "-1",
    "9" * 40,
    "x" * 2000,
    "2023-02-30",
    "0001-01-01",
    "9999-12-31",
]
ODD_PAGES = ["\x00", "9" * 40, "x" * 2000]
ODD_DATES = ["0001-01-01", "9999-12-31", "\x00"]
ODD_RANGES = [("0001-01-01", "0001-01-07"), ("9999-12-25", "9999-12-31"), ("0001-01-01", "9999-12-31")]


def odd_queries():
    for value in ODD_VALUES:
        # every parameter at once, but the page number: a list refuses a bad one before it reads
        # the others, which would hide them
        yield dict.fromkeys(PARAMETERS, value) | {"page": "1"}
    for value in ODD_PAGES:
        yield {"page": value}
    for choices in CHOICES:
        for value in ODD_DATES:
            yield choices | dict.fromkeys(DATE_PARAMETERS, value)
        for start, end in ODD_RANGES:
            yield choices | {"date": start, "start": start, "starts_on": start, "end": end, "ends_on": end}


def test_every_date_field_of_the_portal_refuses_year_1_and_9999():
    """Every date a form asks for is a `hubs.forms.DateField`, bounded to 1900–2100."""
    unbounded = [
        f"{module.__name__}.{cls.__name__}.{name}"
        for module in FORM_MODULES
        for _cls_name, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, forms.BaseForm)
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.DateField) and not isinstance(field, hub_forms.DateField)
    ]
    assert not unbounded, f"use hubs.forms.DateField: {unbounded}"
    for value in (date(1, 1, 1), date(9999, 12, 31)):
        with pytest.raises(forms.ValidationError):
            hub_forms.DateField().clean(value.isoformat())


def test_the_sweep_sends_the_forms_parameters():
    expected = {"q", "date", "starts_on", "ends_on", "hours", "cooperative", "antenna", "format"}
    assert expected <= set(PARAMETERS)


# The back office as the hub's coordinator, and the hub's public pages as a visitor.
PAGES = [(name, kwargs, True) for name, kwargs in HUB_URLS] + [
    (name, kwargs, False) for name, kwargs in URLS if name in PUBLIC_OWN and "hub_slug" in kwargs
]
PAGE_IDS = [name for name, _kwargs, _signed_in in PAGES]


def visit(client, world, name, kwargs, signed_in) -> str:  # noqa: F811
    if signed_in:
        client.force_login(world.a.users[Role.HUB_ADMIN])
    client.raise_request_exception = False  # collect every failure of the page, then tell them
    return build_url(name, kwargs, world.a)


@pytest.mark.parametrize(("name", "kwargs", "signed_in"), PAGES, ids=PAGE_IDS)
def test_odd_query_strings_never_make_a_server_error(client, world, name, kwargs, signed_in):  # noqa: F811
    url = visit(client, world, name, kwargs, signed_in)
    failures = []
    for query in odd_queries():
        response = client.get(url, query)
        if response.status_code >= 500:
            error = response.exc_info[1] if response.exc_info else None
            failures.append(f"{response.status_code} {error!r} for {_short(query)}")
    assert not failures, f"{url}:\n" + "\n".join(failures)


def _short(query: dict) -> dict:
    return {key: value if len(value) < 12 else value[:12] + "…" for key, value in query.items()}


# --- POST: every form of every page ------------------------------------------------------------

ODD_BY_KIND = {
    "text": ["x" * 5000, "a\x00b"],
    "number": ["1e40", "NaN", "inf", "-0", "9" * 40],
    "date": ["0001-01-01", "9999-12-31", "2023-02-30"],
    "time": ["25:61"],
    "select": ["\x00", "9" * 40],
    "hidden": ["\x00", "9" * 40],
}
TEXT_TYPES = {"text", "email", "url", "tel", "search", "password", "textarea"}
# What a person would type in an empty field, so that a new object's form is valid but for the
# one odd field (else "this field is required" would stop every request before the database).
PLAUSIBLE = {
    "text": "Prova",
    "email": "prova@example.org",
    "url": "https://example.org/",
    "tel": "0373 000000",
    "number": "1",
    "date": date.today().isoformat(),
    "time": "10:00",
}


class Field(NamedTuple):
    name: str
    value: str
    kind: str  # "text", "number", "date", "select", "choice" (a ticked box), "button"…
    choice: str = ""  # a select's first real option, for when nothing is chosen yet


class PageForms(HTMLParser):
    """The POST forms of a page as a browser shows them: action and fields with their values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.form, self.select, self.textarea = [], None, None, None

    def add(self, *field):
        self.form["fields"].append(Field(*field))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            self.select["options"].append(value)
            if "selected" in attrs and value:
                self.select["chosen"].append(value)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.form = {"action": attrs.get("action") or "", "fields": [], "radios": {}}
        elif self.form is None or not name or "disabled" in attrs:
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.add(name, attrs.get("value", "on"), "choice")
                elif kind == "radio":  # none chosen yet: the first, as a person would
                    self.form["radios"].setdefault(name, attrs.get("value", "on"))
            elif kind == "submit":
                if name not in {field.name for field in self.form["fields"]}:
                    self.add(name, attrs.get("value", ""), "button")
            elif kind not in {"button", "image", "reset", "file"}:
                numeric = attrs.get("inputmode") in {"decimal", "numeric"}
                self.add(name, attrs.get("value", ""), "number" if numeric else kind)
        elif tag == "select":
            self.select = {"name": name, "options": [], "chosen": [], "multiple": "multiple" in attrs}
        elif tag == "textarea":
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.form is not None:
            chosen = {field.name for field in self.form["fields"]}
            for name, value in self.form["radios"].items():
                if name not in chosen:
                    self.add(name, value, "choice")
            self.forms.append(self.form)
            self.form = None
        elif tag == "select" and self.select is not None:
            name, chosen = self.select["name"], self.select["chosen"]
            first = next((value for value in self.select["options"] if value), "")
            if chosen or not self.select["multiple"]:
                for value in chosen or [""]:
                    self.add(name, value, "select", first)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.add(self.textarea[0], self.textarea[1].removeprefix("\n"), "text")
            self.textarea = None


def page_forms(url: str, html: str) -> list[tuple[str, list[Field]]]:
    """(action, fields) of the page's own POST forms (not the header's language and sign-out)."""
    parser = PageForms()
    parser.feed(html)
    found = []
    for form in parser.forms:
        action = form["action"]
        action = url + action if not action or action.startswith("?") else action
        if action not in {reverse("set_language"), reverse("account_logout")}:
            found.append((action, form["fields"]))
    return found


def filled_in(fields: list[Field], *, every_choice: bool) -> list[Field]:
    """
    The form as a person would fill it in: empty text, numbers and dates get a plausible value;
    empty choices their first option (`every_choice`), else only the required ones (those are
    marked in the page as chosen-or-empty: a choice a rule requires may be any of them).
    """

    def plausible(field: Field) -> str:
        if field.value or field.kind == "select" and not every_choice:
            return field.value
        if field.kind == "select":
            return field.choice
        if "birth" in field.name:
            return "2005-05-05"  # no guardian's consent needed
        if "end_time" in field.name:
            return "12:00"  # after the start
        return PLAUSIBLE.get("text" if field.kind in TEXT_TYPES else field.kind, "")

    return [field._replace(value=plausible(field)) for field in fields]


def post_data(fields: list[Field], odd_index: int | None = None, odd_value: str = "") -> dict[str, list]:
    data: dict[str, list] = {}
    for index, field in enumerate(fields):
        data.setdefault(field.name, []).append(odd_value if index == odd_index else field.value)
    return data


def odd_posts(fields: list[Field]):
    """(field name, data): the form with one field at a time made odd."""
    for index, field in enumerate(fields):
        if field.name == "csrfmiddlewaretoken":
            continue
        for value in ODD_BY_KIND.get("text" if field.kind in TEXT_TYPES else field.kind, []):
            yield field.name, post_data(fields, index, value)


@pytest.mark.parametrize(("name", "kwargs", "signed_in"), PAGES, ids=PAGE_IDS)
def test_odd_form_fields_never_make_a_server_error(client, world, name, kwargs, signed_in):  # noqa: F811
    url = visit(client, world, name, kwargs, signed_in)
    page = client.get(url)
    if page.status_code != 200 or "text/html" not in page["Content-Type"]:
        return
    failures = []

    def post(action, data, field=""):
        response = client.post(action, data)
        if response.status_code >= 500:
            error = response.exc_info[1] if response.exc_info else None
            value = str(data[field][0])[:12] if field else ""
            failures.append(f"{response.status_code} {error!r}: {action} {field}={value!r}")
        return response

    for action, fields in page_forms(url, page.content.decode()):
        # the baseline: the form as it would be accepted, so that each odd field reaches the save
        candidates = [filled_in(fields, every_choice=False), filled_in(fields, every_choice=True)]
        baseline = next(
            (form for form in candidates if post(action, post_data(form)).status_code in {301, 302, 303}),
            candidates[0],
        )
        for field, data in odd_posts(baseline):
            post(action, data, field)
    assert not failures, "\n".join(failures)
