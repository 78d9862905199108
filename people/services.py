"""
The young person's rights over their data (GDPR arts. 15, 20, 17): export and erasure.

Other apps take part without being imported here: every model that points at Person is found
through Django's relation metadata. On erasure a model may declare `PERSONAL_FIELDS` (blanked)
or `ERASE_DELETES = True` (its rows about the person are deleted); everything else — year of
birth, gender, municipality, status, education, and the bookings as facts — stays, so the
funders' counts never change.
"""

import secrets

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
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


# --- Before an authenticator is enrolled: a code e-mailed to the account ---------------------------
# Whoever holds only the password must not enrol their own authenticator (and so own the account).
# The code lives in the shared cache, like the login rate limits: hashed, for 10 minutes, with an
# attempt counter that the cache increments atomically (parallel guesses count too).

ENROLMENT_CODE_MINUTES = 10
ENROLMENT_CODE_ATTEMPTS = 5
ENROLMENT_CODE_RESEND_SECONDS = 60


def _enrolment_keys(user) -> tuple[str, str, str]:
    prefix = f"people:mfa-enrolment:{user.pk}"
    return f"{prefix}:code", f"{prefix}:attempts", f"{prefix}:sent"


def _enrolment_code_hash(user, code: str) -> str:
    return salted_hmac("people.mfa_enrolment_code", f"{user.pk}:{code}").hexdigest()


def mfa_enrolment_code_send(*, user) -> bool:
    """
    E-mails a new six-digit code to the account's address (the previous one stops working).
    Returns False, sending nothing, when a code went out less than a minute ago.
    """
    code_key, attempts_key, sent_key = _enrolment_keys(user)
    if not cache.add(sent_key, True, ENROLMENT_CODE_RESEND_SECONDS):
        return False
    code = f"{secrets.randbelow(10**6):06d}"
    timeout = ENROLMENT_CODE_MINUTES * 60
    cache.set_many({code_key: _enrolment_code_hash(user, code), attempts_key: 0}, timeout)
    context = {"code": code, "minutes": ENROLMENT_CODE_MINUTES, "user": user}
    send_mail(
        subject=render_to_string("people/email/mfa_enrolment_code_subject.txt", context).strip(),
        message=render_to_string("people/email/mfa_enrolment_code_message.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    return True


def mfa_enrolment_code_check(*, user, code: str) -> None:
    """
    Accepts the code last e-mailed to `user` (and uses it up), or raises ValidationError: it
    expired, was never sent, is wrong, or was tried too often (after 5 attempts it is void).
    """
    code_key, attempts_key, _sent_key = _enrolment_keys(user)
    expected = cache.get(code_key)
    if expected is None:
        raise ValidationError(
            _("This code has expired or was never sent: ask for a new one."), code="expired"
        )
    try:
        attempts = cache.incr(attempts_key)
    except ValueError:  # the counter expired a moment after the code
        attempts = None
    if attempts is None or attempts > ENROLMENT_CODE_ATTEMPTS:
        cache.delete_many([code_key, attempts_key])
        raise ValidationError(_("Too many wrong attempts: ask for a new code."), code="too_many")
    if not constant_time_compare(expected, _enrolment_code_hash(user, "".join(code.split()))):
        left = ENROLMENT_CODE_ATTEMPTS - attempts
        if left == 0:
            cache.delete_many([code_key, attempts_key])
            raise ValidationError(
                _("Wrong code, and it was the last attempt: ask for a new code."), code="void"
            )
        raise ValidationError(
            _("Wrong code. Attempts left: %(left)d.") % {"left": left},
            code="wrong",
        )
    cache.delete_many([code_key, attempts_key])
