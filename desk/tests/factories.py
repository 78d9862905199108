from datetime import time, timedelta

import factory
from django.utils import timezone

from desk.models import (
    AvailabilityRule,
    Booking,
    Channel,
    Closure,
    Enquiry,
    Notice,
    Service,
    Slot,
    WaitlistEntry,
)
from hubs.tests.factories import HubFactory
from people.tests.factories import PersonFactory, UserFactory


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    hub = factory.SubFactory(HubFactory)
    name = factory.Sequence(lambda n: f"Orientamento {n}")
    duration_minutes = 45


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    hub = factory.SelfAttribute("service.hub")
    service = factory.SubFactory(ServiceFactory)
    operator = factory.SubFactory(UserFactory)
    channel = Channel.HUB
    # Three to six days ahead, 45 minutes apart: inside every test's period, whatever the
    # sequence number has grown to over the suite.
    starts_at = factory.Sequence(
        lambda n: (timezone.now() + timedelta(days=3, minutes=45 * (n % 96))).replace(microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(minutes=45))
    capacity = 1


class RuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AvailabilityRule

    hub = factory.SelfAttribute("service.hub")
    service = factory.SubFactory(ServiceFactory)
    operator = factory.SubFactory(UserFactory)
    channel = Channel.HUB
    weekday = 1
    start_time = time(14, 30)
    end_time = time(17, 30)
    valid_from = factory.LazyFunction(timezone.localdate)


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    slot = factory.SubFactory(SlotFactory)
    hub = factory.SelfAttribute("slot.hub")
    service = factory.SelfAttribute("slot.service")
    channel = factory.SelfAttribute("slot.channel")
    person = factory.SubFactory(PersonFactory)
    status = Booking.Status.CONFIRMED


class NoticeFactory(factory.django.DjangoModelFactory):
    """The mark that a message about a booking went out (one per booking and kind)."""

    class Meta:
        model = Notice

    booking = factory.SubFactory(BookingFactory)
    kind = Notice.Kind.CONFIRMATION


class ClosureFactory(factory.django.DjangoModelFactory):
    """A week the whole hub is closed, a month from today (unless given an antenna or operator)."""

    class Meta:
        model = Closure

    hub = factory.SubFactory(HubFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + timedelta(days=6))


class WaitlistEntryFactory(factory.django.DjangoModelFactory):
    """A person waiting for a place; `status=OFFERED` with `offered_slot` for an offer."""

    class Meta:
        model = WaitlistEntry

    hub = factory.SelfAttribute("service.hub")
    service = factory.SubFactory(ServiceFactory)
    channel = Channel.HUB
    person = factory.SubFactory(PersonFactory)


class EnquiryFactory(factory.django.DjangoModelFactory):
    """A question sent through the desk's public form, not answered yet."""

    class Meta:
        model = Enquiry

    hub = factory.SubFactory(HubFactory)
    name = factory.Faker("first_name", locale="it_IT")
    email = factory.Sequence(lambda n: f"domanda{n}@example.org")
    subject = factory.Sequence(lambda n: f"Domanda {n}")
    message = "Ci sono corsi d'estate?"
