"""
What every part of the desk's writes shares: the booking error, the hub's desk settings,
absolute links, and the person record a booking or a note belongs to.
"""

from django.core.exceptions import ValidationError

from hubs.links import absolute_path as absolute  # noqa: F401  (re-exported to the desk)
from hubs.models import Hub
from people.models import Person, PersonHub
from people.services import person_create

from ..models import DeskSettings


class BookingError(ValidationError):
    """A booking rule was broken; the message is for the young person."""


def desk_settings_get(*, hub: Hub) -> DeskSettings:
    row, _created = DeskSettings.objects.get_or_create(hub=hub)
    return row


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


def case_note_create(*, hub: Hub, person: Person, author, text: str):
    """A private note of the hub's staff on a person's record; only this hub ever reads it."""
    from people.models import CaseNote

    return CaseNote.objects.create(hub=hub, person=person, author=author, text=text)
