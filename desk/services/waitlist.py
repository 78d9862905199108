"""
The waiting list: join, the offer of a freed place, its claim, and the lapse of stale offers.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hubs.models import Hub
from hubs.tasks import each_row
from people.models import Person, PersonHub
from people.services import person_join_proven

from .. import tasks
from ..models import Booking, Channel, Slot, WaitlistEntry
from .booking import booking_create
from .common import BookingError, desk_settings_get


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
    entry = WaitlistEntry.objects.create(
        hub=hub, service=service, channel=channel, antenna=antenna, person=person
    )
    tasks.waitlist_ack_send.delay_on_commit(entry_id=entry.pk)
    return entry


@transaction.atomic
def waitlist_leave(*, entry: WaitlistEntry) -> WaitlistEntry:
    """Leave the list (from the e-mailed link); an open offer goes to the next in line."""
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status not in (WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED):
        return entry
    offered_slot_id = entry.offered_slot_id if entry.status == WaitlistEntry.Status.OFFERED else None
    entry.status = WaitlistEntry.Status.WITHDRAWN
    entry.save(update_fields=["status"])
    if offered_slot_id:
        tasks.waitlist_offer.delay_on_commit(slot_id=offered_slot_id)
    return entry


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
def waitlist_claim(*, entry: WaitlistEntry, first_name: str = "", last_name: str = "") -> Booking:
    """
    Take the offered place. Someone who joined with their e-mail only gives their name now
    (`first_name`, `last_name`): a booking is always in someone's name.
    """
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != WaitlistEntry.Status.OFFERED or entry.offer_expires_at < timezone.now():
        raise BookingError(_("This offer has expired: you are still welcome to book another session."))
    person = entry.person
    if not person.first_name:
        if not (first_name.strip() and last_name.strip()):
            raise BookingError(_("Tell us your first and last name to take the place."), code="name")
        person.first_name, person.last_name = first_name.strip()[:100], last_name.strip()[:100]
        person.save(update_fields=["first_name", "last_name"])
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
