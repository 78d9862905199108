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
from ..models import Booking, Notice, WaitlistEntry
from .common import absolute


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


def _notice_email_send(booking: Booking, kind: str) -> None:
    attachments = []
    if kind == Notice.Kind.CONFIRMATION:
        attachments.append(("appuntamento.ics", booking_ics(booking), "text/calendar"))
    mail_send(
        to=[booking.person.email],
        template=f"desk/email/{kind}",
        context={
            "booking": booking,
            "slot": booking.slot,
            "hub": booking.hub,
            "person": booking.person,
            "kind": kind,
            **booking_links(booking),
            "start": timezone.localtime(booking.slot.starts_at),
            "site_url": settings.SITE_URL,
        },
        language=booking.language,
        reply_to=booking.hub.email,
        attachments=attachments,
    )


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
