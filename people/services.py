"""
Young people's records: who is who, and their rights over their data (GDPR arts. 15, 17, 20).

Records. A hub's staff and a guest on the public desk can type any e-mail and date of birth,
so details that nobody has proved never reach another hub's record: a guest always gets a new
record of the hub they book with (`person_create`), staff find only the people their own hub
deals with (`person_find_or_create`). A record is joined to an existing one only once its
owner has proved the address (`person_join_proven`: a link we e-mailed was followed) or signs
in with a verified account; even then each hub sees only its own dealings with the person.

Export and erasure walk one registry (hubs/personal_data.py), where every app declares its
models and people/personal_data.py the third-party tables that copy personal data. A person
is their account, its own record, and every record with an address the account has verified
(earlier guest bookings, enquiries, waiting-list places). Erasure blanks or deletes what the
declarations say and keeps the statistical facts — year of birth, gender, municipality,
status, education, the bookings as facts — so the funders' counts never change.

Retention (`retention_apply`, beat daily) forgets each kind of data after the days set in
`settings.YIP_RETENTION`, through the rules apps register in the same registry.
"""

import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from auditlog.context import disable_auditlog
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from hubs.personal_data import RETENTION, Subject, blank_value, declarations

from .mail import mail_send
from .models import Person, PersonHub, RecordAccess

ERASED_FIELDS = {
    "first_name": "",
    "last_name": "",
    "phone": "",
    "birth_date": None,
    "guardian_name": "",
    "guardian_email": "",
}


# --- Records ------------------------------------------------------------------------------------


def person_create(*, hub, data: dict) -> Person:
    """A new record of this hub from details nobody has proved yet (a guest's)."""
    person = Person.objects.create(**data)
    PersonHub.objects.create(person=person, hub=hub)
    return person


def person_find_or_create(*, hub, data: dict) -> Person:
    """
    For the hub's staff: someone this hub already deals with (same e-mail and date of birth),
    or a new record of this hub. A record only another hub deals with is never found here, and
    an existing record's details are not overwritten.
    """
    person = (
        Person.objects.for_hub(hub)
        .filter(
            email=data["email"].strip().lower(),
            birth_date=data.get("birth_date"),
            erased_at__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    if person is None:
        person = person_create(hub=hub, data=data)
    return person


def _verified_users(email: str):
    return EmailAddress.objects.filter(email__iexact=email, verified=True).values("user")


def _reverse_relations():
    """(model, field name) of every foreign key to Person, hidden ones (related_name="+") too."""
    for relation in Person._meta.get_fields(include_hidden=True):
        if relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one):
            yield relation.related_model, relation.field.name


@transaction.atomic
def person_join_proven(*, person: Person, hub) -> Person:
    """
    `person` has just proved their address (they followed a link e-mailed to it). Their record
    joins the one they already have with the same e-mail and date of birth: their account's
    record (shared by the hubs they deal with), or else this hub's own record. Another hub's
    record is never joined, so the hub learns nothing of the person but what it was given.
    Returns the record that now holds the person's rows.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.user_id or person.erased_at or not person.birth_date:
        return person
    same = Person.objects.filter(
        email=person.email, birth_date=person.birth_date, erased_at__isnull=True
    ).exclude(pk=person.pk)
    target = (
        same.filter(user__in=_verified_users(person.email)).order_by("pk").first()
        or same.filter(user__isnull=True).for_hub(hub).order_by("pk").first()
    )
    if target is None:
        return person
    for model, name in _reverse_relations():
        if model is PersonHub:
            for link in PersonHub.objects.filter(person=person):
                PersonHub.objects.get_or_create(person=target, hub_id=link.hub_id)
        elif model is not RecordAccess:  # the access log keeps naming the record that was opened
            model._base_manager.filter(**{name: person}).update(**{name: target})
    PersonHub.objects.filter(person=person).delete()
    if RecordAccess.objects.filter(person=person).exists():
        _erase_record(person)  # kept, empty, for the access log that names it
    else:
        person.delete()
    return target


# The fields staff choose between when they merge two records of one person.
MERGE_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "birth_date",
    "gender",
    "municipality",
    "status",
    "education",
    "guardian_name",
    "guardian_email",
)


@transaction.atomic
def person_merge(*, hub, keep: Person, other: Person, values: dict, by) -> Person:
    """
    Two records of one person, both of this hub only, become `keep`: its fields take `values`
    (for MERGE_FIELDS; a field not given keeps `keep`'s value), and every row of every app that
    names `other` (found by introspecting the foreign keys to Person, so a new app's rows follow
    too) names `keep` instead. The access log keeps naming the record that was opened, and
    records the merge on both; `other` stays, emptied, for that log (or goes, if never opened).
    Refused (ValidationError) when a record is erased, is seen by another hub (the hub would
    change what that hub sees), or `other` has an account (keep the record with the account),
    or when a row cannot follow (e.g. both registered to the same job fair).
    """
    if keep.pk == other.pk:
        raise ValidationError(_("Choose two different records."))
    locked = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[keep.pk, other.pk])}
    keep, other = locked[keep.pk], locked[other.pk]
    if keep.erased_at or other.erased_at:
        raise ValidationError(_("An erased record cannot be merged."))
    if other.user_id:
        raise ValidationError(_("The record that goes has an account: keep that record instead."))
    shared = PersonHub.objects.filter(person__in=[keep, other]).exclude(hub=hub)
    if shared.exists():
        raise ValidationError(
            _(
                "Another hub also deals with one of these records: only the person can join them, "
                "by proving who they are."
            )
        )
    for name in MERGE_FIELDS:
        if name in values:
            setattr(keep, name, values[name])
    keep.save()
    for model, name in _reverse_relations():
        if model in (PersonHub, RecordAccess):
            continue
        rows = model._base_manager.filter(**{name: other})
        try:
            with transaction.atomic():
                rows.update(**{name: keep})
        except IntegrityError as error:
            raise ValidationError(
                _("Both records have %(things)s that cannot be joined: cancel one of them first.")
                % {"things": model._meta.verbose_name_plural}
            ) from error
    PersonHub.objects.filter(person=other).delete()
    PersonHub.objects.get_or_create(person=keep, hub=hub)
    what = f"people.merge:{other.pk}>{keep.pk}"
    record_access_log(hub=hub, person=keep, user=by, what=what)
    record_access_log(hub=hub, person=other, user=by, what=what)
    _erase_record(other)  # kept, empty, for the access log that names it
    return keep


def record_access_log(*, hub, person: Person, user, what: str) -> RecordAccess:
    """Append who of a hub's staff (or partners) opened a person's data, and where."""
    return RecordAccess.objects.create(hub=hub, person=person, user=user, what=what)


# --- The person's data: who they are, what the portal holds ----------------------------------------


def _subject(*, person: Person | None = None, user=None) -> tuple[Subject, list[Person]]:
    """The person's records and identifiers: their account's, and the records of its verified addresses."""
    user = user if user is not None else getattr(person, "user", None)
    verified = set()
    conditions = models.Q(pk=person.pk) if person is not None else models.Q(pk__in=[])
    if user is not None:
        verified = {
            email.lower()
            for email in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
        }
        conditions |= models.Q(user=user) | models.Q(email__in=verified)
    records = list(Person.objects.filter(conditions).order_by("pk"))
    live = [record for record in records if record.erased_at is None]
    emails = frozenset(verified | {record.email for record in live if record.email})
    extra = {record.guardian_email.lower() for record in live if record.guardian_email}
    phones = {record.phone.strip() for record in live if len(record.phone.strip()) >= 6}
    subject = Subject(
        people=[record.pk for record in records],
        users=[user.pk] if user is not None else [],
        emails=emails,
        needles=tuple(sorted(emails | extra | phones)),
    )
    return subject, records


def _collect(subject: Subject, *, exported_only: bool = False) -> list[tuple]:
    """Every declaration with the ids of its rows about the subject (sources, then copies)."""
    subject.found = {Person._meta.label: subject.people, settings.AUTH_USER_MODEL: subject.users}
    result = []
    for declaration in declarations():
        if exported_only and declaration.export is False:
            continue
        ids = list(declaration.find(subject).order_by().values_list("pk", flat=True).distinct())
        subject.found[declaration.label] = ids
        result.append((declaration, ids))
    return result


def _row(obj, fields=None) -> dict:
    data = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        value = getattr(obj, field.attname)
        if isinstance(field, models.ForeignKey) and value is not None:
            value = str(getattr(obj, field.name))
        elif value is not None and not isinstance(value, int | float | bool | str):
            value = field.value_to_string(obj)
        data[field.name] = value
    return data


def person_export(*, person: Person | None = None, user=None) -> dict:
    """
    Everything the portal holds about the person, as plain data (JSON-ready): "person" is their
    own record, "people.Person" their other records (earlier guest bookings with an address
    they have verified), then each declared model's rows by its label.
    """
    subject, records = _subject(person=person, user=user)
    own = person or next((r for r in records if user is not None and r.user_id == user.pk), None)
    export = {"person": _row(own)} if own is not None else {}
    others = [_row(record) for record in records if record != own]
    if others:
        export[Person._meta.label] = others
    for declaration, ids in _collect(subject, exported_only=True):
        if not ids:
            continue
        fields = None if declaration.export is True else declaration.export
        rows = declaration.model._base_manager.filter(pk__in=ids).order_by("pk")
        export[declaration.label] = [_row(obj, fields) for obj in rows]
    return export


def _erase_record(person: Person) -> None:
    for name, value in ERASED_FIELDS.items():
        setattr(person, name, value)
    person.email = f"erased-{person.pk}@invalid.invalid"
    person.erased_at = person.erased_at or timezone.now()
    person.user = None
    person.save()


@transaction.atomic
def person_erase(*, person: Person | None = None, user=None) -> Person | None:
    """
    Erase the person: every declared row about them is blanked or deleted, their records keep
    only the statistical facts, their account is closed. Nothing of it is copied into the audit
    log on the way.
    """
    user = user if user is not None else getattr(person, "user", None)
    if user is not None and user.memberships.exists():
        raise ValidationError(_("Staff accounts are closed by the hub's coordinator."))
    subject, records = _subject(person=person, user=user)
    with disable_auditlog():
        for declaration, ids in _collect(subject):
            if not ids:
                continue
            rows = declaration.model._base_manager.filter(pk__in=ids)
            if declaration.erase is not None:
                declaration.erase(rows)
            elif declaration.delete:
                rows.delete()
            elif declaration.blank:
                fields = {name: declaration.model._meta.get_field(name) for name in declaration.blank}
                rows.update(**{name: blank_value(field) for name, field in fields.items()})
        for record in records:
            _erase_record(record)
        if user is not None:
            user.delete()
    return person


# --- Retention ----------------------------------------------------------------------------------


def guest_records_purge(before) -> int:
    """
    Guest records (no account) made before `before` that nothing refers to any more (their
    holds have gone): deleted, or, when the access log names them, emptied.
    """
    orphans = Person.objects.filter(user__isnull=True, erased_at__isnull=True, created_at__lt=before)
    for model, name in _reverse_relations():
        if model not in (PersonHub, RecordAccess):
            referred = model._base_manager.filter(**{f"{name}__isnull": False}).values(name)
            orphans = orphans.exclude(pk__in=referred)
    logged = set(RecordAccess.objects.filter(person__in=orphans).values_list("person_id", flat=True))
    count = 0
    for person in orphans.select_for_update():
        if person.pk in logged:
            PersonHub.objects.filter(person=person).delete()
            _erase_record(person)
        else:
            person.delete()
        count += 1
    return count


@transaction.atomic
def retention_apply(*, now=None) -> dict[str, int]:
    """
    Forget what has been kept long enough: each registered rule gets the moment before which
    its kind of data goes (`settings.YIP_RETENTION`, days); the guest records left with nothing
    go last. Returns the rows removed by kind. Safe to run at any time, twice.
    """
    now = now or timezone.now()
    days = settings.YIP_RETENTION
    removed: dict[str, int] = {}
    for kind, purge in RETENTION:
        removed[kind] = removed.get(kind, 0) + purge(now - timedelta(days=days[kind]))
    removed["guest_records"] = guest_records_purge(now - timedelta(days=days["unconfirmed_holds"]))
    return removed


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
    mail_send(to=[user.email], template="people/email/mfa_enrolment_code", context=context)
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
