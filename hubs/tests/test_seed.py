"""`manage.py seed_demo`: the demo territory and accounts a newcomer finds after `make run`."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from auditlog.models import LogEntry
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from guardian.models import UserObjectPermission

from governance import report as rendering
from governance.models import Report, Snapshot
from governance.seed_demo import PAST_MONTHS
from hubs import demo
from hubs.models import Antenna, Hub, Membership, Municipality, Network, Organization, SubArea

User = get_user_model()

COUNTED = (
    Network,
    Municipality,
    Hub,
    SubArea,
    SubArea.municipalities.through,
    Antenna,
    Organization,
    Organization.hubs.through,
    User,
    EmailAddress,
    Membership,
    UserObjectPermission,
    LogEntry,  # an update of any audited row would add one
)


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in COUNTED}


@pytest.fixture
def seeded(db, settings):
    """The demo without its PDFs (they take seconds each): the tests below read no report."""
    settings.DEBUG = True
    return seed("--no-pdf")


def test_cremasco_is_split_in_eight_sub_areas_covering_each_comune_once(seeded):
    crema = Hub.objects.get(slug="crema")
    sub_areas = SubArea.objects.for_hub(crema)
    assert sub_areas.count() == 8
    for name in demo.CREMASCO:
        holding = sub_areas.filter(municipalities__name=name, municipalities__province="CR")
        assert holding.count() == 1, name
    covered = Municipality.objects.filter(sub_areas__hub=crema).values_list("name", flat=True)
    assert sorted(covered) == sorted(demo.CREMASCO)


def test_hubs_antennas_and_partners_are_there(seeded):
    crema = Hub.objects.get(slug="crema")
    cremona = Hub.objects.get(slug="cremona")
    assert crema.is_lead and not cremona.is_lead
    assert crema.network == cremona.network == Network.objects.get(slug="lombardia")
    assert "Orientamento scolastico" in crema.service_list
    assert Antenna.objects.for_hub(crema).filter(is_active=True).count() >= 4
    assert Antenna.objects.for_hub(cremona).exists()
    partners = Organization.objects.filter(is_project_partner=True)
    assert sorted(partners.values_list("name", flat=True)) == sorted(demo.PROJECT_PARTNERS)
    assert len(demo.PROJECT_PARTNERS) == 7
    school_types = set(
        Organization.objects.for_hub(crema)
        .filter(kind=Organization.Kind.SCHOOL)
        .values_list("school_type", flat=True)
    )
    assert school_types == {"technical", "vocational", "liceo"}


def test_each_demo_account_signs_in_with_its_role_on_its_hub(seeded):
    for slug in ("crema", "cremona"):
        for role in demo.DEMO_ROLES:
            email = demo.demo_email(role, slug)
            user = authenticate(email=email, password=demo.DEMO_PASSWORD)
            assert user is not None, email
            membership = Membership.objects.get(user=user)
            assert (membership.hub.slug, membership.role) == (slug, role)
            assert membership.is_active
            assert EmailAddress.objects.filter(user=user, email=email, verified=True, primary=True).exists()
            assert email in seeded
    assert demo.DEMO_PASSWORD in seeded


def test_a_second_run_creates_and_changes_nothing(seeded):
    before = row_counts()
    passwords = dict(User.objects.values_list("email", "password"))
    output = seed("--no-pdf")
    assert row_counts() == before
    assert dict(User.objects.values_list("email", "password")) == passwords
    assert "nothing created" in output
    assert demo.DEMO_PASSWORD not in output


def test_a_rerun_recreates_a_missing_account_only(seeded):
    User.objects.get(email="steering@crema.demo").delete()
    passwords = dict(User.objects.values_list("email", "password"))
    output = seed("--no-pdf")
    assert authenticate(email="steering@crema.demo", password=demo.DEMO_PASSWORD)
    assert "steering@crema.demo" in output
    assert "hub_admin@crema.demo" not in output
    assert {e: p for e, p in User.objects.values_list("email", "password") if e in passwords} == (passwords)


def test_without_debug_it_refuses_demo_accounts_and_writes_nothing(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--no-accounts"):
        seed()
    assert not User.objects.exists()
    assert not Hub.objects.exists()


def test_without_debug_no_accounts_seeds_the_territory_only(db, settings):
    settings.DEBUG = False
    output = seed("--no-accounts", "--no-pdf")
    assert Hub.objects.count() == len(demo.HUBS) + len(demo.NETWORK_HUBS)  # with Lodi and Mantova
    assert SubArea.objects.for_hub(Hub.objects.get(slug="crema")).count() == 8
    assert not User.objects.exists()
    assert not Membership.objects.exists()
    assert demo.DEMO_PASSWORD not in output


def test_if_empty_leaves_a_seeded_database_alone(seeded):
    before = row_counts()
    output = seed("--if-empty")
    assert row_counts() == before
    assert "--if-empty" in output


def test_if_empty_seeds_an_empty_database(db, settings):
    settings.DEBUG = True
    seed("--if-empty", "--no-pdf")
    assert Hub.objects.count() == len(demo.HUBS) + len(demo.NETWORK_HUBS)  # with Lodi and Mantova
    # besides the demo accounts, only the young people of the demo's youth pacts, who cannot sign in
    young = User.objects.filter(pact_memberships__isnull=False).distinct()
    assert User.objects.count() - young.count() == len(demo.DEMO_ACCOUNTS)
    assert not any(user.has_usable_password() for user in young)


def test_the_committee_finds_last_months_reports_ready(db, settings, tmp_path):
    settings.DEBUG, settings.MEDIA_ROOT = True, tmp_path
    seed()
    reports = Report.objects.all()
    assert reports.count() == Hub.objects.count() + 1  # each hub (Lodi and Mantova too) and the network
    assert {report.status for report in reports} == {Report.Status.READY}
    for report in reports:
        assert report.file.read(5) == b"%PDF-"


def test_no_pdf_takes_the_snapshots_and_renders_no_report(db, settings, monkeypatch):
    def no_rendering(report):
        raise AssertionError("seed_demo --no-pdf rendered a report")

    monkeypatch.setattr(rendering, "render_report", no_rendering)
    settings.DEBUG = True
    seed("--no-pdf")
    assert not Report.objects.exists()
    monthly = Snapshot.objects.filter(kind=Snapshot.Kind.MONTHLY)
    assert monthly.count() == 3 * PAST_MONTHS  # each hub and the network, month by month
