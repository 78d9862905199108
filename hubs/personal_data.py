"""
The personal-data registry: every model that can hold a young person's personal data declares
here how to find the rows about one person, what of them to export, and what erasure does to
them. The people app's "my data" export and erasure (people/services.py) walk these
declarations and nothing else, so the two can never disagree. Each app registers its models in
`<app>/personal_data.py` (found by `autodiscover_modules`); people's module also registers the
third-party tables that copy personal data (audit log, stored e-mails, admin log).

A model's own class attributes stay the short way to say what erasure does:
`PERSONAL_FIELDS` (blanked: "" or NULL) or `ERASE_DELETES = True` (its rows are deleted);
anything else on the row — year of birth, gender, status, the bookings as facts — stays, so the
funders' counts never change.

Two kinds of declaration:
- a *source*: the rows about the person, through a relation (`person="path__person"`) or a
  `find(subject)` of its own;
- a *copy* (`copy=True`): a table that copies other rows (the audit log copies the changes of
  registered models, a stored e-mail copies what was sent). Copies are looked up after every
  source, so their `find` may use `subject.found` (the ids each source found) and
  `subject.needles` (the person's e-mail addresses and phone numbers, to find in free text).

Retention rules (`retention(kind)`) live here too: each app says how to forget its own kind of
data after `settings.YIP_RETENTION[kind]` days; people/services.py runs them (beat, daily).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.apps import apps
from django.db import models
from django.db.models.functions import Cast


@dataclass
class Subject:
    """One person as far as their data goes: their records, account and identifiers."""

    people: list[int]  # Person ids: their records (an account's, earlier guest records…)
    users: list[int]  # their account, if any
    emails: frozenset[str]  # addresses that are theirs: verified ones, and their records' own
    needles: tuple[str, ...]  # what marks a copy of their data in free text (e-mails, phones)
    found: dict[str, list] = field(default_factory=dict)  # model label → ids found so far


@dataclass(frozen=True)
class Declaration:
    model: type[models.Model]
    find: Callable[[Subject], models.QuerySet]
    blank: tuple[str, ...] = ()
    delete: bool = False
    export: bool | tuple[str, ...] = True  # True: every field; a tuple: these; False: none
    copy: bool = False
    erase: Callable[[models.QuerySet], None] | None = None  # instead of blank/delete

    @property
    def label(self) -> str:
        return self.model._meta.label


REGISTRY: dict[str, Declaration] = {}
RETENTION: list[tuple[str, Callable]] = []


def register(
    model: type[models.Model],
    *,
    person: str | None = None,
    find: Callable[[Subject], models.QuerySet] | None = None,
    blank: tuple[str, ...] | None = None,
    delete: bool | None = None,
    export: bool | tuple[str, ...] = True,
    copy: bool = False,
    erase: Callable[[models.QuerySet], None] | None = None,
) -> Declaration:
    """
    Declare a model that holds personal data. `person`: the lookup from the model to Person
    ("person", "path__person"); or `find(subject)`: its rows about the subject. `blank` and
    `delete` default to the model's PERSONAL_FIELDS and ERASE_DELETES.
    """
    if (person is None) == (find is None):
        raise ValueError(f"{model._meta.label}: give `person` or `find`, not both.")
    if person is not None:

        def find(subject, lookup=f"{person}__in"):
            return model._base_manager.filter(**{lookup: subject.people})

    declaration = Declaration(
        model=model,
        find=find,
        blank=tuple(getattr(model, "PERSONAL_FIELDS", ()) if blank is None else blank),
        delete=getattr(model, "ERASE_DELETES", False) if delete is None else delete,
        export=export,
        copy=copy,
        erase=erase,
    )
    for name in declaration.blank:
        model._meta.get_field(name)  # a misspelt field fails at start-up, not at erasure
    REGISTRY[declaration.label] = declaration
    return declaration


def declarations() -> list[Declaration]:
    """Sources first, then copies, each in the order they were registered."""
    items = list(REGISTRY.values())
    return [item for item in items if not item.copy] + [item for item in items if item.copy]


def retention(kind: str):
    """Register `purge(before) -> int`: forget this kind of data older than `before`."""

    def register_rule(function):
        RETENTION.append((kind, function))
        return function

    return register_rule


# --- Helpers for declarations -----------------------------------------------------------------


def text_matching(model: type[models.Model], fields: tuple[str, ...], needles) -> models.Q:
    """A Q for rows where any of the text or JSON `fields` contains any needle (any case)."""
    needles = [needle for needle in needles if needle]
    if not needles or not fields:
        return models.Q(pk__in=[])
    queryset = model._base_manager.annotate(
        **{f"_text_{name}": Cast(name, models.TextField()) for name in fields}
    ).filter(reduce(or_, (models.Q(**{f"_text_{name}__icontains": n}) for name in fields for n in needles)))
    return models.Q(pk__in=queryset.values("pk"))


def found_objects(subject: Subject, *, type_field: str, id_field: str) -> models.Q:
    """A Q for generic rows (content type + object id) pointing at what the sources found."""
    from django.contrib.contenttypes.models import ContentType

    conditions = []
    for label, ids in subject.found.items():
        if not ids:
            continue
        content_type = ContentType.objects.get_for_model(apps.get_model(label))
        conditions.append(models.Q(**{type_field: content_type, f"{id_field}__in": [str(pk) for pk in ids]}))
    return reduce(or_, conditions, models.Q(pk__in=[]))


def blank_value(model_field: models.Field):
    return None if model_field.null else ""


def undeclared(root: type[models.Model]) -> list[str]:
    """
    Models that point at `root` (Person), directly or through another such model, and are not
    declared here: a new app's table that would escape export and erasure.
    """
    about = {root}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model in about:
                continue
            if any(
                f.many_to_one or f.one_to_one for f in model._meta.concrete_fields if f.related_model in about
            ):
                about.add(model)
                changed = True
    return sorted(m._meta.label for m in about - {root} if m._meta.label not in REGISTRY)
