"""
The desk's declarations in the personal-data registry (hubs/personal_data.py), and its
retention rule for guest holds nobody confirmed.
"""

from datetime import datetime

from django.db.models import Q

from hubs.personal_data import register, retention

from .models import Booking, BookingMove, Enquiry, Notice, WaitlistEntry

register(Booking, person="person")  # PERSONAL_FIELDS: the reason; the booking stays as a fact
register(Notice, person="booking__person")  # which messages went out, and when
register(BookingMove, person="booking__person")  # when a booking was moved, from and to which time
register(WaitlistEntry, person="person")  # no free text: kept as a fact


def enquiries(subject):
    """Their enquiries: linked to a record of theirs, or sent from an address of theirs."""
    by_address = Q(pk__in=[])
    for email in subject.emails:
        by_address |= Q(email__iexact=email)
    return Enquiry.objects.filter(Q(person__in=subject.people) | by_address)


register(Enquiry, find=enquiries)  # PERSONAL_FIELDS: name, e-mail, subject, message, reply


@retention("unconfirmed_holds")
def holds_purge(before: datetime) -> int:
    """
    Guest bookings whose e-mail link was never followed (expired holds, which no indicator
    counts), and guests' places on a waiting list that they never took (waiting, lapsed or
    withdrawn), made before `before`. The guest records left with nothing go afterwards
    (people.services.retention_apply).
    """
    bookings, _ = Booking.objects.filter(
        status=Booking.Status.EXPIRED, confirmed_at__isnull=True, created_at__lt=before
    ).delete()
    entries, _ = WaitlistEntry.objects.filter(
        status__in=(
            WaitlistEntry.Status.WAITING,
            WaitlistEntry.Status.LAPSED,
            WaitlistEntry.Status.WITHDRAWN,
        ),
        person__user__isnull=True,
        created_at__lt=before,
    ).delete()
    return bookings + entries
