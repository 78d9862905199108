"""
Co-design meetings: planning and changing them, who registers (group members on the staff's
list; other young people from the pact's public page), who comes (the staff's list, or the QR
code shown at the meeting), the minutes.

- A young person counts once per pact, however many meetings they attend (pacts.selectors).
- A self-registration follows the portal's minors' rule (people.forms.PersonForm): under the
  consent age on the meeting's day a parent or guardian gives their name, e-mail and consent.
- The QR code carries a signed token of the meeting (never personal data); it marks people
  present only on the meeting's day and until the meeting is closed, and twice is once.
- A change of date, time, place or agenda raises the meeting's `version`; each registered
  person is told once per version (`told_version`, claimed before the mail is stored).
"""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hubs.links import absolute_url
from people.mail import mail_send
from people.services import person_find_or_create
from people.tokens import make, read

from ..models import (
    MeetingAttendance,
    Pact,
    PactMeeting,
    PactMember,
)

# --- Co-design meetings -----------------------------------------------------------------------------

MEETING_STATES = (Pact.State.APPROVED, *Pact.PUBLIC_STATES)


def meeting_add(*, pact: Pact, date, place: str, agenda: str, time=None) -> PactMeeting:
    """A co-design meeting of an approved or signed pact's group."""
    if pact.state not in MEETING_STATES:
        raise ValidationError(_("Meetings are planned once the proposal is approved."))
    meeting = PactMeeting(hub=pact.hub, pact=pact, date=date, time=time, place=place, agenda=agenda)
    meeting.full_clean(exclude=["pact"])
    meeting.save()
    return meeting


def _group(meeting: PactMeeting, members) -> list[PactMember]:
    """Only accepted members of the meeting's own pact may be on its lists."""
    allowed = {m.pk: m for m in meeting.pact.members.filter(accepted_at__isnull=False)}
    chosen = [getattr(m, "pk", m) for m in members]
    if any(pk not in allowed for pk in chosen):
        raise ValidationError(_("Only the group's members may be on the list."))
    return [allowed[pk] for pk in chosen]


@transaction.atomic
def meeting_attendance_set(
    *, meeting: PactMeeting, registered=(), attended=(), guests=()
) -> list[MeetingAttendance]:
    """
    The meeting's lists: which group members registered and came (someone who came is
    registered too), and which of the young people who registered themselves (`guests`) came.
    The lists replace the previous ones; a closed meeting's lists no longer change.
    """
    meeting = PactMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_closed:
        raise ValidationError(_("The meeting is closed: its lists no longer change."))
    came = {m.pk for m in _group(meeting, attended)}
    everyone = {m.pk for m in _group(meeting, registered)} | came
    meeting.attendances.filter(member__isnull=False).exclude(member_id__in=everyone).delete()
    rows = []
    for pk in sorted(everyone):
        row, created = MeetingAttendance.objects.get_or_create(
            meeting=meeting,
            member_id=pk,
            defaults={"hub": meeting.hub, "told_version": meeting.version, "registered_at": timezone.now()},
        )
        _mark(row, pk in came)
        rows.append(row)
    guests_came = {getattr(g, "pk", g) for g in guests}
    for row in meeting.attendances.filter(member__isnull=True):
        _mark(row, row.pk in guests_came)
        rows.append(row)
    return rows


def _mark(row: MeetingAttendance, came: bool) -> None:
    if row.attended == came:
        return
    row.attended = came
    row.attended_at = timezone.now() if came else None
    row.save(update_fields=["attended", "attended_at"])


@transaction.atomic
def meeting_close(*, meeting: PactMeeting, minutes: str) -> PactMeeting:
    """Closing a meeting needs its minutes, and the meeting's day must have come."""
    meeting = PactMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_closed:
        raise ValidationError(_("The meeting is already closed."))
    if not (minutes or "").strip():
        raise ValidationError({"minutes": _("Write the minutes to close the meeting.")})
    if meeting.date > timezone.localdate():
        raise ValidationError(_("A meeting can be closed only from its day on."))
    meeting.minutes = minutes.strip()
    meeting.closed_at = timezone.now()
    meeting.full_clean(exclude=["pact"])
    meeting.save()
    return meeting


# --- Changing a planned meeting ------------------------------------------------------------------

MEETING_CHANGE_FIELDS = ("date", "time", "place", "agenda")


@transaction.atomic
def meeting_update(*, meeting: PactMeeting, **fields) -> PactMeeting:
    """
    Staff change a planned meeting's date, time, place or agenda. A real change raises its
    version, and after commit everyone registered is told once (tasks.meeting_changed_notify).
    """
    from ..tasks import meeting_changed_notify

    meeting = PactMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_closed:
        raise ValidationError(_("The meeting is closed: it no longer changes."))
    changed = False
    for name, value in fields.items():
        if name not in MEETING_CHANGE_FIELDS:
            raise ValueError(name)
        if getattr(meeting, name) != value:
            setattr(meeting, name, value)
            changed = True
    if not changed:
        return meeting
    meeting.version += 1
    meeting.full_clean(exclude=["pact"])
    meeting.save()
    meeting_changed_notify.delay_on_commit(meeting_id=meeting.pk)
    return meeting


def _email_of(row: MeetingAttendance) -> str:
    return row.member.email if row.member_id else row.email


def meeting_change_notify(*, meeting_id: int) -> int:
    """
    Tell each registered person of the meeting's current version, once: the row is claimed
    (`told_version`) in the transaction that stores the mail, so a retry sends nothing twice.
    """
    meeting = PactMeeting.objects.select_related("pact", "hub").get(pk=meeting_id)
    if meeting.is_closed:
        return 0
    sent = 0
    for row in meeting.attendances.filter(told_version__lt=meeting.version).select_related("member"):
        if not row.is_confirmed or not _email_of(row):
            continue
        with transaction.atomic():
            claimed = MeetingAttendance.objects.filter(pk=row.pk, told_version__lt=meeting.version).update(
                told_version=meeting.version
            )
            if not claimed:
                continue
            mail_send(
                to=[_email_of(row)],
                template="pacts/email/meeting_changed",
                context={"meeting": meeting, "pact": meeting.pact, "row": row, **_links(row)},
            )
            sent += 1
    return sent


# --- Young people register themselves ----------------------------------------------------------------

CANCEL_SALT = "pacts.registration.cancel"
QR_SALT = "pacts.meeting.qr"
QR_MAX_AGE = 2 * 24 * 3600  # a shown QR code stops working two days after it was drawn, whatever


def _links(row: MeetingAttendance) -> dict:
    if row.member_id:
        return {}
    token = make(CANCEL_SALT, row.pk)
    return {"cancel_url": absolute_url("pacts:registration_cancel", hub_slug=row.hub.slug, token=token)}


def registration_open(meeting: PactMeeting, today=None) -> bool:
    """Young people register from the pact's public page for a signed pact's meeting to come."""
    today = today or timezone.localdate()
    return meeting.pact.is_signed and not meeting.is_closed and meeting.date >= today


def _find(meeting: PactMeeting, email: str) -> MeetingAttendance | None:
    return (
        meeting.attendances.filter(member__isnull=True, email=email).first()
        or meeting.attendances.filter(member__email=email).first()
    )


def _guest(meeting: PactMeeting, person_data: dict, source: str) -> MeetingAttendance:
    """A new row for a young person who is not in the group, with their record at the hub."""
    person = person_find_or_create(hub=meeting.hub, data=person_data)
    name = f"{person_data.get('first_name', '')} {person_data.get('last_name', '')}".strip()
    row = MeetingAttendance(
        hub=meeting.hub,
        meeting=meeting,
        person=person,
        source=source,
        name=name,
        email=person_data["email"],
        birth_date=person_data.get("birth_date"),
        guardian_name=person_data.get("guardian_name", ""),
        guardian_email=person_data.get("guardian_email", ""),
        guardian_consent_at=person_data.get("guardian_consent_at"),
        registered_at=timezone.now(),
        told_version=meeting.version,
    )
    if row.needs_guardian and not (row.guardian_name and row.guardian_email and row.guardian_consent_at):
        raise ValidationError(
            _("Under %(age)s a parent or guardian must give their consent: fill this in.")
            % {"age": settings.YIP_CONSENT_AGE}
        )
    row.save()
    return row


@transaction.atomic
def registration_create(*, meeting: PactMeeting, person_data: dict, today=None) -> MeetingAttendance:
    """
    A young person registers for a meeting from the pact's public page (name, e-mail, date of
    birth; a guardian's consent under the consent age). They get an e-mail with a link to cancel;
    a second registration with the same address is refused.
    """
    meeting = PactMeeting.objects.select_for_update().select_related("pact", "hub").get(pk=meeting.pk)
    if not registration_open(meeting, today):
        raise ValidationError(_("Registration for this meeting is closed."))
    email = person_data["email"].strip().lower()
    if _find(meeting, email) is not None:
        raise ValidationError({"email": _("This e-mail address is already registered for the meeting.")})
    row = _guest(meeting, person_data | {"email": email}, MeetingAttendance.Source.SELF)
    to = [email] + ([row.guardian_email] if row.needs_guardian else [])
    mail_send(
        to=to,
        template="pacts/email/registration",
        context={"meeting": meeting, "pact": meeting.pact, "row": row, **_links(row)},
    )
    return row


def registration_from_token(*, hub, token: str) -> MeetingAttendance | None:
    pk = read(CANCEL_SALT, token, 365 * 24 * 3600)
    if pk is None:
        return None
    return (
        MeetingAttendance.objects.for_hub(hub)
        .filter(pk=pk, member__isnull=True)
        .select_related("meeting", "meeting__pact")
        .first()
    )


@transaction.atomic
def registration_cancel(*, registration: MeetingAttendance) -> None:
    """The young person cancels (their link): the row and its details go, unless the meeting is held."""
    row = MeetingAttendance.objects.select_for_update().select_related("meeting").get(pk=registration.pk)
    if row.meeting.is_closed or row.attended:
        raise ValidationError(_("The meeting has taken place: the registration can no longer be cancelled."))
    row.delete()


# --- Attendance by QR code ------------------------------------------------------------------------


def meeting_qr_token(meeting: PactMeeting) -> str:
    return signing.dumps(meeting.pk, salt=QR_SALT, compress=True)


def meeting_qr_url(meeting: PactMeeting) -> str:
    return absolute_url("pacts:meeting_checkin", hub_slug=meeting.hub.slug, token=meeting_qr_token(meeting))


def meeting_qr_svg(meeting: PactMeeting) -> str:
    import segno

    return segno.make(meeting_qr_url(meeting), error="m").svg_inline(
        scale=5, title=_("QR code to mark yourself present")
    )


def meeting_from_qr(*, hub, token: str, now=None) -> PactMeeting | None:
    """The meeting a QR token names, while its window is open (its day, until it is closed)."""
    try:
        pk = int(signing.loads(token, salt=QR_SALT, max_age=QR_MAX_AGE))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    meeting = PactMeeting.objects.for_hub(hub).select_related("pact", "hub").filter(pk=pk).first()
    if meeting is None or not checkin_open(meeting, now):
        return None
    return meeting


def checkin_open(meeting: PactMeeting, now=None) -> bool:
    now = timezone.localtime(now)
    return not meeting.is_closed and meeting.date == now.date()


@transaction.atomic
def meeting_checkin(*, meeting: PactMeeting, person_data: dict, now=None) -> MeetingAttendance:
    """
    A young person at the meeting scans its QR code and says who they are: a group member or
    someone registered is ticked present; someone new is registered and ticked. Twice is once.
    """
    meeting = PactMeeting.objects.select_for_update().select_related("pact", "hub").get(pk=meeting.pk)
    if not checkin_open(meeting, now):
        raise ValidationError(_("This QR code works only during the meeting."))
    email = person_data["email"].strip().lower()
    row = _find(meeting, email)
    if row is None:
        member = meeting.pact.members.filter(email=email, accepted_at__isnull=False).first()
        if member is not None:
            row = MeetingAttendance.objects.create(
                hub=meeting.hub,
                meeting=meeting,
                member=member,
                source=MeetingAttendance.Source.QR,
                registered_at=timezone.now(),
                told_version=meeting.version,
            )
        else:
            row = _guest(meeting, person_data | {"email": email}, MeetingAttendance.Source.QR)
    if not row.attended:
        row.attended, row.attended_at = True, timezone.now()
        row.save(update_fields=["attended", "attended_at"])
    return row
