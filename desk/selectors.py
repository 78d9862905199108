"""Reads of the online desk, always for one hub."""

from datetime import date, datetime, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from hubs.models import Hub
from people.models import Person

from .models import Booking, BookingMove, Channel, Enquiry, Notice, Service, Slot, WaitlistEntry


def services_bookable(*, hub: Hub) -> QuerySet[Service]:
    return Service.objects.for_hub(hub).filter(is_active=True)


def services_with_dates(*, hub: Hub) -> list[Service]:
    """
    The hub's bookable services, each knowing whether it has upcoming sessions (`has_dates`)
    and whether one has a free place (`has_free`): three queries whatever their number.
    """
    services = list(services_bookable(hub=hub))
    upcoming = Slot.objects.for_hub(hub).filter(is_cancelled=False, starts_at__gt=timezone.now())
    dated = set(upcoming.values_list("service_id", flat=True).distinct())
    free = set(Slot.objects.for_hub(hub).bookable().values_list("service_id", flat=True).distinct())
    for service in services:
        service.has_dates = service.pk in dated
        service.has_free = service.pk in free
    return services


def channels_offered(*, hub: Hub, service: Service) -> list[dict]:
    """The channels (and antennas) with at least one future slot of the service, or none free."""
    now = timezone.now()
    rows = (
        Slot.objects.for_hub(hub)
        .filter(service=service, is_cancelled=False, starts_at__gt=now)
        .values("channel", "antenna", "antenna__name")
        .distinct()
        .order_by("channel", "antenna__name")
    )
    return list(rows)


def slots_bookable(
    *, hub: Hub, service: Service, channel: str, antenna_id: int | None = None, until: datetime | None = None
) -> QuerySet[Slot]:
    qs = Slot.objects.for_hub(hub).bookable().filter(service=service, channel=channel)
    if channel == Channel.ANTENNA:
        qs = qs.filter(antenna_id=antenna_id)
    if until:
        qs = qs.filter(starts_at__lte=until)
    return qs.select_related("antenna", "service").order_by("starts_at")


def calendar_slots(
    *, hub: Hub, start: date, days: int, antenna_id=None, operator_id=None, channel: str | None = None
) -> QuerySet[Slot]:
    """Slots of the hub between two days, with their bookings and people (fixed query count)."""
    tz = timezone.get_current_timezone()
    begin = timezone.make_aware(datetime.combine(start, datetime.min.time()), tz)
    qs = (
        Slot.objects.for_hub(hub)
        .filter(starts_at__gte=begin, starts_at__lt=begin + timedelta(days=days))
        .select_related("service", "antenna", "operator")
        .prefetch_related(
            Prefetch(
                "bookings",
                queryset=Booking.objects.select_related("person").order_by("created_at"),
            )
        )
        .with_booked()
        .order_by("starts_at")
    )
    if antenna_id:
        qs = qs.filter(antenna_id=antenna_id)
    if operator_id:
        qs = qs.filter(operator_id=operator_id)
    if channel:
        qs = qs.filter(channel=channel)
    return qs


def bookings_for_hub(*, hub: Hub) -> QuerySet[Booking]:
    return Booking.objects.for_hub(hub).select_related(
        "slot", "service", "antenna", "person", "slot__operator"
    )


def bookings_of_person_in_hub(*, hub: Hub, person: Person) -> QuerySet[Booking]:
    return bookings_for_hub(hub=hub).filter(person=person).order_by("-slot__starts_at")


def people_for_hub(*, hub: Hub) -> QuerySet[Person]:
    return Person.objects.for_hub(hub)


def enquiries_for_hub(*, hub: Hub, status: str | None = None) -> QuerySet[Enquiry]:
    qs = Enquiry.objects.for_hub(hub)
    return qs.filter(status=status) if status else qs


def waitlist_for_hub(*, hub: Hub) -> QuerySet[WaitlistEntry]:
    return WaitlistEntry.objects.for_hub(hub).select_related("service", "antenna", "person")


def bookings_of_user(*, user) -> QuerySet[Booking]:
    """An account holder's bookings in every hub ("My bookings")."""
    return (
        Booking.objects.filter(person__user=user)
        .select_related("slot", "service", "hub", "antenna")
        .order_by("-slot__starts_at")
    )


# --- Back office --------------------------------------------------------------------------------


def staff_for_hub(*, hub: Hub):
    """The users who can run the hub's desk: active coordinators and operators of this hub."""
    from django.contrib.auth import get_user_model

    from hubs.capabilities import roles_with

    return (
        get_user_model()
        .objects.filter(
            memberships__hub=hub,
            memberships__is_active=True,
            memberships__role__in=roles_with("desk.manage"),
        )
        .order_by("first_name", "last_name", "email")
    )


def people_search(*, hub: Hub, query: str = "") -> QuerySet[Person]:
    """The hub's people whose name or e-mail holds every word of the query, with their bookings here."""
    from django.db.models import Count, Q

    qs = (
        people_for_hub(hub=hub)
        .select_related("municipality")
        .annotate(bookings_here=Count("bookings", filter=Q(bookings__hub=hub), distinct=True))
    )
    for word in query.split()[:5]:
        qs = qs.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return qs.order_by("last_name", "first_name", "pk")


def enquiry_counts(*, hub: Hub) -> dict[str, int]:
    """How many enquiries of the hub are open, answered and closed (one query)."""
    from django.db.models import Count, Q

    return Enquiry.objects.for_hub(hub).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in Enquiry.Status.values}
    )


def bookings_for_export(*, hub: Hub, start: date, end: date) -> QuerySet[Booking]:
    """The hub's bookings of sessions between two days (both included), in one query."""
    tz = timezone.get_current_timezone()
    begin = timezone.make_aware(datetime.combine(start, datetime.min.time()), tz)
    finish = timezone.make_aware(datetime.combine(end + timedelta(days=1), datetime.min.time()), tz)
    return (
        Booking.objects.for_hub(hub)
        .filter(slot__starts_at__gte=begin, slot__starts_at__lt=finish)
        .select_related("slot", "service", "antenna", "slot__operator", "person__municipality")
        .prefetch_related("moves")
        .order_by("slot__starts_at", "pk")
    )


def notices_due(*, hub: Hub) -> list[tuple[int, str]]:
    """
    The (booking id, Notice kind) pairs of the hub whose message is due and not sent yet:
    confirmations, verification, guardian and cancellation e-mails whose task never ran (broker
    down), reminders the day before, and one hour before online sessions.
    """
    now = timezone.now()
    bookings = Booking.objects.for_hub(hub)
    confirmed = bookings.filter(status=Booking.Status.CONFIRMED, slot__starts_at__gt=now)
    pending = bookings.filter(status=Booking.Status.PENDING)
    guardian = bookings.filter(status=Booking.Status.GUARDIAN, hold_expires_at__gt=now)
    # Cancellations of the last day whose e-mail never left (older ones are history).
    recent = dict(cancelled_at__gte=now - timedelta(days=1), slot__starts_at__gt=now)
    cancelled = bookings.filter(status=Booking.Status.CANCELLED, **recent)
    cancelled_by_hub = bookings.filter(status=Booking.Status.CANCELLED_BY_HUB, **recent)
    day_before = confirmed.filter(
        slot__starts_at__lte=now + timedelta(hours=24),
        # booked the day before or earlier: a same-day booking needs no "tomorrow" reminder
        created_at__lte=now - timedelta(hours=2),
    )
    hour_before = confirmed.filter(channel=Channel.ONLINE, slot__starts_at__lte=now + timedelta(hours=1))
    due = []
    for kind, candidates in (
        (Notice.Kind.CONFIRMATION, confirmed),
        (Notice.Kind.VERIFY, pending),
        (Notice.Kind.GUARDIAN, guardian),
        (Notice.Kind.CANCELLED, cancelled),
        (Notice.Kind.CANCELLED_BY_HUB, cancelled_by_hub),
        (Notice.Kind.REMINDER_DAY, day_before),
        (Notice.Kind.REMINDER_HOUR, hour_before),
    ):
        unsent = candidates.exclude(notices__kind=kind).order_by("pk").values_list("pk", flat=True)
        due += [(pk, kind.value) for pk in unsent]
    return due


def moves_unnotified(*, hub: Hub) -> QuerySet[BookingMove]:
    """Moves of the last day whose "moved" e-mail never left (broker down)."""
    return BookingMove.objects.filter(
        booking__hub=hub, notified_at__isnull=True, moved_at__gte=timezone.now() - timedelta(days=1)
    ).order_by("pk")


def slots_with_waiting(*, hub: Hub) -> QuerySet[Slot]:
    """
    Future slots of the hub with a free place (no open offer on it) while someone waits for
    their service and place: what the waiting list should have been offered.
    """
    from django.db.models import Exists, OuterRef, Q

    waiting = WaitlistEntry.objects.filter(
        hub=hub,
        status=WaitlistEntry.Status.WAITING,
        service=OuterRef("service"),
        channel=OuterRef("channel"),
    ).filter(Q(antenna=OuterRef("antenna")) | Q(antenna__isnull=True))
    return Slot.objects.for_hub(hub).bookable().filter(Exists(waiting)).order_by("starts_at")


def waitlist_position(entry: WaitlistEntry) -> int:
    """The entry's place in its line (1 = next to be offered a place), while it waits."""
    from django.db.models import Q

    ahead = WaitlistEntry.objects.filter(
        hub_id=entry.hub_id,
        service_id=entry.service_id,
        channel=entry.channel,
        antenna_id=entry.antenna_id,
        status=WaitlistEntry.Status.WAITING,
    ).filter(Q(created_at__lt=entry.created_at) | Q(created_at=entry.created_at, pk__lt=entry.pk))
    return ahead.count() + 1


def waitlist_unacknowledged(*, hub: Hub) -> QuerySet[WaitlistEntry]:
    """Places on the list of the last day whose "you are on the list" e-mail never left."""
    return WaitlistEntry.objects.for_hub(hub).filter(
        status=WaitlistEntry.Status.WAITING,
        acknowledged_at__isnull=True,
        created_at__gte=timezone.now() - timedelta(days=1),
    )
