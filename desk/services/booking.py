"""
Bookings: create (the capacity rule, guest hold caps), verify, the guardian's consent, cancel,
move, mark, and the expiry of unconfirmed holds.

Under the consent age on the session's day (Person.needs_guardian_on) a booking waits for the
guardian (status GUARDIAN): they get an e-mail with a consent link (double opt-in), and the
place is held until they follow it or the hold expires (DeskSettings.guardian_hold_hours).
A move is the same booking on another slot (same links, same calendar event, SEQUENCE + 1).

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
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hubs import pagecache
from hubs.events import emit
from hubs.models import Hub
from hubs.tasks import each_row
from people.models import Person, PersonHub
from people.services import person_join_proven

from .. import tasks
from ..models import Booking, BookingMove, Channel, Notice, Slot
from ..video import video_room_url
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
    guardian_consented: bool = False,
    origin: str = Booking.Origin.DIRECT,
    person_linked: bool = False,
) -> Booking:
    """
    Book a place. `verified` bookings (account holders, staff on someone's behalf, waiting-list
    claims) are confirmed at once; a guest's booking holds the place until the e-mail link is
    followed or the hold expires. Guests' holds are capped per address and per `client_ip`.
    Under the consent age on the session's day, a verified booking waits for the guardian's
    link instead, unless staff record the guardian's consent (`guardian_consented`).
    `person_linked`: the caller has just linked the person to the slot's hub (person_for_booking).
    """
    # Lock the slot's row only: a plain FOR UPDATE would lock the joined hub and service rows
    # too, so every booking of the hub would wait for the one before it.
    slots = Slot.objects.select_for_update(of=("self",)) if LOCK_SLOTS else Slot.objects
    slot = slots.select_related("hub", "service").get(pk=slot.pk)
    if slot.is_cancelled or slot.starts_at <= timezone.now():
        raise BookingError(_("This session is no longer available: choose another one."))
    holding = Booking.objects.filter(slot=slot, status__in=Booking.HOLDING_STATUSES).aggregate(
        taken=Count("pk"), mine=Count("pk", filter=Q(person=person))
    )
    if holding["mine"]:
        raise BookingError(_("You have already booked this session."), code="duplicate")
    if holding["taken"] >= slot.capacity:
        raise BookingError(
            _("This session is full: choose another one or join the waiting list."), code="full"
        )
    rules = desk_settings_get(hub=slot.hub)
    if not verified:
        ip_holds = _check_guest_holds(
            hub=slot.hub, person=person, client_ip=client_ip, hold_minutes=rules.hold_minutes
        )
    now = timezone.now()
    if not verified:
        status, hold = Booking.Status.PENDING, now + timedelta(minutes=rules.hold_minutes)
    elif person.needs_guardian_on(timezone.localdate(slot.starts_at)) and not guardian_consented:
        if not person.guardian_email:
            raise BookingError(
                _("Under %(age)s a parent or guardian must give their consent: give their e-mail.")
                % {"age": settings.YIP_CONSENT_AGE},
                code="guardian",
            )
        status, hold = Booking.Status.GUARDIAN, _guardian_hold(slot, rules)
    else:
        status, hold = Booking.Status.CONFIRMED, None
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
        origin=origin,
        created_by=by,
        status=status,
        confirmed_at=now if status == Booking.Status.CONFIRMED else None,
        hold_expires_at=hold,
        guardian_consent_at=now if guardian_consented else None,
        video_url=_video_room(slot),
    )
    if not person_linked:
        PersonHub.objects.get_or_create(person=person, hub=slot.hub)
    if not verified and client_ip:  # (an id rolled back with its booking matches nothing later)
        cache.set(_guest_holds_key(slot.hub, client_ip), [*ip_holds, booking.pk], rules.hold_minutes * 60)
    kind = {
        Booking.Status.PENDING: Notice.Kind.VERIFY,
        Booking.Status.GUARDIAN: Notice.Kind.GUARDIAN,
        Booking.Status.CONFIRMED: Notice.Kind.CONFIRMATION,
    }[status]
    tasks.notice_send.delay_on_commit(booking_id=booking.pk, kind=kind)
    emit(slot.hub, "booking.created", booking, slot=slot.pk)
    return booking


def _guardian_hold(slot: Slot, rules) -> timezone.datetime:
    return min(timezone.now() + timedelta(hours=rules.guardian_hold_hours), slot.starts_at)


def _video_room(slot: Slot) -> str:
    """
    The room of a booking of this (locked) slot: its own for a one-to-one session; the slot's
    for a group, made the first time it is needed.
    """
    if slot.channel != Channel.ONLINE:
        return ""
    base = slot.rule.video_url if slot.rule_id and slot.rule else ""
    if slot.capacity > 1:
        if not slot.video_url:
            slot.video_url = video_room_url(base)
            slot.save(update_fields=["video_url"])
        return slot.video_url
    return video_room_url(base)


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
    elif booking.status == Booking.Status.GUARDIAN:
        return booking
    elif booking.status != Booking.Status.PENDING:
        raise BookingError(_("This booking can no longer be confirmed."))
    person_join_proven(person=booking.person, hub=booking.hub)  # the link proved the address
    if booking.person.needs_guardian_on(timezone.localdate(booking.slot.starts_at)) and not (
        booking.guardian_consent_at
    ):
        booking.status = Booking.Status.GUARDIAN
        booking.hold_expires_at = _guardian_hold(booking.slot, desk_settings_get(hub=booking.hub))
        booking.save(update_fields=["status", "hold_expires_at"])
        tasks.notice_send.delay_on_commit(booking_id=booking.pk, kind=Notice.Kind.GUARDIAN)
    else:
        booking.status = Booking.Status.CONFIRMED
        booking.confirmed_at = timezone.now()
        booking.hold_expires_at = None
        booking.save(update_fields=["status", "confirmed_at", "hold_expires_at"])
        tasks.notice_send.delay_on_commit(booking_id=booking.pk, kind=Notice.Kind.CONFIRMATION)
    booking.refresh_from_db()
    return booking


@transaction.atomic
def booking_guardian_consent(*, booking: Booking) -> Booking:
    """
    The guardian followed their e-mailed link and said yes: the booking is confirmed (or the
    place taken back if the hold expired and it is still free); both get the confirmation.
    """
    booking = Booking.objects.select_for_update().select_related("slot", "person").get(pk=booking.pk)
    if booking.status == Booking.Status.CONFIRMED and booking.guardian_consent_at:
        return booking
    if booking.status == Booking.Status.EXPIRED and booking.hold_expires_at and booking.confirmed_at is None:
        slot = Slot.objects.select_for_update().get(pk=booking.slot_id)
        taken = Booking.objects.filter(slot=slot, status__in=Booking.HOLDING_STATUSES).count()
        if taken >= slot.capacity or slot.starts_at <= timezone.now():
            raise BookingError(_("The link came too late and the place went to someone else."))
    elif booking.status != Booking.Status.GUARDIAN:
        raise BookingError(_("This booking can no longer be confirmed."))
    now = timezone.now()
    booking.status = Booking.Status.CONFIRMED
    booking.confirmed_at = now
    booking.guardian_consent_at = now
    booking.hold_expires_at = None
    booking.save(update_fields=["status", "confirmed_at", "guardian_consent_at", "hold_expires_at"])
    Person.objects.filter(pk=booking.person_id).update(guardian_consent_at=now)
    tasks.notice_send.delay_on_commit(booking_id=booking.pk, kind=Notice.Kind.CONFIRMATION)
    booking.refresh_from_db()
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, by_hub=None, reason: str = "") -> Booking:
    """
    Cancel by the person (within the notice the hub sets) or by the hub. Either way the person
    is told by e-mail (with the reason, if given, a "book again" link, and a METHOD:CANCEL .ics
    that takes the event out of their calendar), and the place goes to the waiting list.
    """
    booking = Booking.objects.select_for_update().select_related("slot", "hub").get(pk=booking.pk)
    if booking.status not in Booking.UPCOMING_STATUSES:
        raise BookingError(_("This booking is not active any more."))
    if by_hub is None:
        check_notice(booking)
        booking.status = Booking.Status.CANCELLED
        kind = Notice.Kind.CANCELLED
    else:
        booking.status = Booking.Status.CANCELLED_BY_HUB
        booking.marked_by = by_hub
        booking.marked_at = timezone.now()
        kind = Notice.Kind.CANCELLED_BY_HUB
    booking.cancel_reason = reason.strip()[:300]
    booking.cancelled_at = timezone.now()
    booking.save()
    tasks.notice_send.delay_on_commit(booking_id=booking.pk, kind=kind)
    tasks.waitlist_offer.delay_on_commit(slot_id=booking.slot_id)
    emit(booking.hub, "booking.cancelled", booking, slot=booking.slot_id)
    return booking


@transaction.atomic
def booking_reschedule(*, booking: Booking, slot: Slot, by=None) -> Booking:
    """
    Move the booking to another free session of the same service and hub: the same booking
    (its links keep working), its calendar event updated (SEQUENCE + 1), a BookingMove in its
    history, a "moved" e-mail with the old and the new time, and the freed place offered on.
    The person moves within the hub's notice; staff (`by`) may move at any time.
    """
    booking = Booking.objects.select_for_update().select_related("slot").get(pk=booking.pk)
    if booking.status not in Booking.UPCOMING_STATUSES:
        raise BookingError(_("This booking is not active any more."))
    if slot.hub_id != booking.hub_id or slot.service_id != booking.service_id:
        raise BookingError(_("This session is no longer available: choose another one."))
    if by is None:
        check_notice(booking)
    slot = (
        Slot.objects.select_for_update(of=("self",)).select_related("hub", "service", "rule").get(pk=slot.pk)
    )
    if slot.pk == booking.slot_id:
        return booking
    if slot.is_cancelled or slot.starts_at <= timezone.now():
        raise BookingError(_("This session is no longer available: choose another one."))
    holding = Booking.objects.filter(slot=slot, status__in=Booking.HOLDING_STATUSES)
    if holding.filter(person=booking.person_id).exists():
        raise BookingError(_("You have already booked this session."), code="duplicate")
    if holding.count() >= slot.capacity:
        raise BookingError(
            _("This session is full: choose another one or join the waiting list."), code="full"
        )
    old = booking.slot
    booking.slot = slot
    booking.channel = slot.channel
    booking.antenna = slot.antenna
    booking.sequence += 1
    booking.video_url = _video_room(slot)
    if booking.status in Booking.HELD_STATUSES and booking.hold_expires_at:
        booking.hold_expires_at = min(booking.hold_expires_at, slot.starts_at)
    booking.save(update_fields=["slot", "channel", "antenna", "sequence", "video_url", "hold_expires_at"])
    # The reminders are for the new time: they go again.
    booking.notices.filter(kind__in=[Notice.Kind.REMINDER_DAY, Notice.Kind.REMINDER_HOUR]).delete()
    move = BookingMove.objects.create(
        booking=booking,
        from_slot=old,
        to_slot=slot,
        from_starts_at=old.starts_at,
        to_starts_at=slot.starts_at,
        moved_by=by,
    )
    tasks.move_notice_send.delay_on_commit(move_id=move.pk)
    tasks.waitlist_offer.delay_on_commit(slot_id=old.pk)
    return booking


@transaction.atomic
def booking_mark(*, booking: Booking, status: str, by) -> Booking:
    """Staff record what happened: attended or did not come (from the session's day on)."""
    if status not in (Booking.Status.ATTENDED, Booking.Status.NO_SHOW):
        raise BookingError(_("Choose attended or did not come."))
    booking = Booking.objects.select_for_update().select_related("slot").get(pk=booking.pk)
    if booking.status not in (Booking.Status.CONFIRMED, Booking.Status.ATTENDED, Booking.Status.NO_SHOW):
        raise BookingError(_("Only confirmed bookings can be marked."))
    _check_started(booking.slot)
    booking.status = status
    booking.marked_by = by
    booking.marked_at = timezone.now()
    was = Booking.objects.filter(pk=booking.pk).values_list("status", flat=True).first()
    booking.save(update_fields=["status", "marked_by", "marked_at"])
    if status == Booking.Status.ATTENDED and was != status:
        emit(booking.hub, "booking.attended", booking, slot=booking.slot_id)
    return booking


def _check_started(slot: Slot) -> None:
    if slot.starts_at > timezone.now():
        raise BookingError(
            _("The session has not taken place yet: attendance can be recorded from %(time)s.")
            % {"time": timezone.localtime(slot.starts_at).strftime("%H:%M")}
        )


@transaction.atomic
def slot_roll_call(*, slot: Slot, marks: dict[int, str], by) -> int:
    """
    The roll call of a session: each booking named in `marks` (booking id → attended or
    no-show) recorded through booking_mark, all or none, once the session has started. Returns
    how many bookings changed; a booking already marked so is left as it is.
    """
    from ..selectors import roll_call_bookings

    slot = Slot.objects.select_for_update().get(pk=slot.pk)
    if slot.is_cancelled:
        raise BookingError(_("This session was cancelled."))
    _check_started(slot)
    changed = 0
    for booking in roll_call_bookings(slot=slot).filter(pk__in=list(marks)):
        if booking.status != marks[booking.pk]:
            booking_mark(booking=booking, status=marks[booking.pk], by=by)
            changed += 1
    return changed


def holds_expire(*, hub: Hub | None = None) -> int:
    """Release the places of guest bookings never confirmed in time; offer them on."""
    expired = Booking.objects.filter(status__in=Booking.HELD_STATUSES, hold_expires_at__lt=timezone.now())
    if hub is not None:
        expired = expired.for_hub(hub)
    count, _failed = each_row(expired.values_list("pk", "slot_id"), _hold_expire, what="Booking hold")
    return count


@transaction.atomic
def _hold_expire(row: tuple[int, int]) -> bool:
    booking_id, slot_id = row
    if Booking.objects.filter(pk=booking_id, status__in=Booking.HELD_STATUSES).update(
        status=Booking.Status.EXPIRED
    ):
        hub_id = Slot.objects.filter(pk=slot_id).values_list("hub_id", flat=True)[0]
        pagecache.bump_hub(hub_id, availability=True)  # update() sends no post_save
        tasks.waitlist_offer.delay_on_commit(slot_id=slot_id)
        return True
    return False
