"""
Background work of the desk. Tasks take ids and are safe to run twice: the services they call
record what they did (Notice rows, statuses) and return early when it is done already.
Periodic sweeps also catch whatever could not be queued while the broker was down.
"""

from datetime import timedelta

from celery import shared_task
from django.db.models import Q
from django.utils import timezone


@shared_task(bind=True, max_retries=3, default_retry_delay=60, ignore_result=True)
def notice_send(self, *, booking_id: int, kind: str) -> None:
    from .services import notice_send as send

    send(booking_id=booking_id, kind=kind)


@shared_task(ignore_result=True)
def waitlist_offer(*, slot_id: int) -> None:
    from .services import waitlist_offer as offer

    offer(slot_id=slot_id)


@shared_task(ignore_result=True)
def waitlist_offer_send(*, entry_id: int) -> None:
    from .services import waitlist_offer_send as send

    send(entry_id=entry_id)


@shared_task(ignore_result=True)
def desk_sweep() -> dict:
    """
    Every few minutes (beat): expire unconfirmed holds and stale offers, and send what is due —
    reminders the day before (and one hour before online sessions), confirmations and
    verification e-mails whose task never ran (broker down). Notices make it idempotent.
    """
    from .models import Booking, Channel, Notice
    from .services import holds_expire, notice_send, offers_expire

    now = timezone.now()
    done = {"expired": holds_expire(), "lapsed": offers_expire(), "sent": 0}
    due = []
    confirmed = Booking.objects.filter(status=Booking.Status.CONFIRMED, slot__starts_at__gt=now)
    due += [
        (pk, Notice.Kind.CONFIRMATION)
        for pk in confirmed.exclude(notices__kind=Notice.Kind.CONFIRMATION).values_list("pk", flat=True)
    ]
    due += [
        (pk, Notice.Kind.VERIFY)
        for pk in Booking.objects.filter(status=Booking.Status.PENDING)
        .exclude(notices__kind=Notice.Kind.VERIFY)
        .values_list("pk", flat=True)
    ]
    day_before = confirmed.filter(
        slot__starts_at__lte=now + timedelta(hours=24),
        # booked the day before or earlier: a same-day booking needs no "tomorrow" reminder
        created_at__lte=now - timedelta(hours=2),
    ).exclude(Q(notices__kind=Notice.Kind.REMINDER_DAY))
    due += [(pk, Notice.Kind.REMINDER_DAY) for pk in day_before.values_list("pk", flat=True)]
    hour_before = confirmed.filter(
        channel=Channel.ONLINE, slot__starts_at__lte=now + timedelta(hours=1)
    ).exclude(notices__kind=Notice.Kind.REMINDER_HOUR)
    due += [(pk, Notice.Kind.REMINDER_HOUR) for pk in hour_before.values_list("pk", flat=True)]
    for booking_id, kind in due:
        done["sent"] += notice_send(booking_id=booking_id, kind=kind)
    return done
