"""
The access sweep: every URL of the portal, found from the resolver, against every role.

- anonymous: a login redirect, except the pages listed in PUBLIC;
- a member of another hub, whatever the role, and a signed-in user of no hub: 404 on every
  hub URL (nothing about a hub or its objects leaks);
- each role of the hub: 200 where ACCESS allows it, 403 everywhere else;
- an object of another hub, named by id under your own hub's URL: 404.

ACCESS is not written here: each back-office page's view names the capability it needs
(`permission`, checked by hubs.mixins.HubMixin) and the capability table (hubs/capabilities.py)
says which roles hold it, so a page's rule is written once. ACCESS_AT_ISSUE_11 keeps the table
the sweep held before that, and the derived one must still agree with it.

A new URL of ours fails `test_every_url_is_classified` until its view is a HubMixin view or it
is listed in PUBLIC_OWN or SIGNED_IN_OWN, and a new URL kwarg fails until SAMPLE_KWARGS (or
OBJECTS, for ids) can fill it. A library's pages (allauth,
Django's own) are classified by where they come from instead, so that a library's new page is
swept under its family's rule rather than breaking the build: a page its library marks
`login_not_required` is a public sign-in page, any other is a signed-in account page.
"""

import re
from datetime import UTC, date, datetime
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from governance.models import Decision, Meeting, Report, Snapshot, Target
from hubs.capabilities import roles_with
from hubs.mixins import HubMixin
from hubs.models import Hub, Role
from hubs.network.models import Adoption, LibraryTool, Referral
from hubs.restapi.models import ApiToken, Webhook
from hubs.tests.factories import HubFactory
from jobfair.tests.factories import sweep_exhibitor, sweep_fair
from pacts.tests.factories import sweep_entry, sweep_meeting, sweep_tranche
from placements.tests.factories import sweep_path_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world):
    """The two hubs of conftest's `world`, built once for this module's ~900 requests."""
    return module_world


ALL = frozenset(Role)
STAFF = frozenset({Role.HUB_ADMIN, Role.OPERATOR})
ADMIN = frozenset({Role.HUB_ADMIN})

# Our own pages open to anyone.
PUBLIC_OWN = {
    "home",
    "privacy",
    "accessibility",
    "invitation_accept",
    "hub_public",
    "health_check",  # /health/ for load balancers and compose: names no host
    # the online desk's public pages (booking by guests, signed e-mail links)
    "desk:book_service",
    "desk:book_slots",
    "desk:book_form",
    "desk:booking_sent",
    "desk:links_resend",
    "desk:booking_verify",
    "desk:booking_guardian",
    "desk:booking_manage",
    "desk:booking_calendar",
    "desk:booking_reschedule",
    "desk:waitlist_join",
    "desk:waitlist_claim",
    "desk:waitlist_leave",
    "desk:enquiry_create",
    "desk:operator_feed",  # an operator's calendar subscription: its secret token is the key
    # Together We Work: the young person's one-time link that confirms an activity
    "placements:activity_confirm",
    # the regional network (action 1): the catalogue, its hand-off to a hub's booking page, the
    # young person's consent to a referral, the observatory's published JSON Schema
    "catalogue",
    "catalogue_book",
    "referral_consent",
    "observatory_schema",
    # SPID and CIE: the relying party's federation URLs, the sign-in's begin and callback, and
    # the link of an existing account (which asks to sign in to it)
    "spid:entity_configuration",
    "spid:jwks_json",
    "spid:jwks_jose",
    "spid:begin",
    "spid:callback",
    "spid:link",
    # the job club: a certificate's verification page (the code only says valid or not)
    "jobclub:verify",
    "jobclub:verify_code",
    # youth pacts: the page of the hub's pacts and each signed pact's page
    "pacts:public_board",
    "pacts:public_pact",
    "pacts:public_photo",
    # a signed pact's meeting: registering, cancelling by the e-mailed link, the QR check-in
    "pacts:meeting_register",
    "pacts:registration_cancel",
    "pacts:meeting_checkin",
    # the job fair: its page, registrations (exhibitors, young people, classes), links by token
    "jobfair:fair_index",
    "jobfair:fair",
    "jobfair:exhibitor_register",
    "jobfair:register",
    "jobfair:class_register",
    "jobfair:class_sheet",
    "jobfair:guardian_consent",
    "jobfair:ticket",
    "jobfair:ticket_ics",
    "jobfair:stand",
    "jobfair:seat_claim",
    "jobfair:survey",
}

# Our own pages for any signed-in user, whatever their hub (the back-office entry point, "my" pages).
SIGNED_IN_OWN = {
    "backoffice_index",
    "desk:my_bookings",
    "people:my_data",
    "people:my_data_export",
    "people:my_data_erase",
    "mfa_enrolment_code",  # the e-mailed code before an authenticator is set up
    "my_journey",  # the young person's own timeline across the actions (action 1)
    "spid:logout",  # single logout of a SPID/CIE session (GET asks, POST signs out)
    "jobclub:my_hours",  # a student's own job club hours (nothing until they link their code)
    "jobclub:my_certificate",  # only one's own: any other id leads back to "my hours"
    "jobclub:my_self_assessment",  # likewise
    # youth pacts: a group's own proposals (another's, or a bad invitation link: back to the list)
    "pacts:proposal_create",
    "pacts:my_proposals",
    "pacts:proposal_update",
    "pacts:member_invite",
    "pacts:member_accept",
}

# The back office's table as the sweep wrote it by hand before pages named capabilities (issue
# #11): the roles that get 200, every other role 403. ACCESS, derived from the views, must agree
# on every page listed here; a rule changed on purpose is changed here too, in the same review.
ACCESS_AT_ISSUE_11 = {
    "backoffice_dashboard": ALL,
    "backoffice_action": STAFF | {Role.PARTNER, Role.STEERING},  # sample action: "patti"
    "backoffice_hub_update": ADMIN,
    "backoffice_territory": STAFF,
    "backoffice_antenna_create": ADMIN,
    "backoffice_antenna_update": ADMIN,
    "backoffice_subarea_create": ADMIN,
    "backoffice_subarea_update": ADMIN,
    "backoffice_organization_list": STAFF,
    "backoffice_organization_create": ADMIN,
    "backoffice_organization_update": ADMIN,
    "backoffice_my_organization": frozenset({Role.PARTNER, Role.SCHOOL}),
    "backoffice_member_list": ADMIN,
    "backoffice_invitation_create": ADMIN,
    "backoffice_membership_update": ADMIN,
    "backoffice_invitation_revoke": ADMIN,
    # the REST API's tokens (hubs/restapi)
    "apibo:token_list": ADMIN,
    "apibo:token_create": ADMIN,
    "apibo:token_revoke": ADMIN,
    "apibo:webhook_list": ADMIN,
    "apibo:webhook_create": ADMIN,
    "apibo:webhook_deliveries": ADMIN,
    "apibo:webhook_update": ADMIN,
    "apibo:webhook_ping": ADMIN,
    # the online desk's back office
    "deskbo:calendar": STAFF,
    "deskbo:booking_detail": STAFF,
    "deskbo:booking_on_behalf": STAFF,
    "deskbo:rule_list": STAFF,
    "deskbo:rule_create": STAFF,
    "deskbo:rule_update": STAFF,
    "deskbo:closure_create": STAFF,
    "deskbo:closure_delete": STAFF,
    "deskbo:service_list": STAFF,
    "deskbo:service_create": ADMIN,
    "deskbo:service_update": ADMIN,
    "deskbo:settings": ADMIN,
    "deskbo:person_list": STAFF,
    "deskbo:person_record": STAFF,
    "deskbo:enquiry_list": STAFF,
    "deskbo:enquiry_detail": STAFF,
    "deskbo:waitlist": STAFF,
    "deskbo:export": STAFF,
    # Together We Work (action 5): staff, and partner operators on their cooperative's paths
    "placementsbo:path_list": STAFF | {Role.PARTNER},
    "placementsbo:path_create": STAFF,
    "placementsbo:path_detail": STAFF | {Role.PARTNER},
    "placementsbo:path_update": STAFF,
    "placementsbo:path_assign": STAFF,
    "placementsbo:plan_update": STAFF | {Role.PARTNER},
    "placementsbo:activity_create": STAFF | {Role.PARTNER},
    "placementsbo:activity_delete": STAFF | {Role.PARTNER},
    "placementsbo:activity_confirmation": STAFF | {Role.PARTNER},
    "placementsbo:path_close": STAFF | {Role.PARTNER},
    "placementsbo:follow_up_update": STAFF | {Role.PARTNER},
    "placementsbo:path_sheet": STAFF | {Role.PARTNER},
    "placementsbo:export": STAFF | {Role.PARTNER},
    # governance (action 7): the Cabina di Regia's pages
    "governance:dashboard": STAFF | {Role.STEERING, Role.REGIONAL},
    "governance:network": ADMIN | {Role.STEERING, Role.REGIONAL},
    "governance:export": STAFF | {Role.STEERING, Role.REGIONAL},
    "governance:snapshot_list": STAFF | {Role.STEERING, Role.REGIONAL},
    "governance:snapshot_create": ADMIN | {Role.STEERING},
    "governance:snapshot_detail": STAFF | {Role.STEERING, Role.REGIONAL},
    "governance:report_list": STAFF | {Role.STEERING, Role.REGIONAL},
    "governance:report_request": STAFF | {Role.STEERING, Role.REGIONAL},
    "governance:report_status": STAFF | {Role.STEERING, Role.REGIONAL},
    "governance:report_download": STAFF | {Role.STEERING, Role.REGIONAL},
    "governance:report_retry": ADMIN,
    "governance:target_list": STAFF | {Role.STEERING, Role.REGIONAL},
    "governance:target_update": ADMIN,
    "governance:plan_update": ADMIN,
    "governance:meeting_list": STAFF | {Role.STEERING, Role.REGIONAL},
    "governance:meeting_create": STAFF,
    "governance:meeting_detail": STAFF | {Role.STEERING, Role.REGIONAL},
    "governance:meeting_update": STAFF,
    "governance:decision_create": STAFF,
    "governance:decision_update": STAFF,
}


def _referral(h):
    """A referral of the hub to a third hub, not consented: no other hub of the world sees it."""
    third = (
        HubFactory(slug="gamma")
        if not Hub.objects.filter(slug="gamma").exists()
        else Hub.objects.get(slug="gamma")
    )
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


def _adoption(h):
    tool, _ = LibraryTool.objects.get_or_create(
        network=h.hub.network, title="Sweep", defaults={"kind": "survey"}
    )
    return Adoption.objects.get_or_create(
        hub=h.hub,
        tool=tool,
        defaults={"version_number": 1, "kind": "survey", "title": "Sweep", "body": "Text"},
    )[0]


FAR = datetime(2099, 1, 1, tzinfo=UTC)

# The object a URL's `pk` names, taken from a hub of the world fixture.
OBJECTS = {
    "network:referral_detail": _referral,
    "network:adoption_update": _adoption,
    "backoffice_antenna_update": lambda h: h.antenna,
    "backoffice_subarea_update": lambda h: h.sub_area,
    "backoffice_organization_update": lambda h: h.cooperative,
    "backoffice_membership_update": lambda h: h.members[Role.OPERATOR],
    "backoffice_invitation_revoke": lambda h: h.invitation,
    "deskbo:booking_detail": lambda h: h.booking,
    "deskbo:rule_update": lambda h: h.rule,
    "deskbo:closure_delete": lambda h: h.closure,
    "deskbo:service_update": lambda h: h.service,
    "deskbo:person_record": lambda h: h.person,
    "deskbo:person_merge": lambda h: h.person,  # without ?con=: the choice of the other record
    "deskbo:enquiry_detail": lambda h: h.enquiry,
    "placementsbo:path_detail": lambda h: h.path,
    "placementsbo:path_update": lambda h: h.path,
    "placementsbo:path_assign": lambda h: h.path,
    "placementsbo:plan_update": lambda h: h.path,
    "placementsbo:activity_create": lambda h: h.path,
    "placementsbo:path_close": lambda h: h.path,
    "placementsbo:path_sheet": lambda h: h.path,
    "placementsbo:activity_delete": lambda h: h.activity,
    "placementsbo:activity_confirmation": lambda h: h.activity,
    "placementsbo:follow_up_update": lambda h: h.follow_up,
    "placementsbo:path_request": sweep_path_request,
    # the job club: the world's path is its school's, so the school's referent reaches it
    **{
        f"jobclubbo:{name}": lambda h: h.jobclub_path
        for name in (
            "path_detail",
            "path_update",
            "path_close",
            "session_create",
            "roster_import",
            "certificates_issue",
            "certificates_zip",
            "school_hours",
            "class_calendar",
        )
    },
    **{
        f"jobclubbo:{name}": lambda h: h.jobclub_session
        for name in (
            "session_detail",
            "session_update",
            "register_take",
            "register_sign",
            "register_validate",
            "register_pdf",
        )
    },
    "jobclubbo:certificate_pdf": lambda h: h.student,
    "jobclubbo:student_erase": lambda h: h.student,
    "jobclubbo:young_worker_update": lambda h: h.young_worker,
    "jobclub:my_certificate": lambda h: h.student,
    "jobclub:my_self_assessment": lambda h: h.student,
    # youth pacts: a signed pact of the sub-area, naming the hub's cooperative as partner
    "pacts:public_pact": lambda h: h.pact,
    "pacts:proposal_update": lambda h: h.pact,
    "pacts:member_invite": lambda h: h.pact,
    **{
        f"pactsbo:{name}": lambda h: h.pact
        for name in (
            "pact_detail",
            "note_create",
            "additions",
            "decision",
            "terms",
            "signature",
            "variation",
            "pact_pdf",
            "action_create",
            "timeline_create",
            "budget_line_create",
            "budget_move",
            "expense_create",
            "ledger",
            "receipts_zip",
        )
    },
    "pactsbo:action_update": lambda h: h.pact_action,
    "pactsbo:expense_decide": lambda h: h.pact_expense,
    "pactsbo:receipt": lambda h: h.pact_expense,
    "pactsbo:guardian_consent": lambda h: h.pact_member,
    # pacts' co-design meetings and timeline photos (pacts2)
    "pactsbo:meeting_create": lambda h: h.pact,
    "pactsbo:meeting_attendance": lambda h: sweep_meeting(h),
    "pactsbo:meeting_close": lambda h: sweep_meeting(h),
    "pactsbo:timeline_photo": lambda h: sweep_entry(h),
    "pacts:public_photo": lambda h: sweep_entry(h),
    # pacts' tranches, meeting changes and registrations (pacts3)
    "pactsbo:tranche_create": lambda h: h.pact,
    "pactsbo:tranche_pay": lambda h: sweep_tranche(h),
    "pactsbo:meeting_update": lambda h: sweep_meeting(h),
    "pacts:meeting_register": lambda h: sweep_meeting(h),
    # the job fair: a published fair of the hub, and its approved exhibitor (the hub's company)
    **{
        f"jobfair{side}:{name}": lambda h: sweep_fair(h)
        for side, name in [
            ("", "fair"),
            ("", "exhibitor_register"),
            ("", "register"),
            ("", "class_register"),
            ("bo", "fair_detail"),
            ("bo", "fair_update"),
            ("bo", "fair_publish"),
            ("bo", "stands"),
            ("bo", "workshop_create"),
            ("bo", "registration_list"),
            ("bo", "check_in"),
            ("bo", "check_in_sync"),
            ("bo", "help_list"),
            ("bo", "shred"),
            ("bo", "report"),
            ("bo", "survey_send"),
        ]
    },
    "jobfairbo:exhibitor_review": lambda h: sweep_exhibitor(h),
    "jobfairbo:my_stand": lambda h: sweep_exhibitor(h),
    "jobfairbo:leads": lambda h: sweep_exhibitor(h),
    # governance: the world has none of these, they are made on the fly
    "governance:snapshot_detail": lambda h: Snapshot.objects.get_or_create(
        hub=h.hub, kind="on_demand", month=date(2023, 1, 1), defaults={"as_of": date(2023, 1, 15)}
    )[0],
    "governance:report_status": lambda h: Report.objects.get_or_create(
        snapshot=OBJECTS["governance:snapshot_detail"](h),
        defaults={
            "hub": h.hub,
            "status": "ready",
            "pages": 1,
            "file": ContentFile(b"%PDF-1.4\n%sweep\n", name="sweep.pdf"),
        },
    )[0],
    "governance:report_download": lambda h: OBJECTS["governance:report_status"](h),
    "governance:report_retry": lambda h: OBJECTS["governance:report_status"](h),
    "governance:target_update": lambda h: Target.objects.get_or_create(
        hub=h.hub, indicator_key="pacts.pacts", part="", defaults={"action": 3, "title": "Pacts", "value": 8}
    )[0],
    "governance:meeting_detail": lambda h: Meeting.objects.get_or_create(
        hub=h.hub, date=date(2023, 1, 20), defaults={"attendees": "Anna Rossi", "agenda": "Indicators"}
    )[0],
    "governance:meeting_update": lambda h: OBJECTS["governance:meeting_detail"](h),
    "apibo:token_revoke": lambda h: ApiToken.objects.get_or_create(
        hub=h.hub,
        token_hash=f"{h.hub.pk:064d}",
        defaults={"name": "Sweep", "role": "operator", "expires_at": FAR},
    )[0],
    "apibo:webhook_update": lambda h: Webhook.objects.get_or_create(
        hub=h.hub, url="https://receiver.example.org/hook", defaults={"events": ["booking.created"]}
    )[0],
    "apibo:webhook_ping": lambda h: OBJECTS["apibo:webhook_update"](h),
    "governance:decision_update": lambda h: Decision.objects.get_or_create(
        hub=h.hub,
        meeting=OBJECTS["governance:meeting_detail"](h),
        text="Call the schools",
        defaults={"due_on": date(2023, 2, 20), "owner_name": "Anna Rossi"},
    )[0],
}

SAMPLE_KWARGS = {
    "hub_slug": lambda h: h.hub.slug,
    "action": lambda h: "patti",
    "token": lambda h: "not-a-real-token",
    "code": lambda h: h.certificate.code,
    "key": lambda h: "not-a-real-key",
    "uidb36": lambda h: "1",
    "service_id": lambda h: h.service.pk,
    "slot_id": lambda h: h.slot.pk,
    "meeting_id": lambda h: OBJECTS["governance:meeting_detail"](h).pk,
}
# Kwargs that name an object of the hub: another hub's object under your hub's URL is a 404.
OBJECT_KWARGS = {"pk", "service_id", "slot_id", "meeting_id"}


def _kwarg_names(pattern) -> list[str]:
    if hasattr(pattern, "converters") and pattern.converters:
        return list(pattern.converters)
    return list(re.compile(str(pattern.regex.pattern)).groupindex)


def _walk(patterns, namespace=None, inherited=()):
    for entry in patterns:
        kwargs = (*inherited, *_kwarg_names(entry.pattern))
        if isinstance(entry, URLResolver):
            ns = entry.namespace if not namespace else f"{namespace}:{entry.namespace}"
            yield from _walk(entry.url_patterns, ns if entry.namespace else namespace, kwargs)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, kwargs, entry.callback


# The Django admin is checked on its own (test_accounts.py: allauth login + MFA), and the REST
# API by its own sweep over its schema (hubs/restapi/tests/test_sweep.py: tokens, not sessions).
_FOUND = {
    name: (kwargs, view)
    for name, kwargs, view in _walk(get_resolver().url_patterns)
    if not name.startswith(("admin:", "api:"))
}
URLS = sorted((name, kwargs) for name, (kwargs, _view) in _FOUND.items())

# Where a page comes from: the top-level package of its view. Our apps classify each page
# above; a library's pages follow their family's rule.
OWN_PACKAGES = {
    "young_in_progress",
    "people",
    "hubs",
    "desk",
    "placements",
    "jobclub",
    "pacts",
    "jobfair",
    "governance",
    "spid",
}
LIBRARY_FAMILIES = {"allauth", "django"}


def _package(view) -> str:
    return getattr(view, "view_class", view).__module__.split(".")[0]


LIBRARY_URLS = {name: view for name, (_k, view) in _FOUND.items() if _package(view) not in OWN_PACKAGES}
# Django's LoginRequiredMiddleware reads the same mark: https://docs.djangoproject.com/en/5.2/ref/middleware/
PUBLIC = PUBLIC_OWN | {n for n, view in LIBRARY_URLS.items() if not getattr(view, "login_required", True)}
SIGNED_IN = SIGNED_IN_OWN | {n for n, view in LIBRARY_URLS.items() if getattr(view, "login_required", True)}


def declared_permission(view) -> str | None:
    """
    The capability a back-office page asks for: its view's (HubMixin.get_permission), None for
    a view that is not a HubMixin view. The page of a project action asks for its action's: read
    here for the sample action, the one the sweep requests.
    """
    view_class = getattr(view, "view_class", None)
    if view_class is None or not issubclass(view_class, HubMixin):
        return None
    page = view_class(**view.view_initkwargs)
    page.kwargs = {"action": SAMPLE_KWARGS["action"](None)}
    return page.get_permission()


# Hub URLs of the back office: the roles that get 200. Every other role gets 403.
ACCESS = {
    name: roles_with(permission)
    for name, (kwargs, view) in _FOUND.items()
    if "hub_slug" in kwargs and (permission := declared_permission(view))
}
HUB_URLS = [(name, kwargs) for name, kwargs in URLS if name in ACCESS]


def build_url(name: str, kwargs: tuple, hub_data, object_hub=None) -> str:
    values = {}
    for kwarg in kwargs:
        if kwarg == "pk":
            values["pk"] = OBJECTS[name](object_hub or hub_data).pk
        elif kwarg in OBJECT_KWARGS:
            values[kwarg] = SAMPLE_KWARGS[kwarg](object_hub or hub_data)
        else:
            values[kwarg] = SAMPLE_KWARGS[kwarg](hub_data)
    return reverse(name, kwargs=values)


def test_every_url_is_classified():
    unknown = [n for n, _ in URLS if n not in PUBLIC | SIGNED_IN | set(ACCESS)]
    assert not unknown, (
        f"Classify these URLs: a back-office view with HubMixin and a `permission`, or list them "
        f"in PUBLIC_OWN or SIGNED_IN_OWN: {unknown}"
    )
    assert not (PUBLIC | SIGNED_IN) & set(ACCESS), "A back-office page cannot be public as well"
    strangers = {_package(view) for view in LIBRARY_URLS.values()} - LIBRARY_FAMILIES
    assert not strangers, f"Pages of a library the sweep has no family rule for: {strangers}"
    assert {"account_login", "mfa_authenticate"} <= PUBLIC and "account_email" in SIGNED_IN
    for name, kwargs in URLS:
        for kwarg in kwargs:
            known = kwarg in SAMPLE_KWARGS or (kwarg == "pk" and name in OBJECTS)
            assert known, f"{name}: no sample value for URL kwarg {kwarg!r}"
    stale = (PUBLIC | SIGNED_IN | set(ACCESS_AT_ISSUE_11)) - {n for n, _ in URLS}
    assert not stale, f"The sweep lists URLs that no longer exist: {stale}"
    assert len(HUB_URLS) == len(ACCESS)


def test_pages_derive_the_access_the_sweep_wrote_by_hand():
    """Naming capabilities changed no status: every page opens to exactly the roles it did."""
    assert {name: ACCESS.get(name) for name in ACCESS_AT_ISSUE_11} == ACCESS_AT_ISSUE_11


@pytest.mark.parametrize(("name", "kwargs"), URLS, ids=[n for n, _ in URLS])
def test_anonymous(client, world, name, kwargs):
    url = build_url(name, kwargs, world.a)
    response = client.get(url)
    # LoginRequiredMiddleware's answer: the login page, asked to come back here afterwards.
    login = f"{reverse('account_login')}?next={quote(url)}"
    redirected_to_login = response.status_code == 302 and response.url == login
    if name in PUBLIC:
        assert not redirected_to_login, f"{url} is public but asks to sign in"
        assert response.status_code in {200, 302, 404}, f"{url}: {response.status_code}"
    else:
        assert redirected_to_login, f"{url} must ask to sign in, got {response.status_code}"


@pytest.mark.parametrize(("name", "kwargs"), HUB_URLS, ids=[n for n, _ in HUB_URLS])
def test_other_hub_members_get_404(client, world, name, kwargs):
    url = build_url(name, kwargs, world.a)
    wrong = {}
    for role, user in world.b.users.items():
        client.force_login(user)
        status = client.get(url).status_code
        if status != 404:
            wrong[role] = status
    assert not wrong, f"{url}: members of another hub must get 404, got {wrong}"


@pytest.mark.parametrize(("name", "kwargs"), HUB_URLS, ids=[n for n, _ in HUB_URLS])
def test_signed_in_non_member_gets_404(client, world, name, kwargs):
    from people.tests.factories import UserFactory

    client.force_login(UserFactory(totp=True))
    assert client.get(build_url(name, kwargs, world.a)).status_code == 404


@pytest.mark.parametrize(("name", "kwargs"), HUB_URLS, ids=[n for n, _ in HUB_URLS])
def test_roles_of_the_hub(client, world, name, kwargs):
    url = build_url(name, kwargs, world.a)
    got, expected = {}, {}
    for role, user in world.a.users.items():
        client.force_login(user)
        got[role] = client.get(url).status_code
        expected[role] = 200 if role in ACCESS[name] else 403
    assert got == expected, url


OBJECT_URLS = [(n, k) for n, k in HUB_URLS if OBJECT_KWARGS & set(k)]
PUBLIC_OBJECT_URLS = [(n, k) for n, k in URLS if n in PUBLIC and "hub_slug" in k and OBJECT_KWARGS & set(k)]


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_OBJECT_URLS, ids=[n for n, _ in PUBLIC_OBJECT_URLS])
def test_public_pages_refuse_another_hubs_objects(client, world, name, kwargs):
    url = build_url(name, kwargs, world.a, object_hub=world.b)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(("name", "kwargs"), OBJECT_URLS, ids=[n for n, _ in OBJECT_URLS])
def test_another_hubs_object_under_own_hub_is_404(client, world, name, kwargs):
    url = build_url(name, kwargs, world.a, object_hub=world.b)
    # the hub's coordinator, or for a page only another role opens (a school's validation) that role
    # a member who may open the page (the coordinator, or e.g. the exhibitor for their stand)
    role = Role.HUB_ADMIN if Role.HUB_ADMIN in ACCESS[name] else sorted(ACCESS[name])[0]
    client.force_login(world.a.users[role])
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404


@pytest.mark.parametrize("name", sorted(SIGNED_IN))
def test_signed_in_pages_open_for_any_account(client, world, name):
    kwargs = _FOUND[name][0]
    client.force_login(world.b.users[Role.STEERING])
    response = client.get(build_url(name, kwargs, world.a))
    assert response.status_code in {200, 302}
    if response.status_code == 302:
        assert not response.url.startswith(reverse("account_login"))
