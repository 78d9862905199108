"""The desk's part of the back office's quick search (hubs/search_registry.py): people and bookings."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hubs.search_registry import Query, Result, group

from . import selectors
from .models import Booking


def people_matching(hub, query: Query):
    """The hub's people whose name or e-mail holds every word, or whose phone holds the digits (one query)."""
    people = selectors.people_for_hub(hub=hub).filter(erased_at__isnull=True)
    if query.digits:
        return people.alias(phone_digits=selectors.phone_digits()).filter(
            phone_digits__contains=query.digits.removeprefix("39")[-10:]
        )
    for word in query.words:
        people = people.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return people


@group("desk.people", title=_("People"), capability="desk.manage", order=10)
def people(hub, query: Query, limit: int) -> list[Result]:
    if query.number is not None and not query.digits:
        return []
    rows = people_matching(hub, query).order_by("last_name", "first_name", "pk")[: limit + 1]
    return [
        Result(
            label=f"{person.last_name} {person.first_name}",
            detail=" · ".join(filter(None, [person.email, person.phone])),
            url=reverse("deskbo:person_record", kwargs={"hub_slug": hub.slug, "pk": person.pk}),
        )
        for person in rows
    ]


@group("desk.bookings", title=_("Bookings"), capability="desk.manage", order=20)
def bookings(hub, query: Query, limit: int) -> list[Result]:
    """A booking by its number (as the export and the e-mails give it)."""
    if query.number is None:
        return []
    rows = (
        selectors.bookings_for_hub(hub=hub)
        .filter(pk=query.number)
        .select_related("slot", "service", "person")
        .order_by("pk")[: limit + 1]
    )
    statuses = dict(Booking.Status.choices)
    return [
        Result(
            label=_("Booking no. %(number)s") % {"number": booking.pk},
            detail=" · ".join(
                [
                    f"{timezone.localtime(booking.slot.starts_at):%d/%m/%Y %H:%M}",
                    booking.service.name,
                    str(booking.person),
                    str(statuses.get(booking.status, booking.status)),
                ]
            ),
            url=reverse("deskbo:booking_detail", kwargs={"hub_slug": hub.slug, "pk": booking.pk}),
        )
        for booking in rows
    ]
