from datetime import time, timedelta

import factory
from django.utils import timezone

from desk.models import AvailabilityRule, Booking, Channel, Service, Slot
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
