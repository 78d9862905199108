from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from governance import services
from governance.models import Decision, Meeting, Report, Snapshot, Target
from hubs.tests.factories import HubFactory


class TargetFactory(factory.django.DjangoModelFactory):
    """
    A target of the hub. Without an `indicator_key` it names an indicator of an app not built
    yet, which the dashboard shows as "not yet measured".
    """

    class Meta:
        model = Target

    hub = factory.SubFactory(HubFactory)
    indicator_key = factory.Sequence(lambda n: f"future.indicator_{n}")
    action = 2
    title = factory.Sequence(lambda n: f"Obiettivo {n}")
    value = Decimal(10)


class SnapshotFactory(factory.django.DjangoModelFactory):
    """
    A snapshot taken through the service, so its rows are the indicators of the hub (`hub=None`:
    the network) as of its day; a MONTHLY one of a month that has one is that one.
    """

    class Meta:
        model = Snapshot

    hub = factory.SubFactory(HubFactory)
    kind = Snapshot.Kind.ON_DEMAND
    as_of = factory.LazyFunction(timezone.localdate)
    created_by = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.snapshot_take(
            hub=kwargs["hub"], kind=kwargs["kind"], as_of=kwargs["as_of"], by=kwargs["created_by"]
        )


class ReportFactory(factory.django.DjangoModelFactory):
    """A report asked for and not generated yet (`services.report_generate` renders its PDF)."""

    class Meta:
        model = Report

    snapshot = factory.SubFactory(SnapshotFactory)
    hub = factory.SelfAttribute("snapshot.hub")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    hub = factory.SubFactory(HubFactory)
    date = factory.LazyFunction(timezone.localdate)
    attendees = "Anna Rossi, Comune di Crema"
    agenda = "1. Stato degli indicatori"


class DecisionFactory(factory.django.DjangoModelFactory):
    """An open decision due in two weeks, owned by someone named (or by `owner`, a user)."""

    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    hub = factory.SelfAttribute("meeting.hub")
    text = factory.Sequence(lambda n: f"Decisione {n}")
    owner = None
    owner_name = factory.LazyAttribute(lambda o: "" if o.owner else "Marta Verdi")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))
