"""Fixtures of the job fair's tests: a hub with a published fair, people to register."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from hubs import services as hub_services
from hubs.models import Role
from hubs.tests.factories import HubFactory, OrganizationFactory
from jobfair.models import Fair
from people.tests.factories import UserFactory

from .factories import FairFactory, exhibitor_for


@pytest.fixture
def hub(db):
    return HubFactory(slug="crema")


@pytest.fixture
def fair(hub):
    return FairFactory(hub=hub, status=Fair.Status.PUBLISHED)


def person_data(first="Giulia", last="Bianchi", *, born: date | None = None, email=None, **extra) -> dict:
    return {
        "first_name": first,
        "last_name": last,
        "email": email or f"{first.lower()}.{last.lower()}@example.org",
        "phone": "333 1234567",
        "birth_date": born or date(2004, 5, 1),
        "gender": "female",
        "status": "student",
        "education": "upper_secondary",
        **extra,
    }


def born_years_before(day: date, years: int, *, days_after: int = 0) -> date:
    """A birth date that makes someone exactly `years` old on `day` (minus `days_after` days)."""
    return day.replace(year=day.year - years) + timedelta(days=days_after)


@pytest.fixture
def company(hub):
    return OrganizationFactory(hubs=[hub], kind="company", name="Cosmetica Cremasca")


@pytest.fixture
def exhibitor(fair, company):
    return exhibitor_for(fair, company, area_slug="cura", keywords="infermiere, OSS")


@pytest.fixture
def exhibitor_user(hub, company, exhibitor):
    user = UserFactory(email="rep@cosmetica.example.org", totp=True)
    hub_services.membership_create(hub=hub, user=user, role=Role.EXHIBITOR, organization=company)
    return user


@pytest.fixture
def staff(hub):
    user = UserFactory(email="operator@crema.example.org", totp=True)
    hub_services.membership_create(hub=hub, user=user, role=Role.OPERATOR)
    return user


def today():
    return timezone.localdate()
