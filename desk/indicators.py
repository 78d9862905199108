"""
Indicators of the online desk (action 2): sessions booked / held / no-show by channel and by
antenna, young people reached by status, age band and gender, waiting-list conversions.
Sessions are counted by the day they take place; every function is a fixed number of queries.
"""

from datetime import datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hubs.indicator_registry import indicator, shared
from people.models import Person

from .models import Booking, Channel, WaitlistEntry

CAL, PEOPLE = "deskbo:calendar", "deskbo:person_list"  # lists a number drills down to

WAITLIST_LABELS = [
    ("joined", _("joined the list")),
    ("offered", _("offered a place")),
    ("booked", pgettext_lazy("waiting list", "booked a place")),
]

BOOKED = (
    Booking.Status.PENDING,
    Booking.Status.GUARDIAN,
    Booking.Status.CONFIRMED,
    Booking.Status.ATTENDED,
    Booking.Status.NO_SHOW,
)


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _bookings(hub, start, end):
    # A range of aware datetimes, not `__date`: PostgreSQL estimates it well and uses the index.
    qs = Booking.objects.filter(
        slot__starts_at__gte=_day_start(start), slot__starts_at__lt=_day_start(end + timedelta(days=1))
    )
    return qs.for_hub(hub) if hub is not None else qs


def _sessions(hub, start, end) -> list[dict]:
    """Bookings counted by channel, status and antenna: one query shared by four indicators."""

    def rows():
        return list(
            _bookings(hub, start, end)
            .values("channel", "status", "antenna__name")
            .annotate(n=Count("pk"))
            .order_by("channel", "antenna__name")
        )

    return shared(("desk.sessions", getattr(hub, "pk", None), start, end), rows)


def _count(rows, field: str, statuses) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        if row["status"] in statuses:
            label = str(row[field] or "-")
            counts[label] = counts.get(label, 0) + row["n"]
    return counts


@indicator(
    "desk.sessions_booked", action=2, link=CAL, labels=Channel.choices, title=_("Sessions booked, by channel")
)
def sessions_booked(hub, start, end):
    return _count(_sessions(hub, start, end), "channel", BOOKED)


@indicator(
    "desk.catalogue_bookings",
    action=1,
    title=_("Bookings made through the regional catalogue (confirmed)"),
)
def catalogue_bookings(hub, start, end):
    """
    Bookings the network's catalogue led to (Booking.origin, set by the desk when the visitor
    came through the catalogue's hand-off) that were confirmed: by the day they were booked.
    """
    rows = Booking.objects.filter(
        origin=Booking.Origin.CATALOGUE,
        confirmed_at__isnull=False,
        created_at__gte=_day_start(start),
        created_at__lt=_day_start(end + timedelta(days=1)),
    ).exclude(status__in=[Booking.Status.CANCELLED, Booking.Status.CANCELLED_BY_HUB])
    return (rows.for_hub(hub) if hub is not None else rows).count()


@indicator("desk.sessions_held", action=2, link=CAL, title=_("Sessions held, by channel"))
def sessions_held(hub, start, end):
    return _count(_sessions(hub, start, end), "channel", {Booking.Status.ATTENDED})


@indicator("desk.no_shows", action=2, link=CAL, title=_("No-shows, by channel"))
def no_shows(hub, start, end):
    return _count(_sessions(hub, start, end), "channel", {Booking.Status.NO_SHOW})


@indicator("desk.sessions_by_antenna", action=2, link=CAL, title=_("Sessions booked, by antenna"))
def sessions_by_antenna(hub, start, end):
    return _count(_sessions(hub, start, end), "antenna__name", BOOKED)


def _people(hub, start, end) -> list[dict]:
    """
    The young people reached (a confirmed or attended session), counted by status, gender and
    year of birth: one query shared by four indicators; each person counts once.
    """

    def rows():
        reached = _bookings(hub, start, end).filter(
            status__in=(Booking.Status.CONFIRMED, Booking.Status.ATTENDED)
        )
        return list(
            Person.objects.filter(pk__in=reached.values("person_id"))
            .values("status", "gender", "birth_year")
            .annotate(n=Count("pk"))
            .order_by("status", "gender", "birth_year")
        )

    return shared(("desk.people", getattr(hub, "pk", None), start, end), rows)


def age_band(birth_year: int | None, year: int) -> str:
    if birth_year is None:
        return "-"
    for below, label in ((14, "<14"), (18, "14-17"), (25, "18-24"), (30, "25-29")):
        if birth_year > year - below:
            return label
    return "30+"


def _people_by(rows, label) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        key = label(row)
        counts[key] = counts.get(key, 0) + row["n"]
    return counts


@indicator("desk.people_reached", action=2, link=PEOPLE, title=_("Young people reached"), personal=True)
def people_reached(hub, start, end):
    return sum(row["n"] for row in _people(hub, start, end))


@indicator(
    "desk.people_by_status",
    action=2,
    link=CAL,
    labels=Person.Status.choices,
    title=_("Young people reached, by status"),
    personal=True,
)
def people_by_status(hub, start, end):
    return _people_by(_people(hub, start, end), lambda row: row["status"] or "-")


@indicator(
    "desk.people_by_gender",
    action=2,
    link=CAL,
    labels=Person.Gender.choices,
    title=_("Young people reached, by gender"),
    personal=True,
)
def people_by_gender(hub, start, end):
    return _people_by(_people(hub, start, end), lambda row: row["gender"] or "-")


@indicator(
    "desk.people_by_age", action=2, link=CAL, title=_("Young people reached, by age band"), personal=True
)
def people_by_age(hub, start, end):
    return _people_by(_people(hub, start, end), lambda row: age_band(row["birth_year"], end.year))


@indicator(
    "desk.waitlist_conversion",
    action=2,
    link=CAL,
    labels=WAITLIST_LABELS,
    title=_("Waiting list: places offered and taken"),
)
def waitlist_conversion(hub, start, end):
    entries = WaitlistEntry.objects.filter(created_at__date__gte=start, created_at__date__lte=end)
    if hub is not None:
        entries = entries.for_hub(hub)
    return entries.aggregate(
        joined=Count("pk"),
        offered=Count("pk", filter=Q(offered_slot__isnull=False)),
        booked=Count("pk", filter=Q(status=WaitlistEntry.Status.CLAIMED)),
    )
