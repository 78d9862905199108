"""
The online desk "IG 4.0" (action 2): services, availability, slots, bookings, waiting lists,
enquiries. Every row belongs to a hub (HubOwned) and is read through `for_hub(hub)`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hubs.models import Antenna, Hub, HubOwned, HubQuerySet
from people.models import Person


class Channel(models.TextChoices):
    HUB = "hub", _("In person at the hub")
    ANTENNA = "antenna", _("In person at an antenna")
    ONLINE = "online", _("Online video call")


class DeskSettings(models.Model):
    """A hub's desk rules. Created with defaults the first time the desk is used."""

    hub = models.OneToOneField(Hub, on_delete=models.CASCADE, related_name="desk_settings")
    min_notice_hours = models.PositiveSmallIntegerField(
        _("minimum notice to cancel or reschedule (hours)"), default=24
    )
    hold_minutes = models.PositiveSmallIntegerField(
        _("how long an unconfirmed guest booking holds the place (minutes)"), default=30
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("how long a waiting-list offer stays valid (hours)"), default=12
    )
    horizon_days = models.PositiveSmallIntegerField(
        _("how far ahead young people can book (days)"), default=42
    )
    guardian_hold_hours = models.PositiveSmallIntegerField(
        _("how long a booking under 14 waits for the guardian's consent (hours)"), default=48
    )
    patron_saint_day = models.DateField(
        _("patron saint's day"),
        null=True,
        blank=True,
        help_text=_("Closed every year on this day and month (the year does not matter)."),
    )
    open_on_holidays = models.BooleanField(
        _("open on public holidays"),
        default=False,
        help_text=_(
            "Leave unticked to close the desk on Italian public holidays and the patron saint's day."
        ),
    )

    class Meta:
        verbose_name = _("desk settings")
        verbose_name_plural = _("desk settings")

    def __str__(self):
        return str(self.hub)


class Service(HubOwned):
    """What a young person can book: school orientation, work orientation, CV help…"""

    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True, max_length=1000)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=45)
    is_active = models.BooleanField(_("bookable"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["hub", "name"], name="unique_service_name_per_hub")]

    def __str__(self):
        return self.name


class AvailabilityRule(HubOwned):
    """A weekly block of an operator's time for one service, at one place or online."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    service = models.ForeignKey(Service, on_delete=models.PROTECT, verbose_name=_("service"))
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("operator"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    antenna = models.ForeignKey(
        Antenna, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("antenna")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("to"))
    capacity = models.PositiveSmallIntegerField(
        _("places per session"), default=1, help_text=_("1 for one-to-one, more for groups.")
    )
    # The video service of online sessions; each session gets its own room there (desk/video.py).
    video_url = models.URLField(_("video service"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availability")
        ordering = ["weekday", "start_time"]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M} · {self.service}"


class Closure(HubOwned):
    """Days when the hub, one antenna or one operator takes no bookings."""

    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    antenna = models.ForeignKey(
        Antenna,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("antenna"),
        help_text=_("Leave empty to close the whole hub."),
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("operator"),
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["starts_on"]

    def __str__(self):
        return f"{self.starts_on} – {self.ends_on} {self.reason}"


class SlotQuerySet(HubQuerySet):
    def with_booked(self):
        return self.annotate(
            booked=Count("bookings", filter=Q(bookings__status__in=Booking.HOLDING_STATUSES))
        )

    def bookable(self, *, now=None):
        """Future, not cancelled, with at least one free place."""
        now = now or timezone.now()
        return (
            self.filter(is_cancelled=False, starts_at__gt=now)
            .with_booked()
            .filter(booked__lt=models.F("capacity"))
        )


class Slot(HubOwned):
    """One bookable session, generated from an availability rule (or added by hand)."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="slots")
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    antenna = models.ForeignKey(Antenna, on_delete=models.PROTECT, null=True, blank=True)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("places"), default=1)
    video_url = models.URLField(_("video call link"), blank=True)
    rule = models.ForeignKey(
        AvailabilityRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="slots"
    )
    is_cancelled = models.BooleanField(_("cancelled"), default=False)

    objects = SlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["operator", "starts_at"],
                condition=Q(is_cancelled=False),
                name="one_live_slot_per_operator_and_time",
            )
        ]
        indexes = [
            models.Index(fields=["hub", "service", "channel", "starts_at"]),
            # the calendar: one hub's week (bench/README.md: 23,706 of 23,940 rows read in vain)
            models.Index(fields=["hub", "starts_at"], name="desk_slot_hub_starts_idx"),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.service} · {local:%d/%m/%Y %H:%M}"

    @property
    def place(self) -> str:
        if self.channel == Channel.ANTENNA and self.antenna:
            return f"{self.antenna.name}, {self.antenna.address}"
        if self.channel == Channel.ONLINE:
            return str(Channel.ONLINE.label)
        return f"{self.hub.name}, {self.hub.address}"


class Booking(HubOwned):
    """A person's place in a slot."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for e-mail confirmation")
        GUARDIAN = "guardian", _("Waiting for the guardian's consent")
        CONFIRMED = "confirmed", _("Confirmed")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not come")
        CANCELLED = "cancelled", _("Cancelled by the person")
        CANCELLED_BY_HUB = "cancelled_by_hub", _("Cancelled by the hub")
        EXPIRED = "expired", _("Not confirmed in time")

    class Source(models.TextChoices):
        ONLINE = "online", _("Booked online")
        STAFF = "staff", _("Booked by staff (phone, walk-in)")
        WAITLIST = "waitlist", _("From the waiting list")

    class Origin(models.TextChoices):
        DIRECT = "", _("The hub's own pages")
        CATALOGUE = "catalogue", _("The regional catalogue")

    HOLDING_STATUSES = (Status.PENDING, Status.GUARDIAN, Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW)
    PERSONAL_FIELDS = ("reason", "cancel_reason")  # blanked when the person asks for erasure
    UPCOMING_STATUSES = (Status.PENDING, Status.GUARDIAN, Status.CONFIRMED)
    HELD_STATUSES = (Status.PENDING, Status.GUARDIAN)  # a hold that expires (hold_expires_at)

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="bookings")
    # Copied from the slot when booked: the indicators count by them without joins.
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    antenna = models.ForeignKey(Antenna, on_delete=models.PROTECT, null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.ONLINE)
    # Reached through the network's regional catalogue (hubs/catalogue_registry.py): action 1 counts it.
    origin = models.CharField(
        _("found through"), max_length=10, choices=Origin.choices, default=Origin.DIRECT, blank=True
    )
    reason = models.TextField(_("what you would like to talk about"), max_length=1000, blank=True)
    language = models.CharField(max_length=8, default="it")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("booked"), auto_now_add=True)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    # Under the consent age on the session's day: when the guardian followed their e-mailed link
    # (or, for a booking by staff, said yes to them).
    guardian_consent_at = models.DateTimeField(null=True, blank=True)
    # The calendar event's SEQUENCE: one more at each move, so calendars update the same event.
    sequence = models.PositiveIntegerField(default=0)
    # The booking's own video room (one-to-one online sessions); a group session shares its slot's.
    video_url = models.URLField(_("video call link"), blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    marked_at = models.DateTimeField(null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["hub", "status"])]

    def __str__(self):
        return f"{self.person} · {self.slot}"

    @property
    def is_upcoming(self) -> bool:
        return self.status in self.UPCOMING_STATUSES and self.slot.starts_at > timezone.now()


class Notice(models.Model):
    """
    That a message about a booking was sent: unique per booking and kind, so a reminder goes
    out exactly once however often its task runs.
    """

    class Kind(models.TextChoices):
        VERIFY = "verify", _("Confirm your e-mail")
        CONFIRMATION = "confirmation", _("Booking confirmed")
        REMINDER_DAY = "reminder_day", _("Reminder, the day before")
        REMINDER_HOUR = "reminder_hour", _("Reminder, one hour before")
        CANCELLED_BY_HUB = "cancelled_by_hub", _("Cancelled by the hub")
        CANCELLED = "cancelled", _("Cancelled by the person")
        GUARDIAN = "guardian", _("Consent asked of the guardian")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["booking", "kind"], name="one_notice_per_booking_kind")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.booking_id}"


class BookingMove(models.Model):
    """
    A booking moved to another session: the same booking (same link, same calendar event)
    with its old and new time, for the history and the "moved" e-mail (sent once: notified_at).
    """

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="moves")
    from_slot = models.ForeignKey(Slot, on_delete=models.SET_NULL, null=True, related_name="+")
    to_slot = models.ForeignKey(Slot, on_delete=models.SET_NULL, null=True, related_name="+")
    from_starts_at = models.DateTimeField(_("old time"))
    to_starts_at = models.DateTimeField(_("new time"))
    moved_at = models.DateTimeField(_("moved"), default=timezone.now)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("move")
        verbose_name_plural = _("moves")
        ordering = ["moved_at", "pk"]

    def __str__(self):
        return f"{self.booking_id}: {self.from_starts_at} → {self.to_starts_at}"


class WaitlistEntry(HubOwned):
    """A person waiting for a place in a service and channel that had none free."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Place offered")
        CLAIMED = "claimed", _("Booked")
        LAPSED = "lapsed", _("Offer not taken")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    antenna = models.ForeignKey(Antenna, on_delete=models.CASCADE, null=True, blank=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="waitlist_entries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    created_at = models.DateTimeField(auto_now_add=True)
    offered_slot = models.ForeignKey(Slot, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    offer_notified_at = models.DateTimeField(null=True, blank=True)
    # When the "you are on the list" e-mail left (with the position and the leave link): once.
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    booking = models.OneToOneField(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="waitlist_entry"
    )

    class Meta:
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting list")
        ordering = ["created_at", "pk"]


class Enquiry(HubOwned):
    """A question to the desk that needs no appointment."""

    PERSONAL_FIELDS = ("name", "email", "subject", "message", "reply")  # blanked on erasure

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="enquiries"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(_("your question"), max_length=3000)
    language = models.CharField(max_length=8, default="it")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    reply = models.TextField(_("reply"), max_length=5000, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    replied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    # Handed over by another action (hubs/help_registry.py), e.g. "jobfair.help:12": one enquiry each.
    origin = models.CharField(_("handed over from"), max_length=60, blank=True, default="")

    class Meta:
        verbose_name = _("enquiry")
        verbose_name_plural = _("enquiries")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "origin"], condition=~Q(origin=""), name="desk_one_enquiry_per_origin"
            ),
        ]

    def __str__(self):
        return self.subject


class CalendarFeedQuerySet(HubQuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True)


class CalendarFeed(HubOwned):
    """
    An operator's private calendar subscription (an `.ics` URL their calendar app polls) of
    their sessions in this hub. The URL holds a secret token of which only the hash is kept
    (hubs/tokens.py): the address is shown once, when made; a new one revokes the old one,
    and a revoked feed answers 404.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "user"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_calendar_feed_per_operator",
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.hub}"
