"""Fixtures shared by every test: a world of two hubs, and the rules for optional services."""

import copy
import os
import shutil
import time
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Model
from django.utils import timezone
from post_office.models import Email

from desk.tests.factories import (
    BookingFactory,
    ClosureFactory,
    EnquiryFactory,
    RuleFactory,
    ServiceFactory,
    SlotFactory,
)
from hubs import services
from hubs.models import Role
from hubs.tests.factories import (
    AntennaFactory,
    HubFactory,
    InvitationFactory,
    OrganizationFactory,
    SchoolFactory,
    SubAreaFactory,
)
from jobclub.tests.factories import build_jobclub
from pacts import services as pacts
from pacts.tests import factories as pact_factories
from people.models import PersonHub
from people.tests.factories import UserFactory
from placements import services as placements
from placements.tests.factories import PathFactory, log

# On CI every service is there: a test that would skip for a missing one fails instead.
REQUIRE_SERVICES = os.environ.get("YIP_REQUIRE_SERVICES") == "1"
VNU_JAR = Path(__file__).resolve().parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def skip_or_fail(reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (YIP_REQUIRE_SERVICES=1: CI must provide it)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _needs_services(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL: set DATABASE_URL=postgres://…")
    if request.node.get_closest_marker("redis") and not os.environ.get("REDIS_URL"):
        skip_or_fail("needs Redis: set REDIS_URL=redis://…")
    if request.node.get_closest_marker("browser") and not shutil.which("chromium"):
        skip_or_fail("needs Debian's chromium (apt-get install chromium)")
    if request.node.get_closest_marker("vnu") and not (shutil.which("java") and VNU_JAR.exists()):
        skip_or_fail("needs Java and npm's vnu-jar (apt-get install default-jre-headless; npm ci)")


def build_hub(slug: str) -> SimpleNamespace:
    """A hub with one of everything and one member per role (each with an authenticator)."""
    hub = HubFactory(slug=slug, name=f"Hub {slug}")
    sub_area = SubAreaFactory(hub=hub)
    antenna = AntennaFactory(hub=hub, sub_area=sub_area)
    cooperative = OrganizationFactory(hubs=[hub])
    school = SchoolFactory(hubs=[hub])
    members = {}
    for role in Role:
        organization = {Role.PARTNER: cooperative, Role.SCHOOL: school, Role.EXHIBITOR: cooperative}.get(role)
        user = UserFactory(email=f"{role}@{slug}.test", totp=True)
        members[role] = services.membership_create(hub=hub, user=user, role=role, organization=organization)
    invitation = InvitationFactory(hub=hub)
    operator = members[Role.OPERATOR].user
    service = ServiceFactory(hub=hub)
    slot = SlotFactory(service=service, operator=operator, capacity=2)
    booking = BookingFactory(slot=slot)
    PersonHub.objects.create(person=booking.person, hub=hub)
    # A Together We Work path of the hub's cooperative (its partner member reaches it), with an
    # activity and a due follow-up on a second, closed path.
    path = PathFactory(hub=hub, person=booking.person, cooperative=cooperative, operator=operator)
    activity = log(path, 2, by=operator)
    closed = PathFactory(
        hub=hub,
        person=booking.person,
        cooperative=cooperative,
        starts_on=timezone.localdate() - timedelta(days=300),
    )
    log(closed, 4, days_ago=250, by=operator)
    placements.path_close(
        path=closed, outcome="searching", closed_on=timezone.localdate() - timedelta(days=200)
    )
    placements.follow_ups_create()
    # A job club path of the hub's school (its referent reaches it): a session with a validated
    # register, led by the cooperative's trainer (who reaches that session alone), a student with
    # a certificate, a young worker.
    jobclub = build_jobclub(
        hub, school, operator=operator, referent=members[Role.SCHOOL].user, trainer=members[Role.PARTNER].user
    )
    # A signed youth pact of the sub-area naming the cooperative as partner, with an expense.
    mails_before = Email.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    pact = pact_factories.signed(hub, sub_area=sub_area, partners=[cooperative], by=operator)
    pact_expense = pacts.expense_add(
        pact=pact,
        line=pact.budget_lines.first(),
        date=timezone.localdate(),
        description="Vernice",
        amount=50,
        receipt=pact_factories.receipt(),
        by=operator,
    )
    # Building the pact mailed its group ("approved, to sign"): the world starts with an empty
    # outbox, so a test that flushes it finds only its own messages.
    Email.objects.filter(pk__gt=mails_before).delete()
    return SimpleNamespace(
        **jobclub,
        hub=hub,
        sub_area=sub_area,
        antenna=antenna,
        cooperative=cooperative,
        school=school,
        members=members,
        users={role: m.user for role, m in members.items()},
        invitation=invitation,
        service=service,
        slot=slot,
        booking=booking,
        person=booking.person,
        rule=RuleFactory(service=service, operator=operator),
        closure=ClosureFactory(hub=hub, starts_on=date(2030, 8, 10), ends_on=date(2030, 8, 20)),
        enquiry=EnquiryFactory(
            hub=hub, name="Luca", email="luca@example.org", subject="Corsi estivi", message="Ci sono corsi?"
        ),
        path=path,
        activity=activity,
        closed_path=closed,
        follow_up=closed.follow_ups.get(months=3),
        pact=pact,
        pact_action=pact.actions.first(),
        pact_expense=pact_expense,
        pact_member=pact.members.first(),
    )


@pytest.fixture
def world(db):
    """Two hubs, `a` and `b`, with the same shape of data."""
    return SimpleNamespace(a=build_hub("alpha"), b=build_hub("beta"))


@pytest.fixture(scope="module")
def _world_built_once(django_db_setup, django_db_blocker):
    """The world of `module_world`, committed for the module and flushed after its last test."""
    with django_db_blocker.unblock():
        data = SimpleNamespace(a=build_hub("alpha"), b=build_hub("beta"))
    as_built = [(instance, _values(instance)) for instance in _instances(data)]
    yield data, as_built
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def _instances(data: SimpleNamespace) -> list[Model]:
    found = []
    for hub in vars(data).values():
        for value in vars(hub).values():
            found += value.values() if isinstance(value, dict) else [value]
    return [instance for instance in found if isinstance(instance, Model)]


def _values(instance: Model) -> dict:
    return copy.deepcopy({f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields})


@pytest.fixture
def module_world(_world_built_once, db):
    """
    `world`, built once per module (building it costs a second or more). A module whose tests
    use it this way says so at its top:

        @pytest.fixture
        def world(module_world):
            return module_world

    Every test still runs in its own transaction, rolled back, and starts from the world as
    built: what a test wrote is gone from the database, and an object of the world that a test
    changed in memory (`refresh_from_db`, a service setting a status) is read again. The world's
    rows are in the database for the module's other tests too, and a `transaction=True` test
    would flush them: such tests stay in modules of their own.
    """
    data, as_built = _world_built_once
    for instance, values in as_built:
        if _values(instance) != values:
            instance.refresh_from_db()
    return data


@pytest.fixture
def one_rate_limit_window(monkeypatch):
    """
    django-ratelimit counts in fixed windows (an hour's starts at a second of its own for each
    key): keep every request of a test in the same one, whatever second the clock shows.
    """
    import django_ratelimit.core

    frozen = time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: frozen))


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and used TOTP codes live in the cache: no test inherits another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _mail_through_the_outbox(settings):
    """
    Django's test runner swaps EMAIL_BACKEND for locmem; put the outbox back so tests see what
    production does: the message is stored, then delivered (to locmem) after commit.
    """
    settings.EMAIL_BACKEND = "people.mail.OutboxBackend"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the portal's default language (a request may have switched it)."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def broker_down():
    """A broker address where nothing listens, and tasks really published (not eager)."""
    from people.tests.test_outbox import celery_conf

    with celery_conf(task_always_eager=False, broker_url="redis://127.0.0.1:1/0"):
        yield
