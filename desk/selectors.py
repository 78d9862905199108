"""Reads of the online desk, always for one hub."""

from datetime import date, datetime, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hubs.models import Hub
from hubs.tokens import token_hash
from people.models import Person

from .models import (
    AvailabilityRule,
    Booking,
    BookingMove,
    CalendarFeed,
    Channel,
    DeskSettings,
    Enquiry,
    Notice,
    Service,
    Slot,
    WaitlistEntry,
)


def desk_settings_read(*, hub: Hub) -> DeskSettings:
    """The hub's desk settings for a page to read: the defaults (unsaved) if never set; no write."""
    return DeskSettings.objects.filter(hub=hub).first() or DeskSettings(hub=hub)


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
    # Only what the list shows: the time, the places, the link (hub and pk).
    shown = ("pk", "hub_id", "service_id", "antenna_id", "channel", "starts_at", "ends_at", "capacity")
    return qs.only(*shown).order_by("starts_at")


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


# --- An operator's calendar feed ------------------------------------------------------------------

FEED_PAST_DAYS = 30  # how far back a feed reaches; the future reaches every session planned


def calendar_feed_find(*, hub: Hub, token: str) -> CalendarFeed | None:
    """The usable feed of this hub with this token (None when unknown, revoked or another hub's)."""
    return (
        CalendarFeed.objects.for_hub(hub)
        .usable()
        .select_related("user")
        .filter(token_hash=token_hash(token), user__is_active=True)
        .first()
    )


def calendar_feed_slots(*, feed: CalendarFeed) -> QuerySet[Slot]:
    """
    The operator's booked sessions in the feed's hub, from a month ago, each with its live
    bookings' first names only (what the operator needs to greet the person): three queries.
    """
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    live = (
        Booking.objects.filter(status__in=Booking.HOLDING_STATUSES)
        .select_related("person")
        .only("slot_id", "status", "video_url", "person__first_name")
        .order_by("pk")
    )
    return (
        Slot.objects.for_hub(feed.hub)
        .filter(
            operator=feed.user,
            is_cancelled=False,
            starts_at__gte=since,
            bookings__status__in=Booking.HOLDING_STATUSES,
        )
        .distinct()
        .select_related("service", "antenna", "hub")
        .prefetch_related(Prefetch("bookings", queryset=live, to_attr="live_bookings"))
        .order_by("starts_at")
    )


def availability_overlaps(
    *, hub: Hub, operator, weekdays, start_time, end_time, valid_from, valid_until=None, exclude=None
) -> QuerySet[AvailabilityRule]:
    """The operator's active rules of the hub on those weekdays whose hours and dates meet these."""
    from django.db.models import Q

    rules = AvailabilityRule.objects.for_hub(hub).filter(
        operator=operator,
        is_active=True,
        weekday__in=list(weekdays),
        start_time__lt=end_time,
        end_time__gt=start_time,
    )
    rules = rules.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
    if valid_until is not None:
        rules = rules.filter(valid_from__lte=valid_until)
    if exclude is not None:
        rules = rules.exclude(pk=exclude.pk)
    return rules.select_related("service", "operator").order_by("weekday", "start_time")


# --- Likely duplicates ----------------------------------------------------------------------------

DUPLICATES_MAX = 200


def phone_digits():
    """The phone as digits only (spaces, dashes, dots, slashes and brackets gone), in SQL."""
    from django.db.models import Value
    from django.db.models.functions import Replace

    phone = Replace("phone", Value(" "), Value(""))
    for sign in ("-", ".", "/", "(", ")", "+"):
        phone = Replace(phone, Value(sign), Value(""))
    return phone


def person_duplicates(*, hub: Hub) -> list[dict]:
    """
    Pairs of this hub's records that are likely one person: the same e-mail, the same phone
    (digits), or the same name and date of birth. Each pair once, with its reasons, the
    oldest record first; at most DUPLICATES_MAX pairs. Four queries whatever the hub's size.
    """
    from django.db.models import Count
    from django.db.models.functions import Lower

    people = (
        people_for_hub(hub=hub)
        .filter(erased_at__isnull=True)
        .annotate(digits=phone_digits(), first=Lower("first_name"), last=Lower("last_name"))
    )

    def repeated(*fields, exclude=None):
        rows = people.values(*fields).annotate(n=Count("pk", distinct=True)).filter(n__gt=1)
        if exclude:
            rows = rows.exclude(**exclude)
        return rows.order_by().values_list(*fields)[: DUPLICATES_MAX * 2]

    emails = {email for (email,) in repeated("email", exclude={"email": ""})}
    phones = {digits for (digits,) in repeated("digits") if len(digits) >= 6}
    names = set(repeated("first", "last", "birth_date", exclude={"birth_date": None}))
    if not (emails or phones or names):
        return []
    from django.db.models import Q

    found = (
        people.filter(Q(email__in=emails) | Q(digits__in=phones) | Q(birth_date__in={n[2] for n in names}))
        .select_related("municipality")
        .order_by("pk")
        .distinct()
    )
    groups: dict[tuple, list] = {}
    for person in found:
        keys = [("email", person.email)] if person.email in emails else []
        if person.digits in phones:
            keys.append(("phone", person.digits))
        if (person.first, person.last, person.birth_date) in names:
            keys.append(("name", (person.first, person.last, person.birth_date)))
        for key in keys:
            groups.setdefault(key, []).append(person)
    reasons = {
        "email": _("same e-mail"),
        "phone": _("same phone"),
        "name": _("same name and date of birth"),
    }
    pairs: dict[tuple[int, int], dict] = {}
    for (kind, _value), members in groups.items():
        first = members[0]
        for person in members[1:]:
            pair = pairs.setdefault((first.pk, person.pk), {"a": first, "b": person, "reasons": []})
            pair["reasons"].append(reasons[kind])
    return list(pairs.values())[:DUPLICATES_MAX]


# --- The operator's day: the calendar's rows, the roll call, today --------------------------------


def _calendar_filter(qs, prefix: str, *, hub, begin, end, antenna_id=None, operator_id=None, channel=None):
    qs = qs.for_hub(hub).filter(**{f"{prefix}starts_at__gte": begin, f"{prefix}starts_at__lt": end})
    if antenna_id:
        qs = qs.filter(**{f"{prefix}antenna_id": antenna_id})
    if operator_id:
        qs = qs.filter(**{f"{prefix}operator_id": operator_id})
    if channel:
        qs = qs.filter(**{f"{prefix}channel": channel})
    return qs


def calendar_rows(
    *, hub: Hub, start: date, days: int, antenna_id=None, operator_id=None, channel: str | None = None
) -> tuple[list[dict], list[dict]]:
    """
    The slots of the hub between two days and their bookings, as plain rows (two queries,
    whatever the number of bookings): only the columns the calendar shows, no model built.
    """
    tz = timezone.get_current_timezone()
    begin = timezone.make_aware(datetime.combine(start, datetime.min.time()), tz)
    filters = dict(
        hub=hub,
        begin=begin,
        end=begin + timedelta(days=days),
        antenna_id=antenna_id,
        operator_id=operator_id,
        channel=channel,
    )
    slots = list(
        _calendar_filter(Slot.objects, "", **filters)
        .order_by("starts_at", "pk")
        .values(
            "pk",
            "starts_at",
            "ends_at",
            "channel",
            "capacity",
            "is_cancelled",
            "service__name",
            "antenna__name",
            "operator_id",
            "operator__first_name",
            "operator__last_name",
            "operator__email",
        )
    )
    if not slots:
        return [], []
    bookings = list(  # by the slots' ids: the booking's slot index, no second range scan
        Booking.objects.for_hub(hub)
        .filter(slot_id__in=[slot["pk"] for slot in slots])
        .order_by("created_at", "pk")
        .values("pk", "slot_id", "status", "person__first_name", "person__last_name")
    )
    return slots, bookings


def agenda_rows(
    *, hub: Hub, day: date, antenna_id=None, operator_id=None, channel: str | None = None
) -> list:
    """The day's bookings that hold a place, with what the printed agenda shows (one query)."""
    tz = timezone.get_current_timezone()
    begin = timezone.make_aware(datetime.combine(day, datetime.min.time()), tz)
    return list(
        _calendar_filter(
            Booking.objects,
            "slot__",
            hub=hub,
            begin=begin,
            end=begin + timedelta(days=1),
            antenna_id=antenna_id,
            operator_id=operator_id,
            channel=channel,
        )
        .filter(status__in=Booking.HOLDING_STATUSES, slot__is_cancelled=False)
        .order_by("slot__starts_at", "slot_id", "created_at")
        .values(
            "pk",
            "status",
            "reason",
            "person_id",
            "person__first_name",
            "person__last_name",
            "person__phone",
            "slot_id",
            "slot__starts_at",
            "slot__ends_at",
            "slot__channel",
            "slot__antenna__name",
            "service__name",
            "slot__operator__first_name",
            "slot__operator__last_name",
            "slot__operator__email",
        )
    )


def roll_call_bookings(*, slot: Slot) -> QuerySet[Booking]:
    """The bookings of a session that a roll call marks: confirmed, or already marked."""
    return (
        Booking.objects.filter(
            slot=slot,
            status__in=(Booking.Status.CONFIRMED, Booking.Status.ATTENDED, Booking.Status.NO_SHOW),
        )
        .select_related("person")
        .order_by("created_at", "pk")
    )


def today_for_operator(*, hub: Hub, user, day: date) -> dict:
    """
    What the desk has for a member of its staff today, in a fixed number of queries: their own
    sessions of the day (with how many are booked), the open enquiries, the waiting list's
    offers not answered yet and the free places someone waits for.
    """
    from django.db.models import Count, Q

    tz = timezone.get_current_timezone()
    begin = timezone.make_aware(datetime.combine(day, datetime.min.time()), tz)
    sessions = list(
        Slot.objects.for_hub(hub)
        .filter(operator=user, starts_at__gte=begin, starts_at__lt=begin + timedelta(days=1))
        .annotate(booked=Count("bookings", filter=Q(bookings__status__in=Booking.HOLDING_STATUSES)))
        .order_by("starts_at", "pk")
        .values(
            "pk",
            "starts_at",
            "ends_at",
            "channel",
            "capacity",
            "is_cancelled",
            "service__name",
            "antenna__name",
            "booked",
        )
    )
    open_enquiries = Enquiry.objects.for_hub(hub).filter(status=Enquiry.Status.OPEN)
    offers = WaitlistEntry.objects.for_hub(hub).filter(status=WaitlistEntry.Status.OFFERED)
    return {
        "sessions": sessions,
        "enquiries": list(
            open_enquiries.order_by("created_at", "pk").values("pk", "subject", "name", "created_at")[:10]
        ),
        "enquiry_count": open_enquiries.count(),
        "offers": list(
            offers.order_by("offer_expires_at", "pk").values(
                "pk", "person__first_name", "person__last_name", "service__name", "offer_expires_at"
            )[:10]
        ),
        "offer_count": offers.count(),
        "waiting_count": WaitlistEntry.objects.for_hub(hub)
        .filter(status=WaitlistEntry.Status.WAITING)
        .count(),
    }
