"""
Writes of the online desk. Each service is one transaction; messages are queued with
`delay_on_commit` (hubs.tasks.PortalTask), so nothing is sent for a change that was rolled back.

The capacity rule: a slot never holds more bookings in HOLDING_STATUSES than its capacity.
`booking_create` locks the slot row (SELECT … FOR UPDATE) before counting, so concurrent
bookings of the last place are serialised: one wins, the others get "This session is full".

Guest holds are capped (YIP_GUEST_HOLD_LIMITS): a few unconfirmed bookings at a time per e-mail
address and per client IP in a hub, so one client cannot hold a session's places with made-up
addresses; and a verification e-mail goes to an address at most once per YIP_VERIFY_MAIL_INTERVAL.
"""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hubs.models import Hub
from hubs.ratelimit import once_per
from hubs.tasks import each_row
from people.mail import mail_send
from people.models import Person, PersonHub
from people.services import person_create, person_join_proven

from . import tasks, tokens
from .calendar import booking_ics
from .models import Booking, Channel, DeskSettings, Enquiry, Notice, Slot, WaitlistEntry
from .selectors import notices_due

# Tests turn this off once, to show that without the lock the race is real.
LOCK_SLOTS = True


class BookingError(ValidationError):
    """A booking rule was broken; the message is for the young person."""


def desk_settings_get(*, hub: Hub) -> DeskSettings:
    row, _created = DeskSettings.objects.get_or_create(hub=hub)
    return row


def absolute(path: str) -> str:
    return settings.SITE_URL + path


# --- People -------------------------------------------------------------------------------


def person_for_booking(*, hub: Hub, data: dict, user=None) -> Person:
    """
    The record a booking (or a place on a waiting list) belongs to. An account holder has one
    record, shared by the hubs they deal with. A guest gets a new record of this hub: what they
    typed has not been proved, so it touches no existing record; it joins the one they may
    already have once they follow the e-mailed link (`booking_verify`, `waitlist_claim`).
    """
    if user is not None and user.is_authenticated:
        person = Person.objects.filter(user=user).first()
        if person is None:
            person = Person(user=user)
        for field, value in data.items():
            setattr(person, field, value)
        person.email = user.email
        person.save()
        PersonHub.objects.get_or_create(person=person, hub=hub)
        return person
    return person_create(hub=hub, data=data)


# --- Bookings -----------------------------------------------------------------------------


def _check_notice(booking: Booking) -> None:
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
        _check_notice(booking)
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
    _check_notice(booking)
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


# --- Waiting list ---------------------------------------------------------------------------


@transaction.atomic
def waitlist_join(*, hub: Hub, service, channel: str, antenna, person: Person) -> WaitlistEntry:
    existing = (
        WaitlistEntry.objects.for_hub(hub)
        .filter(
            service=service,
            channel=channel,
            antenna=antenna,
            person=person,
            status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED],
        )
        .first()
    )
    if existing:
        return existing
    PersonHub.objects.get_or_create(person=person, hub=hub)
    return WaitlistEntry.objects.create(
        hub=hub, service=service, channel=channel, antenna=antenna, person=person
    )


@transaction.atomic
def waitlist_offer(*, slot_id: int) -> WaitlistEntry | None:
    """Offer a freed place of this slot to the first person waiting for it (once per place)."""
    slot = Slot.objects.select_for_update().select_related("hub").get(pk=slot_id)
    if slot.is_cancelled or slot.starts_at <= timezone.now():
        return None
    taken = Booking.objects.filter(slot=slot, status__in=Booking.HOLDING_STATUSES).count()
    open_offers = WaitlistEntry.objects.filter(offered_slot=slot, status=WaitlistEntry.Status.OFFERED).count()
    if taken + open_offers >= slot.capacity:
        return None
    entry = (
        WaitlistEntry.objects.for_hub(slot.hub)
        .select_for_update(skip_locked=True)
        .filter(service=slot.service_id, channel=slot.channel, status=WaitlistEntry.Status.WAITING)
        .filter(antenna=slot.antenna_id if slot.channel == Channel.ANTENNA else None)
        .order_by("created_at", "pk")
        .first()
    )
    if entry is None:
        return None
    rules = desk_settings_get(hub=slot.hub)
    entry.status = WaitlistEntry.Status.OFFERED
    entry.offered_slot = slot
    entry.offer_expires_at = min(timezone.now() + timedelta(hours=rules.offer_hours), slot.starts_at)
    entry.save(update_fields=["status", "offered_slot", "offer_expires_at"])
    tasks.waitlist_offer_send.delay_on_commit(entry_id=entry.pk)
    return entry


@transaction.atomic
def waitlist_claim(*, entry: WaitlistEntry) -> Booking:
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != WaitlistEntry.Status.OFFERED or entry.offer_expires_at < timezone.now():
        raise BookingError(_("This offer has expired: you are still welcome to book another session."))
    booking = booking_create(
        slot=entry.offered_slot,
        person=entry.person,
        language=entry.person.language,
        source=Booking.Source.WAITLIST,
        verified=True,
    )
    entry.status = WaitlistEntry.Status.CLAIMED
    entry.booking = booking
    entry.save(update_fields=["status", "booking"])
    person_join_proven(person=entry.person, hub=entry.hub)  # the offer's link proved the address
    booking.refresh_from_db()
    return booking


def offers_expire(*, hub: Hub | None = None) -> int:
    """Offers nobody took lapse; their places go to the next in line."""
    lapsed = WaitlistEntry.objects.filter(
        status=WaitlistEntry.Status.OFFERED, offer_expires_at__lt=timezone.now()
    )
    if hub is not None:
        lapsed = lapsed.for_hub(hub)
    count, _failed = each_row(
        lapsed.values_list("pk", "offered_slot_id"), _offer_lapse, what="Waiting-list offer"
    )
    return count


@transaction.atomic
def _offer_lapse(row: tuple[int, int | None]) -> bool:
    entry_id, slot_id = row
    if WaitlistEntry.objects.filter(pk=entry_id, status=WaitlistEntry.Status.OFFERED).update(
        status=WaitlistEntry.Status.LAPSED
    ):
        if slot_id:
            tasks.waitlist_offer.delay_on_commit(slot_id=slot_id)
        return True
    return False


def desk_sweep(*, hub: Hub) -> dict:
    """
    The hub's part of beat's sweep (desk/tasks.py), every few minutes: expire unconfirmed holds
    and stale offers, and send what is due (selectors.notices_due). Each row on its own: one
    that fails is logged and tried again by the next sweep (Notices make it idempotent).
    """
    done = {"expired": holds_expire(hub=hub), "lapsed": offers_expire(hub=hub)}
    done["sent"], done["failed"] = each_row(
        notices_due(hub=hub),
        lambda due: notice_send(booking_id=due[0], kind=due[1]),
        what="Desk notice (booking, kind)",
    )
    return done


# --- Enquiries ------------------------------------------------------------------------------


@transaction.atomic
def enquiry_reply(*, enquiry: Enquiry, reply: str, by) -> Enquiry:
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    enquiry.reply = reply
    enquiry.replied_by = by
    enquiry.replied_at = timezone.now()
    enquiry.status = Enquiry.Status.ANSWERED
    enquiry.save()
    mail_send(
        to=[enquiry.email],
        template="desk/email/enquiry_reply",
        context={"enquiry": enquiry, "hub": enquiry.hub},
        language=enquiry.language,
        reply_to=enquiry.hub.email,
    )
    return enquiry


# --- Messages -------------------------------------------------------------------------------


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


# --- Availability -----------------------------------------------------------------------------


def _closed(closures, day, rule) -> bool:
    for closure in closures:
        if not closure.starts_on <= day <= closure.ends_on:
            continue
        if closure.antenna_id and closure.antenna_id != rule.antenna_id:
            continue
        if closure.operator_id and closure.operator_id != rule.operator_id:
            continue
        return True
    return False


def _wanted_starts(rule, closures, start, end) -> set:
    """The start times (aware) the rule asks for between two dates, closures left out."""
    wanted = set()
    step = timedelta(minutes=rule.service.duration_minutes)
    day = max(start, rule.valid_from)
    last = min(end, rule.valid_until) if rule.valid_until else end
    tz = timezone.get_current_timezone()
    while day <= last:
        if day.weekday() == rule.weekday and not _closed(closures, day, rule):
            moment = timezone.make_aware(timezone.datetime.combine(day, rule.start_time), tz)
            finish = timezone.make_aware(timezone.datetime.combine(day, rule.end_time), tz)
            while moment + step <= finish:
                wanted.add(moment)
                moment += step
        day += timedelta(days=1)
    return wanted


def _slot_fits_rule(slot: Slot, rule, duration: timedelta) -> bool:
    """Whether a slot is still the session the rule describes (who, what, where, how long)."""
    return (
        slot.service_id == rule.service_id
        and slot.operator_id == rule.operator_id
        and slot.channel == rule.channel
        and slot.antenna_id == rule.antenna_id
        and slot.ends_at - slot.starts_at == duration
    )


def _slot_follow_rule(slot: Slot, rule) -> None:
    """Places and video link follow the rule; places never drop below the bookings held."""
    if slot.capacity == rule.capacity and slot.video_url == rule.video_url:
        return
    slot = Slot.objects.select_for_update().get(pk=slot.pk)  # as booking_create does
    held = Booking.objects.filter(slot=slot, status__in=Booking.HOLDING_STATUSES).count()
    slot.capacity = max(rule.capacity, held)
    slot.video_url = rule.video_url
    slot.save(update_fields=["capacity", "video_url"])


@transaction.atomic
def slots_sync(*, hub: Hub, start=None, days: int | None = None) -> dict:
    """
    Make the hub's future slots match its availability rules and closures, from `start` for
    `days` (default: the booking horizon). New slots are added; slots no longer wanted are
    removed only if nobody booked them: booked ones are kept and reported as conflicts, so
    changing availability never silently drops a booking. A slot whose rule now names another
    operator, service, channel, antenna or duration counts as no longer wanted; a change of
    places or video link is applied to the slot in place.
    """
    from .models import AvailabilityRule, Closure

    rules_row = desk_settings_get(hub=hub)
    start = start or timezone.localdate()
    end = start + timedelta(days=days or rules_row.horizon_days)
    closures = list(Closure.objects.for_hub(hub).filter(ends_on__gte=start, starts_on__lte=end))
    now = timezone.now()
    created, removed, conflicts = 0, 0, []
    rules = AvailabilityRule.objects.for_hub(hub).select_related("service")
    for rule in rules:
        wanted = (
            _wanted_starts(rule, closures, start, end) if rule.is_active and rule.service.is_active else set()
        )
        existing = (
            Slot.objects.for_hub(hub)
            .filter(
                rule=rule,
                is_cancelled=False,
                starts_at__gt=now,
                starts_at__date__gte=start,
                starts_at__date__lte=end,
            )
            .with_booked()
            .select_related("service", "operator", "antenna")
        )
        duration = timedelta(minutes=rule.service.duration_minutes)
        for slot in existing:
            if slot.starts_at in wanted and _slot_fits_rule(slot, rule, duration):
                _slot_follow_rule(slot, rule)
                continue
            if slot.booked:
                conflicts.append(slot)
            else:
                slot.delete()
                removed += 1
        taken = set(
            Slot.objects.filter(operator=rule.operator, is_cancelled=False, starts_at__in=wanted).values_list(
                "starts_at", flat=True
            )
        )
        new = [
            Slot(
                hub=hub,
                service=rule.service,
                operator=rule.operator,
                channel=rule.channel,
                antenna=rule.antenna,
                starts_at=moment,
                ends_at=moment + duration,
                capacity=rule.capacity,
                video_url=rule.video_url,
                rule=rule,
            )
            for moment in sorted(wanted - taken)
            if moment > now
        ]
        Slot.objects.bulk_create(new)
        created += len(new)
    return {"created": created, "removed": removed, "conflicts": conflicts}


# --- Enquiries from the public page -----------------------------------------------------------


@transaction.atomic
def enquiry_create(*, hub: Hub, data: dict, user=None) -> Enquiry:
    """
    A question to the hub's desk ("Ask the desk"). `data`: name, email, subject, message and
    optionally language. An account holder's enquiry is linked to their record (and the record
    to the hub, so its staff can see who asks).
    """
    person = None
    if user is not None and user.is_authenticated:
        person = Person.objects.filter(user=user).first()
        if person is not None:
            PersonHub.objects.get_or_create(person=person, hub=hub)
    fields = {name: data[name] for name in ("name", "email", "subject", "message")}
    language = data.get("language") or translation.get_language() or "it"
    return Enquiry.objects.create(hub=hub, person=person, language=language[:2], **fields)


# --- Back office: availability, services, settings, enquiries, records -------------------------
# Every change of availability ends with slots_sync, in the same transaction, and returns its
# report ({"created", "removed", "conflicts"}) for the view to show.


@transaction.atomic
def availability_rule_save(*, rule) -> dict:
    """Save a weekly rule (new or changed) and bring the hub's slots in line with it."""
    rule.save()
    return slots_sync(hub=rule.hub)


@transaction.atomic
def closure_create(*, closure) -> dict:
    """Close the hub (or one antenna, or one operator) on some days: their free slots go."""
    closure.save()
    return slots_sync(hub=closure.hub)


@transaction.atomic
def closure_delete(*, closure) -> dict:
    """Reopen the days of a closure: the rules give their slots back."""
    hub = closure.hub
    closure.delete()
    return slots_sync(hub=hub)


@transaction.atomic
def service_save(*, service) -> dict:
    """A service's duration and whether it is bookable shape its slots: sync them."""
    service.save()
    return slots_sync(hub=service.hub)


@transaction.atomic
def desk_settings_save(*, row: DeskSettings) -> dict:
    """The booking horizon decides how far ahead slots exist: sync them."""
    row.save()
    return slots_sync(hub=row.hub)


@transaction.atomic
def enquiry_close(*, enquiry: Enquiry) -> Enquiry:
    """Nothing more to do on this enquiry (answered by phone, a duplicate, spam…)."""
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    enquiry.status = Enquiry.Status.CLOSED
    enquiry.save(update_fields=["status"])
    return enquiry


def case_note_create(*, hub: Hub, person: Person, author, text: str):
    """A private note of the hub's staff on a person's record; only this hub ever reads it."""
    from people.models import CaseNote

    return CaseNote.objects.create(hub=hub, person=person, author=author, text=text)
