from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from hubs.models import Organization
from hubs.tests.factories import HubFactory, OrganizationFactory
from people.models import Person
from people.tests.factories import PersonFactory, UserFactory
from placements import services
from placements.models import ActivityKind, Path


class PathFactory(factory.django.DjangoModelFactory):
    """A path opened through the service, so its cooperative holds the grant."""

    class Meta:
        model = Path

    hub = factory.SubFactory(HubFactory)
    person = factory.SubFactory(PersonFactory)
    cooperative = factory.LazyAttribute(
        lambda o: OrganizationFactory(hubs=[o.hub], kind=Organization.Kind.COOPERATIVE)
    )
    operator = None
    is_neet = True
    age_at_intake = 20
    education = Person.Education.LOWER_SECONDARY
    months_out = 8
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        hub, person, by = kwargs.pop("hub"), kwargs.pop("person"), kwargs.pop("created_by", None)
        return services.path_open(hub=hub, person=person, by=by, **kwargs)


def log(path, hours, *, days_ago=1, kind=ActivityKind.COACHING, by=None):
    """Log an activity on a path through the service (the operator defaults to a new user)."""
    if not isinstance(hours, str):  # strings go in as typed, to test bad input
        hours = Decimal(str(hours))
    return services.activity_log(
        path=path,
        by=by or UserFactory(),
        kind=kind,
        date=timezone.localdate() - timedelta(days=days_ago),
        hours=hours,
    )


def sweep_path_request(h):
    """A request for a path of a world's hub (made once, found after): the access sweep's."""
    from placements import services
    from placements.models import PathRequest

    found = PathRequest.objects.for_hub(h.hub).filter(origin="sweep").first()
    return found or services.path_request_receive(hub=h.hub, person=h.person, origin="sweep", subject="Sweep")
