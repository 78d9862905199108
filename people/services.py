"""
The young person's rights over their data (GDPR arts. 15, 20, 17): export and erasure.

Other apps take part without being imported here: every model that points at Person is found
through Django's relation metadata. On erasure a model may declare `PERSONAL_FIELDS` (blanked)
or `ERASE_DELETES = True` (its rows about the person are deleted); everything else — year of
birth, gender, municipality, status, education, and the bookings as facts — stays, so the
funders' counts never change.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Person, PersonHub, RecordAccess

ERASED_FIELDS = {
    "first_name": "",
    "last_name": "",
    "phone": "",
    "birth_date": None,
    "guardian_name": "",
    "guardian_email": "",
}


def person_find_or_create(*, hub, data: dict) -> Person:
    """
    A young person known by e-mail and date of birth, or a new record from `data`; their
    details are not overwritten (they have not proved the address). The hub is linked to them.
    """
    person = (
        Person.objects.filter(
            email=data["email"].strip().lower(),
            birth_date=data.get("birth_date"),
            erased_at__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    if person is None:
        person = Person.objects.create(**data)
    PersonHub.objects.get_or_create(person=person, hub=hub)
    return person


def record_access_log(*, hub, person: Person, user, what: str) -> RecordAccess:
    """Append who of a hub's staff (or partners) opened a person's data, and where."""
    return RecordAccess.objects.create(hub=hub, person=person, user=user, what=what)


def _related_querysets(person: Person):
    for relation in Person._meta.related_objects:
        if relation.many_to_many:
            continue
        model = relation.related_model
        yield model, model._base_manager.filter(**{relation.field.name: person})


def _row(obj) -> dict:
    data = {}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if isinstance(field, models.ForeignKey) and value is not None:
            value = str(getattr(obj, field.name))
        elif value is not None and not isinstance(value, int | float | bool | str):
            value = field.value_to_string(obj)
        data[field.name] = value
    return data


def person_export(*, person: Person) -> dict:
    """Everything the portal holds about the person, as plain data (JSON-ready)."""
    export = {"person": _row(person)}
    for model, queryset in _related_querysets(person):
        rows = [_row(obj) for obj in queryset]
        if rows:
            export[model._meta.label] = rows
    return export


@transaction.atomic
def person_erase(*, person: Person) -> Person:
    """Blank the personal fields, keep the statistical facts, close the account."""
    user = person.user
    if user is not None and user.memberships.exists():
        raise ValidationError(_("Staff accounts are closed by the hub's coordinator."))
    for model, queryset in _related_querysets(person):
        if getattr(model, "ERASE_DELETES", False):
            queryset.delete()
        elif personal := getattr(model, "PERSONAL_FIELDS", ()):
            queryset.update(**{name: "" for name in personal})
    for name, value in ERASED_FIELDS.items():
        setattr(person, name, value)
    person.email = f"erased-{person.pk}@invalid.invalid"
    person.erased_at = timezone.now()
    person.user = None
    person.save()
    if user is not None:
        user.delete()
    return person
