"""
Messages about bookings and offers. Each is sent exactly once (Notice rows, offer_notified_at);
a verification e-mail goes to an address at most once per YIP_VERIFY_MAIL_INTERVAL.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from hubs.ratelimit import once_per
from people.mail import mail_send

from .. import tokens
from ..calendar import booking_ics
from ..models import Booking, BookingMove, Notice, WaitlistEntry
from .common import absolute

# Messages the guardian gets a copy of, once they have given their consent.
GUARDIAN_COPIES = {Notice.Kind.CONFIRMATION, Notice.Kind.CANCELLED, Notice.Kind.CANCELLED_BY_HUB, "moved"}
CANCEL_KINDS = {Notice.Kind.CANCELLED, Notice.Kind.CANCELLED_BY_HUB}


def booking_links(booking: Booking) -> dict:
    hub_slug = booking.hub.slug
    return {
        "verify_url": absolute(
            reverse(
                "desk:booking_verify",
                kwargs={"hub_slug": hub_slug, "token": tokens.make(tokens.VERIFY, booking.pk)},
            )
        ),
        "manage_url": absolute(
            reverse(
                "desk:booking_manage",
                kwargs={"hub_slug": hub_slug, "token": tokens.make(tokens.MANAGE, booking.pk)},
            )
        ),
        "guardian_url": absolute(
            reverse(
                "desk:booking_guardian",
                kwargs={"hub_slug": hub_slug, "token": tokens.make(tokens.GUARDIAN, booking.pk)},
            )
        ),
        "book_again_url": absolute(
            reverse("desk:book_slots", kwargs={"hub_slug": hub_slug, "service_id": booking.service_id})
            if booking.service.is_active
            else reverse("desk:book_service", kwargs={"hub_slug": hub_slug})
        ),
    }


def _verify_mail_due(booking_id: int) -> bool:
    """
    Whether the verification e-mail of this booking may go now: one per address per
    YIP_VERIFY_MAIL_INTERVAL. Held back, it is sent by the periodic sweep (desk_sweep) later.
    """
    email = (
        Booking.objects.filter(pk=booking_id, status=Booking.Status.PENDING)
        .exclude(notices__kind=Notice.Kind.VERIFY)
        .values_list("person__email", flat=True)
        .first()
    )
    if not email:
        return True  # nothing to send, or already sent: notice_send finds out by itself
    return once_per(f"desk:verify-mail:{email.strip().lower()}", seconds=settings.YIP_VERIFY_MAIL_INTERVAL)


def notice_send(*, booking_id: int, kind: str) -> bool:
    """
    Send one message about a booking, exactly once: the Notice row (unique per booking and
    kind) and the stored e-mail commit together, so a second run finds the Notice and stops.
    A verification e-mail waits while another went to the same address a moment ago.
    """
    if kind == Notice.Kind.VERIFY and not _verify_mail_due(booking_id):
        return False
    try:
        with transaction.atomic():
            booking = (
                Booking.objects.select_for_update(of=("self",))
                .select_related("slot__service", "slot__hub", "slot__antenna", "person", "hub")
                .get(pk=booking_id)
            )
            if Notice.objects.filter(booking=booking, kind=kind).exists():
                return False
            Notice.objects.create(booking=booking, kind=kind)
            _notice_email_send(booking, kind)
            return True
    except IntegrityError:  # a concurrent run got there first
        return False


def _recipients(booking: Booking, kind: str) -> list[str]:
    person = booking.person
    if kind == Notice.Kind.GUARDIAN:
        return [person.guardian_email]
    to = [person.email]
    if kind in GUARDIAN_COPIES and booking.guardian_consent_at and person.guardian_email:
        to.append(person.guardian_email)
    return to


def _notice_email_send(booking: Booking, kind: str, **extra) -> None:
    links = booking_links(booking)
    attachments = []
    if kind in (Notice.Kind.CONFIRMATION, "moved"):
        ics = booking_ics(booking, manage_url=links["manage_url"])
        attachments.append(("appuntamento.ics", ics, "text/calendar"))
    elif kind in CANCEL_KINDS and booking.confirmed_at:  # only a confirmed booking was sent a .ics
        ics = booking_ics(booking, manage_url=links["manage_url"], cancel=True)
        attachments.append(("appuntamento-annullato.ics", ics, "text/calendar"))
    mail_send(
        to=_recipients(booking, kind),
        template=f"desk/email/{kind}",
        context={
            "booking": booking,
            "slot": booking.slot,
            "hub": booking.hub,
            "person": booking.person,
            "kind": kind,
            "video_url": booking.video_url or booking.slot.video_url,
            **links,
            "start": timezone.localtime(booking.slot.starts_at),
            "site_url": settings.SITE_URL,
            **extra,
        },
        language=booking.language,
        reply_to=booking.hub.email,
        attachments=attachments,
    )


def move_notice_send(*, move_id: int) -> bool:
    """The "moved" e-mail of one move, with the old and the new time and the updated .ics (once)."""
    with transaction.atomic():
        move = (
            BookingMove.objects.select_for_update(of=("self",))
            .select_related(
                "booking__slot__service", "booking__slot__hub", "booking__slot__antenna", "booking__person"
            )
            .get(pk=move_id)
        )
        if move.notified_at:
            return False
        move.notified_at = timezone.now()
        move.save(update_fields=["notified_at"])
        booking = move.booking
        if booking.status not in Booking.UPCOMING_STATUSES:
            return False  # cancelled since: its own e-mail said so
        _notice_email_send(
            booking,
            "moved",
            old_start=timezone.localtime(move.from_starts_at),
            new_start=timezone.localtime(move.to_starts_at),
        )
        return True


def waitlist_offer_send(*, entry_id: int) -> bool:
    """E-mail the offer of a freed place with its claim link (once per offer)."""
    with transaction.atomic():
        entry = (
            WaitlistEntry.objects.select_for_update(of=("self",))
            .select_related("offered_slot__service", "hub", "person")
            .get(pk=entry_id)
        )
        if entry.status != WaitlistEntry.Status.OFFERED or entry.offer_notified_at:
            return False
        entry.offer_notified_at = timezone.now()
        entry.save(update_fields=["offer_notified_at"])
        claim = tokens.make(tokens.CLAIM, entry.pk)
        mail_send(
            to=[entry.person.email],
            template="desk/email/waitlist_offer",
            context={
                "entry": entry,
                "slot": entry.offered_slot,
                "hub": entry.hub,
                "start": timezone.localtime(entry.offered_slot.starts_at),
                "expires": timezone.localtime(entry.offer_expires_at),
                "claim_url": absolute(
                    reverse("desk:waitlist_claim", kwargs={"hub_slug": entry.hub.slug, "token": claim})
                ),
            },
            language=entry.person.language,
        )
        return True


def waitlist_ack_send(*, entry_id: int) -> bool:
    """ "You are on the list": the position and the link to leave it (once per place on the list)."""
    from ..selectors import waitlist_position

    with transaction.atomic():
        entry = (
            WaitlistEntry.objects.select_for_update(of=("self",))
            .select_related("service", "hub", "person", "antenna")
            .get(pk=entry_id)
        )
        if entry.acknowledged_at or entry.status != WaitlistEntry.Status.WAITING:
            return False
        entry.acknowledged_at = timezone.now()
        entry.save(update_fields=["acknowledged_at"])
        leave = tokens.make(tokens.LEAVE, entry.pk)
        mail_send(
            to=[entry.person.email],
            template="desk/email/waitlist_ack",
            context={
                "entry": entry,
                "hub": entry.hub,
                "position": waitlist_position(entry),
                "leave_url": absolute(
                    reverse("desk:waitlist_leave", kwargs={"hub_slug": entry.hub.slug, "token": leave})
                ),
            },
            language=entry.person.language,
            reply_to=entry.hub.email,
        )
        return True


def booking_verify_resend(*, booking: Booking) -> bool:
    """
    The guest asks for the confirmation link again ("check your e-mail"). Sent while the
    booking waits for it, and at most one verification e-mail per address per
    YIP_VERIFY_MAIL_INTERVAL (the first one included), so a double click, a retry or a stranger
    typing someone's address sends no second message. True if it went now.
    """
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("slot__service", "slot__hub", "slot__antenna", "person", "hub")
            .get(pk=booking.pk)
        )
        if booking.status != Booking.Status.PENDING or booking.hold_expires_at <= timezone.now():
            return False
        email = booking.person.email.strip().lower()
        if not once_per(f"desk:verify-mail:{email}", seconds=settings.YIP_VERIFY_MAIL_INTERVAL):
            return False
        Notice.objects.get_or_create(booking=booking, kind=Notice.Kind.VERIFY)
        _notice_email_send(booking, Notice.Kind.VERIFY)
        return True


def booking_links_send(*, hub, email: str, language: str = "it") -> bool:
    """
    "Resend my booking links": one e-mail to `email` listing its upcoming bookings at this hub,
    each with its link (to manage it, or to confirm it if it waits for that). Nothing is sent
    when the address has none, and at most one such e-mail per address and hub per
    YIP_VERIFY_MAIL_INTERVAL. The caller answers the same either way: True only says it went.
    """
    email = (email or "").strip().lower()
    bookings = list(
        Booking.objects.for_hub(hub)
        .filter(
            person__email=email,
            status__in=Booking.UPCOMING_STATUSES,
            slot__starts_at__gt=timezone.now(),
            slot__is_cancelled=False,
        )
        .select_related("slot__service", "slot__antenna", "slot__hub", "hub", "person")
        .order_by("slot__starts_at")
    )
    if not bookings:
        return False
    if not once_per(f"desk:links-mail:{hub.pk}:{email}", seconds=settings.YIP_VERIFY_MAIL_INTERVAL):
        return False
    rows = []
    for booking in bookings:
        links = booking_links(booking)
        pending = booking.status == Booking.Status.PENDING
        rows.append(
            {
                "booking": booking,
                "slot": booking.slot,
                "start": timezone.localtime(booking.slot.starts_at),
                "pending": pending,
                "url": links["verify_url"] if pending else links["manage_url"],
            }
        )
    mail_send(
        to=[email],
        template="desk/email/booking_links",
        context={"hub": hub, "rows": rows},
        language=language,
        reply_to=hub.email,
    )
    return True
