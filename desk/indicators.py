"""
Indicators of the online desk (action 2): sessions booked / held / no-show by channel and by
antenna, young people reached by status, age band and gender, waiting-list conversions.
Sessions are counted by the day they take place; every function is a fixed number of queries.
"""
from django.db.models import Case, CharField, Count, Q, Value, When
from django.utils.translation import gettext_lazy as _

from governance.registry import indicator
from people.models import Person

from .models import Booking, WaitlistEntry

CAL, PEOPLE = "deskbo:calendar", "deskbo:person_list"  # lists a number drills down to

BOOKED = (Booking.Status.PENDING, Booking.Status.CONFIRMED, Booking.Status.ATTENDED,
          Booking.Status.NO_SHOW)


def _bookings(hub, start, end):
    qs = Booking.objects.filter(slot__starts_at__date__gte=start, slot__starts_at__date__lte=end)
    return qs.for_hub(hub) if hub is not None else qs


def _by(qs, field: str) -> dict[str, int]:
    return {str(row[field] or "-"): row["n"] for row in qs.values(field).annotate(n=Count("pk"))}


@indicator("desk.sessions_booked", action=2, link=CAL, title=_("Sessions booked, by channel"))
def sessions_booked(hub, start, end):
    return _by(_bookings(hub, start, end).filter(status__in=BOOKED), "channel")


@indicator("desk.sessions_held", action=2, link=CAL, title=_("Sessions held, by channel"))
def sessions_held(hub, start, end):
    return _by(_bookings(hub, start, end).filter(status=Booking.Status.ATTENDED), "channel")


@indicator("desk.no_shows", action=2, link=CAL, title=_("No-shows, by channel"))
def no_shows(hub, start, end):
    return _by(_bookings(hub, start, end).filter(status=Booking.Status.NO_SHOW), "channel")


@indicator("desk.sessions_by_antenna", action=2, link=CAL, title=_("Sessions booked, by antenna"))
def sessions_by_antenna(hub, start, end):
    return _by(_bookings(hub, start, end).filter(status__in=BOOKED), "antenna__name")


def _people_reached(hub, start, end):
    reached = _bookings(hub, start, end).filter(
        status__in=(Booking.Status.CONFIRMED, Booking.Status.ATTENDED)
    )
    return Person.objects.filter(pk__in=reached.values("person_id"))


@indicator("desk.people_reached", action=2, link=PEOPLE, title=_("Young people reached"), personal=True)
def people_reached(hub, start, end):
    return _people_reached(hub, start, end).count()


@indicator("desk.people_by_status", action=2, link=CAL, title=_("Young people reached, by status"),
           personal=True)
def people_by_status(hub, start, end):
    return _by(_people_reached(hub, start, end), "status")


@indicator("desk.people_by_gender", action=2, link=CAL, title=_("Young people reached, by gender"),
           personal=True)
def people_by_gender(hub, start, end):
    return _by(_people_reached(hub, start, end), "gender")


@indicator("desk.people_by_age", action=2, link=CAL, title=_("Young people reached, by age band"),
           personal=True)
def people_by_age(hub, start, end):
    band = Case(
        When(birth_year__isnull=True, then=Value("-")),
        When(Q(birth_year__gt=end.year - 14), then=Value("<14")),
        When(Q(birth_year__gt=end.year - 18), then=Value("14-17")),
        When(Q(birth_year__gt=end.year - 25), then=Value("18-24")),
        When(Q(birth_year__gt=end.year - 30), then=Value("25-29")),
        default=Value("30+"),
        output_field=CharField(),
    )
    return _by(_people_reached(hub, start, end).annotate(band=band), "band")


@indicator("desk.waitlist_conversion", action=2, link=CAL,
           title=_("Waiting list: places offered and taken"))
def waitlist_conversion(hub, start, end):
    entries = WaitlistEntry.objects.filter(
        created_at__date__gte=start, created_at__date__lte=end
    )
    if hub is not None:
        entries = entries.for_hub(hub)
    return entries.aggregate(
        joined=Count("pk"),
        offered=Count("pk", filter=Q(offered_slot__isnull=False)),
        booked=Count("pk", filter=Q(status=WaitlistEntry.Status.CLAIMED)),
    )
