"""
Writes of the job fair. Each service is one transaction; the rules a race could break are
decided with the deciding row locked (the fair for its places, the workshop for its seats, the
registration for a person's timetable) and held by constraints in the database as well.

Mail goes through `people.mail.mail_send`; messages tied to an object are sent once, through
a `MailMarker` unique per object and kind, so a task that runs twice sends nothing twice.
"""

import logging
from datetime import timedelta

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from hubs import services as hub_services
from hubs.events import emit
from hubs.help_registry import Ask, hand_over
from hubs.links import absolute_url
from hubs.models import Hub, Membership, Organization, Role
from hubs.permissions import grant, organization_group, revoke
from people.mail import mail_send
from people.models import Person
from people.services import person_find_or_create
from people.tokens import make, read

from .models import (
    CheckIn,
    ClassGroup,
    Exhibitor,
    Fair,
    FocusArea,
    HelpRequest,
    LeadShare,
    MailMarker,
    Opportunity,
    Registration,
    Seat,
    Stand,
    Workshop,
)

logger = logging.getLogger(__name__)

EXHIBIT = "jobfair.exhibit"  # the guardian permission an exhibitor's organization group holds
GUARDIAN_SALT = "jobfair.guardian.consent"
GUARDIAN_MAX_AGE = 60 * 60 * 24 * 14
CLAIM_SALT = "jobfair.seat.claim"
# A workshop's list opens this long before it starts (people queue at the door).
WORKSHOP_EARLY = timedelta(minutes=30)

# The project plan's four focus areas: (slug, name), in order.
DEFAULT_AREAS = (
    ("cura", "Professioni di cura"),
    ("cosmetica", "Filiera della cosmetica"),
    ("smart-jobs", "Smart jobs"),
    ("sblocco", "Sblocco dei giovani dopo la pandemia"),
)

# Tests turn these off once, to show that without the locks the races are real.
LOCK_ROWS = True


def _locked(queryset):
    return queryset.select_for_update(of=("self",)) if LOCK_ROWS else queryset


def _once(hub: Hub, kind: str, obj) -> bool:
    """Claim the marker of (kind, object): True the first time, False ever after."""
    try:
        with transaction.atomic():
            MailMarker.objects.create(hub=hub, kind=kind, object_key=str(obj.pk))
    except IntegrityError:
        return False
    return True


# --- The fair and its areas --------------------------------------------------------------------


@transaction.atomic
def fair_create(*, hub: Hub, data: dict, areas=DEFAULT_AREAS) -> Fair:
    """A draft fair with its focus areas (the project plan's four unless told otherwise)."""
    fair = Fair.objects.create(hub=hub, **data)
    for order, (slug, name) in enumerate(areas):
        FocusArea.objects.create(hub=hub, fair=fair, slug=slug, name=name, order=order)
    return fair


def areas_uncovered(fair: Fair) -> list[FocusArea]:
    """The focus areas with neither an approved exhibitor nor a workshop."""
    return list(
        fair.areas.exclude(exhibitors__status=Exhibitor.Status.APPROVED, exhibitors__fair=fair)
        .exclude(workshops__fair=fair)
        .distinct()
    )


@transaction.atomic
def fair_publish(*, fair: Fair) -> Fair:
    fair = Fair.objects.select_for_update(of=("self",)).get(pk=fair.pk)
    missing = areas_uncovered(fair)
    if missing:
        raise ValidationError(
            _(
                "The fair cannot be published: these focus areas have neither an exhibitor "
                "nor a workshop: %(areas)s."
            )
            % {"areas": ", ".join(area.name for area in missing)}
        )
    fair.status = Fair.Status.PUBLISHED
    fair.published_at = timezone.now()
    fair.save(update_fields=["status", "published_at"])
    return fair


# --- Exhibitors ------------------------------------------------------------------------------------


@transaction.atomic
def exhibitor_register(
    *,
    fair: Fair,
    name: str,
    kind: str,
    area: FocusArea,
    description: str,
    keywords: str,
    contact_name: str,
    contact_email: str,
    website: str = "",
    today=None,
) -> Exhibitor:
    """An organization asks to exhibit; the hub decides. Closed outside the fair's window."""
    if not fair.exhibitors_open(today):
        raise ValidationError(_("Registration of exhibitors is closed."))
    if area.fair_id != fair.pk:
        raise ValidationError({"area": _("Choose one of this fair's focus areas.")})
    contact_email = contact_email.strip().lower()
    organization = Organization.objects.for_hub(fair.hub).filter(name__iexact=name.strip(), kind=kind).first()
    if organization is None:
        organization = Organization.objects.create(
            name=name.strip(), kind=kind, email=contact_email, website=website
        )
        organization.hubs.add(fair.hub)
    if Exhibitor.objects.filter(fair=fair, organization=organization).exists():
        raise ValidationError(_("This organization has already registered for this fair."))
    return Exhibitor.objects.create(
        hub=fair.hub,
        fair=fair,
        organization=organization,
        area=area,
        description=description,
        keywords=keywords,
        contact_name=contact_name,
        contact_email=contact_email,
    )


@transaction.atomic
def exhibitor_approve(*, exhibitor: Exhibitor, by) -> Exhibitor:
    """
    Approve: the organization's group gets the exhibitor's grant, and the contact one e-mail
    that says so, with an invitation to the portal (role `exhibitor`) unless they are a member.
    """
    exhibitor = (
        Exhibitor.objects.select_for_update(of=("self",))
        .select_related("fair", "organization", "hub")
        .get(pk=exhibitor.pk)
    )
    if exhibitor.status == Exhibitor.Status.APPROVED:
        return exhibitor
    exhibitor.status = Exhibitor.Status.APPROVED
    exhibitor.rejection_reason = ""
    exhibitor.decided_at = timezone.now()
    exhibitor.save(update_fields=["status", "rejection_reason", "decided_at"])
    grant(organization_group(exhibitor.organization), EXHIBIT, exhibitor)
    context = {"exhibitor": exhibitor, "fair": exhibitor.fair}
    member = Membership.objects.for_hub(exhibitor.hub).filter(
        user__email__iexact=exhibitor.contact_email, is_active=True
    )
    if _once(exhibitor.hub, "exhibitor.approved", exhibitor):
        if member.exists():
            mail_send(
                to=[exhibitor.contact_email],
                template="jobfair/email/exhibitor_approved",
                context={
                    **context,
                    "signin_url": absolute_url("jobfairbo:my_stands", hub_slug=exhibitor.hub.slug),
                },
            )
        else:
            hub_services.invitation_create(
                hub=exhibitor.hub,
                email=exhibitor.contact_email,
                role=Role.EXHIBITOR,
                organization=exhibitor.organization,
                by=by,
                base_url=settings.SITE_URL,
                template="jobfair/email/exhibitor_approved",
                context=context,
            )
    return exhibitor


@transaction.atomic
def exhibitor_reject(*, exhibitor: Exhibitor, reason: str, by) -> Exhibitor:
    """Reject with a reason (one e-mail); the organization's people lose this exhibitor's grant."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why: the exhibitor reads it.")})
    exhibitor = (
        Exhibitor.objects.select_for_update(of=("self",))
        .select_related("fair", "organization", "hub")
        .get(pk=exhibitor.pk)
    )
    exhibitor.status = Exhibitor.Status.REJECTED
    exhibitor.rejection_reason = reason.strip()
    exhibitor.decided_at = timezone.now()
    exhibitor.stand = None
    exhibitor.save(update_fields=["status", "rejection_reason", "decided_at", "stand"])
    revoke(organization_group(exhibitor.organization), EXHIBIT, exhibitor)
    if _once(exhibitor.hub, "exhibitor.rejected", exhibitor):
        mail_send(
            to=[exhibitor.contact_email],
            template="jobfair/email/exhibitor_rejected",
            context={"exhibitor": exhibitor, "fair": exhibitor.fair},
        )
    return exhibitor


@transaction.atomic
def exhibitor_update(*, exhibitor: Exhibitor, description: str, keywords: str) -> Exhibitor:
    exhibitor.description = description
    exhibitor.keywords = keywords
    exhibitor.save(update_fields=["description", "keywords"])
    return exhibitor


@transaction.atomic
def opportunity_create(*, exhibitor: Exhibitor, data: dict) -> Opportunity:
    if not exhibitor.is_approved:
        raise ValidationError(_("Only an approved exhibitor can publish opportunities."))
    if data["area"].fair_id != exhibitor.fair_id:
        raise ValidationError({"area": _("Choose one of this fair's focus areas.")})
    return Opportunity.objects.create(hub=exhibitor.hub, exhibitor=exhibitor, **data)


# --- Stands --------------------------------------------------------------------------------------


def stand_code(row: int, column: int) -> str:
    return f"{chr(ord('A') + row)}{column + 1}"


@transaction.atomic
def stands_create(*, fair: Fair, rows: int, columns: int) -> int:
    """Lay out a grid of stands A1, A2… (those that exist stay); returns how many were added."""
    added = 0
    for row in range(rows):
        for column in range(columns):
            _stand, created = Stand.objects.get_or_create(
                hub=fair.hub, fair=fair, row=row, column=column, defaults={"code": stand_code(row, column)}
            )
            added += created
    return added


@transaction.atomic
def stand_assign(*, exhibitor: Exhibitor, stand: Stand | None) -> Exhibitor:
    """Give the exhibitor this stand; a stand another exhibitor holds is refused."""
    if stand is not None and stand.fair_id != exhibitor.fair_id:
        raise ValidationError(_("This stand belongs to another fair."))
    exhibitor.stand = stand
    try:
        with transaction.atomic():
            exhibitor.save(update_fields=["stand"])
    except IntegrityError:
        raise ValidationError(
            _("Stand %(code)s is already assigned to another exhibitor.") % {"code": stand.code}
        ) from None
    return exhibitor


def snake(stands: list[Stand]) -> list[Stand]:
    """Stands in walking order: along the first row, back along the second, and so on."""
    rows: dict[int, list[Stand]] = {}
    for stand in stands:
        rows.setdefault(stand.row, []).append(stand)
    ordered = []
    for index, row in enumerate(sorted(rows)):
        line = sorted(rows[row], key=lambda s: s.column)
        ordered += line if index % 2 == 0 else line[::-1]
    return ordered


@transaction.atomic
def stands_propose(*, fair: Fair) -> int:
    """
    Assign every approved exhibitor a stand, an area's exhibitors side by side (in walking
    order, areas in their order). Refused when there are fewer stands than exhibitors.
    """
    fair = Fair.objects.select_for_update(of=("self",)).get(pk=fair.pk)
    exhibitors = list(
        fair.exhibitors.approved()
        .select_related("area", "organization")
        .order_by("area__order", "organization__name")
    )
    stands = snake(list(fair.stands.all()))
    if len(stands) < len(exhibitors):
        raise ValidationError(
            _("There are %(exhibitors)s approved exhibitors and only %(stands)s stands: add stands first.")
            % {"exhibitors": len(exhibitors), "stands": len(stands)}
        )
    fair.exhibitors.update(stand=None)
    for exhibitor, stand in zip(exhibitors, stands, strict=False):
        exhibitor.stand = stand
        exhibitor.save(update_fields=["stand"])
    return len(exhibitors)


# --- Young visitors ------------------------------------------------------------------------------


def _check_places(fair: Fair, wanted: int = 1) -> None:
    taken = fair.registrations.exclude(status=Registration.Status.CANCELLED).count()
    if taken + wanted > fair.capacity:
        raise ValidationError(_("The fair is full: no places are left for young people."))


def ticket_qr_svg(registration: Registration) -> str:
    """The ticket's QR as inline SVG: it holds the opaque token and nothing else."""
    return segno.make(registration.token, error="m").svg_inline(scale=5, title=_("Ticket QR code"))


def ticket_qr_png(registration: Registration) -> bytes:
    import io

    out = io.BytesIO()
    segno.make(registration.token, error="m").save(out, kind="png", scale=6)
    return out.getvalue()


def fair_ics(fair: Fair, uid: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Young in Progress//Job fair//IT")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{uid}@younginprogress")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", fair.starts())
    event.add("dtend", fair.ends())
    event.add("summary", fair.title)
    event.add("location", ", ".join(filter(None, [fair.venue, fair.address])))
    event.add("url", absolute_url("jobfair:fair", hub_slug=fair.hub.slug, pk=fair.pk))
    calendar.add_component(event)
    return calendar.to_ical()


def ticket_url(registration: Registration) -> str:
    return absolute_url("jobfair:ticket", hub_slug=registration.hub.slug, token=registration.token)


def ticket_send(registration: Registration) -> None:
    """The ticket's e-mail (QR + .ics), once per registration."""
    person = registration.person
    if person is None or not _once(registration.hub, "registration.ticket", registration):
        return
    to = [person.email] + (
        [person.guardian_email] if registration.under_consent_age and person.guardian_email else []
    )
    mail_send(
        to=to,
        template="jobfair/email/ticket",
        context={
            "registration": registration,
            "fair": registration.fair,
            "ticket_url": ticket_url(registration),
        },
        attachments=[
            ("biglietto.png", ticket_qr_png(registration), "image/png"),
            ("fiera.ics", fair_ics(registration.fair, f"fair-{registration.pk}"), "text/calendar"),
        ],
    )


@transaction.atomic
def registration_create(*, fair: Fair, person_data: dict, notice_accepted: bool, today=None) -> Registration:
    """
    A young person's free ticket. The age counts on the fair's day: under the consent age the
    ticket waits for the guardian's consent (an e-mailed link); from it to 17 the person's own
    consent to the plain-language notice is needed. Never more tickets than the fair's places.
    """
    fair = _locked(Fair.objects.filter(pk=fair.pk)).select_related("hub").get()
    if not fair.visitors_open(today):
        raise ValidationError(_("Registration for this fair is closed."))
    probe = Person(birth_date=person_data.get("birth_date"))
    age = probe.age_on(fair.date)
    if not notice_accepted:
        raise ValidationError({"notice_accepted": _("Read the notice and tick the box to register.")})
    _check_places(fair)
    person = person_find_or_create(hub=fair.hub, data=person_data)
    if fair.registrations.filter(person=person).exclude(status=Registration.Status.CANCELLED).exists():
        raise ValidationError(_("You are already registered for this fair: your ticket is in your e-mail."))
    needs_guardian = probe.needs_guardian_on(fair.date)
    if needs_guardian and not person.guardian_email:
        person.guardian_name = person_data.get("guardian_name", "")
        person.guardian_email = person_data.get("guardian_email", "")
        person.save(update_fields=["guardian_name", "guardian_email"])
    if needs_guardian and not person.guardian_email:
        raise ValidationError(_("Under 14 a parent or guardian must consent: give their e-mail."))
    registration = Registration.objects.create(
        hub=fair.hub,
        fair=fair,
        person=person,
        age_on_fair_day=age,
        status=Registration.Status.AWAITING_GUARDIAN if needs_guardian else Registration.Status.CONFIRMED,
        notice_accepted_at=timezone.now(),
    )
    if needs_guardian:
        if _once(fair.hub, "registration.guardian", registration):
            mail_send(
                to=[person.guardian_email],
                template="jobfair/email/guardian_consent",
                context={
                    "registration": registration,
                    "fair": fair,
                    "person": person,
                    "consent_url": absolute_url(
                        "jobfair:guardian_consent",
                        hub_slug=fair.hub.slug,
                        token=make(GUARDIAN_SALT, registration.pk),
                    ),
                },
            )
    else:
        ticket_send(registration)
    emit(fair.hub, "fair.registration.created", registration, fair=fair.pk)
    return registration


def registration_for_guardian_token(*, hub: Hub, token: str) -> Registration | None:
    pk = read(GUARDIAN_SALT, token, GUARDIAN_MAX_AGE)
    if pk is None:
        return None
    return Registration.objects.for_hub(hub).select_related("fair", "person").filter(pk=pk).first()


@transaction.atomic
def guardian_consent(*, registration: Registration) -> Registration:
    """The parent or guardian consents: the ticket is issued (once)."""
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("person", "fair", "hub")
        .get(pk=registration.pk)
    )
    if registration.status != Registration.Status.AWAITING_GUARDIAN:
        return registration
    registration.status = Registration.Status.CONFIRMED
    registration.save(update_fields=["status"])
    person = registration.person
    person.guardian_consent_at = timezone.now()
    person.save(update_fields=["guardian_consent_at"])
    ticket_send(registration)
    return registration


@transaction.atomic
def class_register(
    *,
    fair: Fair,
    school: str,
    class_name: str,
    teacher_name: str,
    teacher_email: str,
    names: list[str],
    today=None,
) -> ClassGroup:
    """A teacher registers a class: names only, one ticket each, one sheet of QR codes."""
    fair = _locked(Fair.objects.filter(pk=fair.pk)).select_related("hub").get()
    if not fair.visitors_open(today):
        raise ValidationError(_("Registration for this fair is closed."))
    names = [" ".join(name.split()) for name in names if name.strip()]
    if not names:
        raise ValidationError({"names": _("Write one student's name per line.")})
    _check_places(fair, len(names))
    group = ClassGroup.objects.create(
        hub=fair.hub,
        fair=fair,
        school=school,
        class_name=class_name,
        teacher_name=teacher_name,
        teacher_email=teacher_email.strip().lower(),
    )
    for name in names:
        first, _sep, last = name.partition(" ")
        Registration.objects.create(
            hub=fair.hub,
            fair=fair,
            class_group=group,
            first_name=first,
            last_name=last,
            source=Registration.Source.CLASS,
            notice_accepted_at=timezone.now(),
        )
    if _once(fair.hub, "class.sheet", group):
        mail_send(
            to=[group.teacher_email],
            template="jobfair/email/class_sheet",
            context={
                "group": group,
                "fair": fair,
                "count": len(names),
                "sheet_url": absolute_url("jobfair:class_sheet", hub_slug=fair.hub.slug, token=group.token),
            },
        )
    return group


# --- Workshops -----------------------------------------------------------------------------------


def _overlapping(registration: Registration, workshop: Workshop):
    return registration.seats.filter(
        status__in=Seat.ACTIVE,
        workshop__starts_at__lt=workshop.ends_at,
        workshop__ends_at__gt=workshop.starts_at,
    ).exclude(workshop=workshop)


@transaction.atomic
def seat_request(*, registration: Registration, workshop: Workshop) -> Seat:
    """
    A place at a workshop, or a place in its waiting line (arrival order) when it is full. The
    workshop's row is locked while its places are counted, so whatever the concurrency the
    confirmed places never pass its capacity; the registration's row is locked too, so one
    person never holds two overlapping workshops.
    """
    registration = _locked(Registration.objects.filter(pk=registration.pk)).get()
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(_("Your ticket is not confirmed yet."))
    workshop = _locked(Workshop.objects.filter(pk=workshop.pk)).get()
    if workshop.fair_id != registration.fair_id:
        raise ValidationError(_("This workshop belongs to another fair."))
    if registration.seats.filter(workshop=workshop, status__in=Seat.ACTIVE).exists():
        raise ValidationError(_("You have already asked for this workshop."))
    clash = _overlapping(registration, workshop).select_related("workshop").first()
    if clash:
        raise ValidationError(
            _("This workshop overlaps with “%(title)s”, which you already chose.")
            % {"title": clash.workshop.title}
        )
    taken = workshop.seats.filter(status__in=Seat.HOLDING).count()
    status = Seat.Status.CONFIRMED if taken < workshop.capacity else Seat.Status.WAITING
    return Seat.objects.create(
        hub=registration.hub, workshop=workshop, registration=registration, status=status
    )


def seat_claim_url(seat: Seat) -> str:
    return absolute_url("jobfair:seat_claim", hub_slug=seat.hub.slug, token=make(CLAIM_SALT, seat.pk))


def _offer_next(workshop: Workshop, now=None) -> int:
    """Offer the free places to the first in line (workshop row locked by the caller)."""
    now = now or timezone.now()
    free = workshop.capacity - workshop.seats.filter(status__in=Seat.HOLDING).count()
    offered = 0
    for seat in workshop.seats.filter(status=Seat.Status.WAITING).select_related(
        "registration__person", "workshop__fair", "hub"
    )[: max(free, 0)]:
        seat.status = Seat.Status.OFFERED
        seat.offered_until = now + timedelta(hours=workshop.fair.offer_hours)
        seat.save(update_fields=["status", "offered_until"])
        offered += 1
        person = seat.registration.person
        if person is not None and _once(seat.hub, f"seat.offered.{seat.offered_until:%Y%m%d%H%M}", seat):
            mail_send(
                to=[person.email],
                template="jobfair/email/seat_offered",
                context={"seat": seat, "workshop": workshop, "claim_url": seat_claim_url(seat)},
            )
    return offered


@transaction.atomic
def seat_cancel(*, seat: Seat) -> Seat:
    """Give a place (or a place in line) back; a freed place goes to the first in line."""
    workshop = _locked(Workshop.objects.filter(pk=seat.workshop_id)).select_related("fair").get()
    seat = Seat.objects.select_for_update(of=("self",)).get(pk=seat.pk)
    if seat.status not in Seat.ACTIVE:
        return seat
    seat.status = Seat.Status.CANCELLED
    seat.save(update_fields=["status"])
    _offer_next(workshop)
    return seat


@transaction.atomic
def seat_claim(*, seat: Seat, now=None) -> Seat:
    """Take an offered place before its time runs out."""
    now = now or timezone.now()
    Workshop.objects.select_for_update(of=("self",)).filter(pk=seat.workshop_id).get()
    seat = Seat.objects.select_for_update(of=("self",)).get(pk=seat.pk)
    if seat.status == Seat.Status.CONFIRMED:
        return seat
    if seat.status != Seat.Status.OFFERED or seat.offered_until < now:
        raise ValidationError(_("This offer is no longer valid."))
    seat.status = Seat.Status.CONFIRMED
    seat.save(update_fields=["status"])
    return seat


def seat_for_claim_token(*, hub: Hub, token: str) -> Seat | None:
    pk = read(CLAIM_SALT, token, 60 * 60 * 24 * 30)
    if pk is None:
        return None
    return Seat.objects.for_hub(hub).select_related("workshop__fair", "registration").filter(pk=pk).first()


def offers_expire(*, hub: Hub, now=None) -> int:
    """Beat: lapsed offers go back, and their places to the next in line. Idempotent."""
    now = now or timezone.now()
    workshop_ids = set(
        Seat.objects.for_hub(hub)
        .filter(status=Seat.Status.OFFERED, offered_until__lt=now)
        .values_list("workshop_id", flat=True)
    )
    lapsed = 0
    for workshop_id in sorted(workshop_ids):
        with transaction.atomic():
            workshop = (
                Workshop.objects.select_for_update(of=("self",)).select_related("fair").get(pk=workshop_id)
            )
            lapsed += workshop.seats.filter(status=Seat.Status.OFFERED, offered_until__lt=now).update(
                status=Seat.Status.LAPSED
            )
            _offer_next(workshop, now)
    return lapsed


# --- Check-in ------------------------------------------------------------------------------------


def list_key(workshop: Workshop | None) -> str:
    return f"workshop:{workshop.pk}" if workshop else "door"


def check_in(
    *, fair: Fair, token: str, workshop: Workshop | None, device: str, nonce: str, scanned_at=None, by=None
) -> CheckIn | None:
    """
    Record one scan. The same nonce sent again (a device's re-upload) returns the first
    answer; a second valid scan of a ticket on the same list (another device, offline) is
    recorded as "already used". None: the token is no ticket of this fair.
    """
    scanned_at = scanned_at or timezone.now()
    # what a scanner or a device sends is text from outside: no NUL may reach the database
    token, device, nonce = (value.replace("\x00", "") for value in (token, device, nonce))
    existing = CheckIn.objects.filter(fair=fair, nonce=nonce).first()
    if existing:
        return existing
    registration = fair.registrations.filter(token=token.strip()).first()
    if registration is None:
        return None
    key = list_key(workshop)
    if registration.status != Registration.Status.CONFIRMED:
        result = CheckIn.Result.WRONG_LIST
    elif workshop is None:
        same_day = timezone.localdate(scanned_at) == fair.date
        result = CheckIn.Result.VALID if same_day else CheckIn.Result.WRONG_TIME
    elif not registration.seats.filter(workshop=workshop, status=Seat.Status.CONFIRMED).exists():
        result = CheckIn.Result.WRONG_LIST
    elif not (workshop.starts_at - WORKSHOP_EARLY <= scanned_at <= workshop.ends_at):
        result = CheckIn.Result.WRONG_TIME
    else:
        result = CheckIn.Result.VALID
    fields = dict(
        hub=fair.hub,
        fair=fair,
        registration=registration,
        workshop=workshop,
        list_key=key,
        device=device[:60],
        nonce=nonce[:64],
        scanned_at=scanned_at,
        by=by,
    )
    try:
        with transaction.atomic():
            if result == CheckIn.Result.VALID:
                try:
                    with transaction.atomic():
                        row = CheckIn.objects.create(result=result, **fields)
                except IntegrityError:
                    if CheckIn.objects.filter(nonce=fields["nonce"]).exists():
                        raise
                    row = CheckIn.objects.create(result=CheckIn.Result.ALREADY_USED, **fields)
                else:
                    if workshop is None:
                        Registration.objects.filter(pk=registration.pk, checked_in_at__isnull=True).update(
                            checked_in_at=scanned_at
                        )
                    ids = {"fair": fair.pk, "registration": registration.pk}
                    emit(fair.hub, "fair.checked_in", row, workshop=workshop.pk if workshop else None, **ids)
            else:
                row = CheckIn.objects.create(result=result, **fields)
    except IntegrityError:  # the same nonce, recorded meanwhile by a concurrent upload
        return CheckIn.objects.get(nonce=fields["nonce"])
    return row


@transaction.atomic
def walk_in_register(*, fair: Fair, first_name: str, last_name: str, device: str, nonce: str, by) -> CheckIn:
    """A young person registered at the door and let in at once."""
    fair = _locked(Fair.objects.filter(pk=fair.pk)).select_related("hub").get()
    _check_places(fair)
    registration = Registration.objects.create(
        hub=fair.hub,
        fair=fair,
        first_name=first_name,
        last_name=last_name,
        source=Registration.Source.WALK_IN,
        notice_accepted_at=timezone.now(),
    )
    emit(fair.hub, "fair.registration.created", registration, fair=fair.pk)
    return check_in(fair=fair, token=registration.token, workshop=None, device=device, nonce=nonce, by=by)


# --- What follows: shared contacts and help requests --------------------------------------------


@transaction.atomic
def lead_share(
    *,
    registration: Registration,
    exhibitor: Exhibitor,
    share_email: bool,
    share_phone: bool,
    message: str = "",
) -> LeadShare:
    """The young person chooses to share their contact with this exhibitor (not under 14)."""
    if registration.person_id is None:
        raise ValidationError(_("Only a ticket with its own e-mail can share a contact."))
    if registration.under_consent_age:
        raise ValidationError(_("Under 14 you cannot share your contact with an exhibitor."))
    if not exhibitor.is_approved or exhibitor.fair_id != registration.fair_id:
        raise ValidationError(_("This exhibitor is not at your fair."))
    if not (share_email or share_phone):
        raise ValidationError(_("Choose at least one way to be contacted."))
    LeadShare.objects.filter(registration=registration, exhibitor=exhibitor, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return LeadShare.objects.create(
        hub=registration.hub,
        registration=registration,
        exhibitor=exhibitor,
        share_email=share_email,
        share_phone=share_phone,
        message=message,
    )


@transaction.atomic
def lead_revoke(*, lead: LeadShare) -> LeadShare:
    if lead.revoked_at is None:
        lead.revoked_at = timezone.now()
        lead.save(update_fields=["revoked_at"])
    return lead


@transaction.atomic
def help_request_create(
    *,
    registration: Registration,
    kind: str,
    consent: bool,
    area: FocusArea | None = None,
    exhibitor: Exhibitor | None = None,
    message: str = "",
) -> HelpRequest:
    """
    "Vorrei un aiuto", with consent: lands in the hub's inbox of help requests and, through the
    shared layer's hook (hubs/help_registry.py), as a request to the desk or for a Together We
    Work path. The same help asked again (a form sent twice) is the same request: nothing new
    is made, here or where it landed.
    """
    if not consent:
        raise ValidationError({"consent": _("Tick the box so that the hub may contact you.")})
    if registration.person_id is None:
        raise ValidationError(_("Only a ticket with its own e-mail can ask for help online."))
    # the ticket's row is locked: the same help asked twice at once is still one request
    registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
    request = HelpRequest.objects.filter(registration=registration, kind=kind).first()
    if request is None:
        request = HelpRequest.objects.create(
            hub=registration.hub,
            fair=registration.fair,
            registration=registration,
            kind=kind,
            area=area,
            exhibitor=exhibitor,
            message=message,
            consent_at=timezone.now(),
        )
    help_request_hand_over(request=request)
    return request


def help_request_hand_over(*, request: HelpRequest) -> HelpRequest:
    """Hand the request to the app that answers its kind (idempotent: it lands once)."""
    fair, person = request.fair, request.registration.person
    if person is None:  # the ticket was shredded: nobody left to contact
        return request
    about = [f"{_('Job fair')}: {fair.title}"]
    if request.area_id:
        about.append(f"{_('Focus area')}: {request.area.name}")
    if request.exhibitor_id:
        about.append(f"{_('Exhibitor')}: {request.exhibitor.organization.name}")
    ask = Ask(
        hub=request.hub,
        person=person,
        origin=request.origin,
        subject=_("“I would like some help” at %(fair)s") % {"fair": fair.title},
        message="\n".join([*about, "", request.message]).strip(),
    )
    landed = hand_over(request.kind, ask)
    if landed is not None and request.landed_id != landed:
        request.landed_id = landed
        request.save(update_fields=["landed_id"])
    return request


@transaction.atomic
def help_request_handled(*, request: HelpRequest) -> HelpRequest:
    if request.handled_at is None:
        request.handled_at = timezone.now()
        request.save(update_fields=["handled_at"])
    return request


# --- The survey after the fair ----------------------------------------------------------------


def survey_send(*, fair: Fair) -> int:
    """
    Send the survey to every young person who checked in at the door (with an e-mail of their
    own) and to every approved exhibitor, once each whatever the number of runs (the invite's
    unique row is the marker). Returns how many were sent now.
    """
    from .models import SurveyInvite

    visitors = (
        fair.registrations.filter(
            person__isnull=False, check_ins__list_key="door", check_ins__result=CheckIn.Result.VALID
        )
        .select_related("person")
        .distinct()
    )
    sent = 0
    for addressee, to in [(r, r.person.email) for r in visitors] + [
        (e, e.contact_email) for e in fair.exhibitors.approved()
    ]:
        field = "registration" if isinstance(addressee, Registration) else "exhibitor"
        try:
            with transaction.atomic():
                invite = SurveyInvite.objects.create(hub=fair.hub, fair=fair, **{field: addressee})
                mail_send(
                    to=[to],
                    template="jobfair/email/survey",
                    context={
                        "fair": fair,
                        "survey_url": absolute_url(
                            "jobfair:survey", hub_slug=fair.hub.slug, token=invite.token
                        ),
                    },
                )
        except IntegrityError:
            continue
        sent += 1
    return sent


@transaction.atomic
def survey_answer(*, invite, score: int, comment: str = ""):
    from .models import SurveyInvite

    invite = SurveyInvite.objects.select_for_update(of=("self",)).get(pk=invite.pk)
    if invite.answered_at:
        raise ValidationError(_("You have already answered: thank you!"))
    if not 1 <= score <= 5:
        raise ValidationError({"score": _("Choose a score from 1 to 5.")})
    invite.score = score
    invite.comment = comment
    invite.answered_at = timezone.now()
    invite.save(update_fields=["score", "comment", "answered_at"])
    return invite


# --- Shredding after the fair --------------------------------------------------------------------


def personal_data_left(fair: Fair) -> dict[str, int]:
    """What of the fair still holds personal data, by kind: all 0 once shredded."""
    return {
        "registrations": fair.registrations.filter(
            Q(person__isnull=False) | ~Q(first_name="") | ~Q(last_name="")
        ).count(),
        "classes": fair.classes.exclude(teacher_name="", teacher_email="").count(),
        "leads": LeadShare.objects.filter(registration__fair=fair)
        .filter(Q(registration__person__isnull=False) | ~Q(message=""))
        .count(),
        "help_requests": fair.help_requests.exclude(message="").count()
        + fair.help_requests.filter(registration__person__isnull=False).count(),
        "check_in_devices": fair.check_ins.exclude(device="").count(),
        "survey_comments": fair.surveys.exclude(comment="").count(),
    }


@transaction.atomic
def fair_shred(*, fair: Fair, today=None) -> bool:
    """
    Past the fair's retention, cut every link to a young person and blank the free text; the
    rows stay as facts, so every count (registrations, check-ins, leads, help) is unchanged.
    Returns whether it shredded (a second run does nothing).
    """
    today = today or timezone.localdate()
    fair = Fair.objects.select_for_update(of=("self",)).get(pk=fair.pk)
    if fair.shredded_at or fair.date + timedelta(days=fair.shred_after_days) > today:
        return False
    fair.registrations.update(person=None, first_name="", last_name="")
    fair.classes.update(teacher_name="", teacher_email="")
    LeadShare.objects.filter(registration__fair=fair).update(message="")
    fair.help_requests.update(message="")
    fair.check_ins.update(device="")
    fair.surveys.update(comment="")
    fair.shredded_at = timezone.now()
    fair.save(update_fields=["shredded_at"])
    return True


def fairs_shred(*, hub: Hub) -> int:
    from hubs.tasks import each_row

    done, _failed = each_row(
        Fair.objects.for_hub(hub).filter(shredded_at__isnull=True),
        lambda fair: fair_shred(fair=fair),
        what="fair",
    )
    return done


def slug_for(name: str) -> str:
    return slugify(name)[:40] or "area"
