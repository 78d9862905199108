"""
Bookings: create (the capacity rule, guest hold caps), verify, cancel, reschedule, mark, and
the expiry of unconfirmed holds.

The capacity rule: a slot never holds more bookings in HOLDING_STATUSES than its capacity.
`booking_create` locks the slot row (SELECT … FOR UPDATE) before counting, so concurrent
bookings of the last place are serialised: one wins, the others get "This session is full".

Guest holds are capped (YIP_GUEST_HOLD_LIMITS): a few unconfirmed bookings at a time per e-mail
address and per client IP in a hub, so one client cannot hold a session's places with made-up
addresses.
"""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hubs.models import Hub
from hubs.tasks import each_row
from people.models import Person, PersonHub
from people.services import person_join_proven

from .. import tasks
from ..models import Booking, Notice, Slot
from .common import BookingError, desk_settings_get

# Tests turn this off once, to show that without the lock the race is real.
LOCK_SLOTS = True


def check_notice(booking: Booking) -> None:
    rules = desk_settings_get(hub=booking.hub)
    if booking.slot.starts_at - timezone.now() < timedelta(hours=rules.min_notice_hours):
        raise BookingError(
            _("Changes are possible up to %(hours)s hours before the session: please call the hub.")
            % {"hours": rules.min_notice_hours}
        )


def _guest_holds_key(hub: Hub, client_ip: str) -> str:
    return f"desk:guest-holds:{hub.pk}:{client_ip}"


def _check_guest_holds(*, hub: Hub, person: Person, client_ip: str | None, hold_minutes: int) -> list[int]:
    """
    Refuse one more unconfirmed guest booking when its e-mail address, or the client IP,
    already has as many as YIP_GUEST_HOLD_LIMITS allows in the hub (one message for both: it
    does not tell which). Returns the IP's live holds: their ids are kept in the cache for as
    long as a hold lasts, so the IP is never stored in the database.
    """
    limits = settings.YIP_GUEST_HOLD_LIMITS
    live = Booking.objects.for_hub(hub).filter(
        status=Booking.Status.PENDING, hold_expires_at__gt=timezone.now()
    )
    held = []
    if limits.get("ip") is not None and client_ip:
        held_ids = cache.get(_guest_holds_key(hub, client_ip)) or []  # None: the cache is down
        held = list(live.filter(pk__in=held_ids).values_list("pk", flat=True))
    ip_full = limits.get("ip") is not None and len(held) >= limits["ip"]
    email_full = (
        limits.get("email") is not None
        and live.filter(person__email__iexact=person.email).count() >= limits["email"]
    )
    if ip_full or email_full:
        raise BookingError(
            _(
                "Too many bookings are waiting for confirmation: confirm them with the link we sent "
                "by e-mail, or try again in %(minutes)s minutes."
            )
            % {"minutes": hold_minutes},
            code="holds",
        )
    return held


@transaction.atomic
def booking_create(
    *,
    slot: Slot,
    person: Person,
    reason: str = "",
    language: str = "it",
    source: str = Booking.Source.ONLINE,
    by=None,
    verified: bool = False,
    client_ip: str | None = None,
) -> Booking:
    """
    Book a place. `verified` bookings (account holders, staff on someone's behalf, waiting-list
    claims) are confirmed at once; a guest's booking holds the place until the e-mail link is
    followed or the hold expires. Guests' holds are capped per address and per `client_ip`.
    """
    slots = Slot.objects.select_for_update() if LOCK_SLOTS else Slot.objects
    slot = slots.select_related("hub", "service").get(pk=slot.pk)
    if slot.is_cancelled or slot.starts_at <= timezone.now():
        raise BookingError(_("This session is no longer available: choose another one."))
    holding = Booking.objects.filter(slot=slot, status__in=Booking.HOLDING_STATUSES)
    if holding.filter(person=person).exists():
        raise BookingError(_("You have already booked this session."), code="duplicate")
    if holding.count() >= slot.capacity:
        raise BookingError(
            _("This session is full: choose another one or join the waiting list."), code="full"
        )
    rules = desk_settings_get(hub=slot.hub)
    if not verified:
        ip_holds = _check_guest_holds(
            hub=slot.hub, person=person, client_ip=client_ip, hold_minutes=rules.hold_minutes
        )
    now = timezone.now()
    booking = Booking.objects.create(
        hub=slot.hub,
        slot=slot,
        person=person,
        service=slot.service,
        channel=slot.channel,
        antenna=slot.antenna,
        reason=reason,
        language=language,
        source=source,
        created_by=by,
        status=Booking.Status.CONFIRMED if verified else Booking.Status.PENDING,
        confirmed_at=now if verified else None,
        hold_expires_at=None if verified else now + timedelta(minutes=rules.hold_minutes),
    )
    PersonHub.objects.get_or_create(person=person, hub=slot.hub)
    if not verified and client_ip:  # (an id rolled back with its booking matches nothing later)
        cache.set(_guest_holds_key(slot.hub, client_ip), [*ip_holds, booking.pk], rules.hold_minutes * 60)
    kind = Notice.Kind.CONFIRMATION if verified else Notice.Kind.VERIFY
    tasks.notice_send.delay_on_commit(booking_id=booking.pk, kind=kind)
    return booking


@transaction.atomic
def booking_verify(*, booking: Booking) -> Booking:
    """The guest followed the e-mailed link: confirm, or re-take the place if it is still free."""
    booking = Booking.objects.select_for_update().select_related("slot").get(pk=booking.pk)
    if booking.status == Booking.Status.CONFIRMED:
        return booking
    if booking.status == Booking.Status.EXPIRED:
        slot = Slot.objects.select_for_update().get(pk=booking.slot_id)
        taken = Booking.objects.filter(slot=slot, status__in=Booking.HOLDING_STATUSES).count()
        if taken >= slot.capacity or slot.starts_at <= timezone.now():
            raise BookingError(_("The link came too late and the place went to someone else."))
    elif booking.status != Booking.Status.PENDING:
        raise BookingError(_("This booking can no longer be confirmed."))
    booking.status = Booking.Status.CONFIRMED
    booking.confirmed_at = timezone.now()
    booking.hold_expires_at = None
    booking.save(update_fields=["status", "confirmed_at", "hold_expires_at"])
    person_join_proven(person=booking.person, hub=booking.hub)  # the link proved the address
    tasks.notice_send.delay_on_commit(booking_id=booking.pk, kind=Notice.Kind.CONFIRMATION)
    booking.refresh_from_db()
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, by_hub=None) -> Booking:
    """Cancel by the person (within the notice the hub sets) or by the hub (told by e-mail)."""
    booking = Booking.objects.select_for_update().select_related("slot", "hub").get(pk=booking.pk)
    if booking.status not in Booking.UPCOMING_STATUSES:
        raise BookingError(_("This booking is not active any more."))
    if by_hub is None:
        check_notice(booking)
        booking.status = Booking.Status.CANCELLED
    else:
        booking.status = Booking.Status.CANCELLED_BY_HUB
        booking.marked_by = by_hub
        booking.marked_at = timezone.now()
        tasks.notice_send.delay_on_commit(booking_id=booking.pk, kind=Notice.Kind.CANCELLED_BY_HUB)
    booking.cancelled_at = timezone.now()
    booking.save()
    tasks.waitlist_offer.delay_on_commit(slot_id=booking.slot_id)
    return booking


@transaction.atomic
def booking_reschedule(*, booking: Booking, slot: Slot) -> Booking:
    """Move to another free slot of the same hub: a new booking replaces the old one."""
    booking = Booking.objects.select_for_update().select_related("slot").get(pk=booking.pk)
    if booking.status not in Booking.UPCOMING_STATUSES:
        raise BookingError(_("This booking is not active any more."))
    if slot.hub_id != booking.hub_id:
        raise BookingError(_("This session is no longer available: choose another one."))
    check_notice(booking)
    new = booking_create(
        slot=slot,
        person=booking.person,
        reason=booking.reason,
        language=booking.language,
        source=booking.source,
        verified=True,
    )
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["status", "cancelled_at"])
    tasks.waitlist_offer.delay_on_commit(slot_id=booking.slot_id)
    return new


@transaction.atomic
def booking_mark(*, booking: Booking, status: str, by) -> Booking:
    """Staff record what happened: attended or did not come (from the session's day on)."""
    if status not in (Booking.Status.ATTENDED, Booking.Status.NO_SHOW):
        raise BookingError(_("Choose attended or did not come."))
    booking = Booking.objects.select_for_update().select_related("slot").get(pk=booking.pk)
    if booking.status not in (Booking.Status.CONFIRMED, Booking.Status.ATTENDED, Booking.Status.NO_SHOW):
        raise BookingError(_("Only confirmed bookings can be marked."))
    if timezone.localdate(booking.slot.starts_at) > timezone.localdate():
        raise BookingError(_("The session has not taken place yet."))
    booking.status = status
    booking.marked_by = by
    booking.marked_at = timezone.now()
    booking.save(update_fields=["status", "marked_by", "marked_at"])
    return booking


def holds_expire(*, hub: Hub | None = None) -> int:
    """Release the places of guest bookings never confirmed in time; offer them on."""
    expired = Booking.objects.filter(status=Booking.Status.PENDING, hold_expires_at__lt=timezone.now())
    if hub is not None:
        expired = expired.for_hub(hub)
    count, _failed = each_row(expired.values_list("pk", "slot_id"), _hold_expire, what="Booking hold")
    return count


@transaction.atomic
def _hold_expire(row: tuple[int, int]) -> bool:
    booking_id, slot_id = row
    if Booking.objects.filter(pk=booking_id, status=Booking.Status.PENDING).update(
        status=Booking.Status.EXPIRED
    ):
        tasks.waitlist_offer.delay_on_commit(slot_id=slot_id)
        return True
    return False
