from datetime import timedelta

import factory
from django.utils import timezone

from hubs.models import (
    Antenna,
    Hub,
    Invitation,
    Membership,
    Municipality,
    Network,
    Organization,
    Role,
    SubArea,
)
from people.tests.factories import UserFactory


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        django_get_or_create = ["slug"]

    name = "Lombardia"
    slug = "lombardia"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["name", "province"]

    name = factory.Sequence(lambda n: f"Comune {n}")
    province = "CR"


class HubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hub

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Orientagiovani {n}")
    slug = factory.Sequence(lambda n: f"hub-{n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    email = factory.LazyAttribute(lambda o: f"info@{o.slug}.example.org")
    services = "Orientamento scolastico\nOrientamento al lavoro"


class SubAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubArea

    hub = factory.SubFactory(HubFactory)
    name = factory.Sequence(lambda n: f"Sub-ambito {n}")


class AntennaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Antenna

    hub = factory.SubFactory(HubFactory)
    name = factory.Sequence(lambda n: f"Antenna {n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    address = factory.Sequence(lambda n: f"Via Roma {n}")
    opening_hours = "Martedì 14:30–17:30"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Cooperativa {n} SCS")
    kind = Organization.Kind.COOPERATIVE

    @factory.post_generation
    def hubs(self, create, extracted, **kwargs):
        if create and extracted:
            self.hubs.set(extracted)


class SchoolFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"Istituto {n}")
    kind = Organization.Kind.SCHOOL
    school_type = Organization.SchoolType.TECHNICAL


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    hub = factory.SubFactory(HubFactory)
    user = factory.SubFactory(UserFactory, totp=True)
    role = Role.OPERATOR


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    hub = factory.SubFactory(HubFactory)
    email = factory.Sequence(lambda n: f"invited{n}@example.org")
    role = Role.OPERATOR
    token_hash = factory.Sequence(lambda n: f"{n:064x}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


def sweep_referral(h):
    """A referral of a world's hub to a third hub, not consented: no other hub of the world sees it."""
    from datetime import date

    from hubs.network.models import Referral

    third = Hub.objects.filter(slug="gamma").first() or HubFactory(slug="gamma")
    return Referral.objects.get_or_create(
        hub=h.hub,
        service="Sweep",
        defaults={
            "to_hub": third,
            "person": h.person,
            "purpose": "Sweep",
            "items": ["name"],
            "expires_on": date(2100, 1, 1),
            "token_hash": f"sweep-{h.hub.slug}",
        },
    )[0]
