"""
The capability table: what each role of a hub may do, named as capabilities, in one place.

A back-office view declares the capability it needs (`permission = "desk.manage"`, checked by
`hubs.mixins.HubMixin`); code that decides inside a view, a service or a template asks
`membership.can("…")` (`can(membership, "…")`, or `membership|can:"…"` in a template after
`{% load portal %}`); queries that pick members by what they may do use `roles_with("…")`. The
back-office menus show a page to whoever may open it, and the access sweep
(tests/test_url_access.py) derives each page's expected 200/403 from the same table, so a rule
is written once: here, and named by the view.

A capability is "<app>.<verb>". What is granted on single objects (a cooperative's paths, a
school's job club paths, the pacts naming a partner, an exhibitor's stand) is not here:
django-guardian holds it (hubs/permissions.py), and the services read it together with these
capabilities.
"""

from django.core.exceptions import ImproperlyConfigured

from .models import Role

ADMIN = frozenset({Role.HUB_ADMIN})
STAFF = frozenset({Role.HUB_ADMIN, Role.OPERATOR})
EVERYONE = frozenset(Role)

CAPABILITIES: dict[str, frozenset[Role]] = {
    # the hub's back office (action 1 and the territory of action 2)
    "hubs.view_dashboard": EVERYONE,
    # the regional coordinated system (action 1), its network level (hubs/network/)
    "hubs.view_regional_system": STAFF | {Role.STEERING, Role.REGIONAL},  # the network's page
    "hubs.join_network": ADMIN,  # the hub's joining and its quality self-assessment
    "hubs.refer": STAFF,  # referrals of young people to other hubs, and those received
    "hubs.use_library": STAFF,  # adopt and adapt the shared library's tools
    "hubs.coordinate_network": frozenset({Role.REGIONAL}),  # approvals, criteria, comparison, export, library
    "hubs.view_territory": STAFF,  # sub-areas and antennas
    "hubs.manage_territory": ADMIN,
    "hubs.view_organizations": STAFF,
    "hubs.manage_organizations": ADMIN,
    "hubs.edit_own_organization": frozenset({Role.PARTNER, Role.SCHOOL}),
    "hubs.manage_members": ADMIN,  # members and invitations; a hub always keeps one such member
    "hubs.manage_hub": ADMIN,  # the hub's public details
    "hubs.quick_search": STAFF,  # the search field in the header (each group also names its own)
    # the REST API (hubs/restapi): its tokens, each acting with a role of this table
    "hubs.manage_api_tokens": ADMIN,
    "hubs.manage_webhooks": ADMIN,  # webhooks: make, edit, disable, test, and their delivery log
    # the online desk (action 2)
    "desk.manage": STAFF,  # calendar, bookings, availability, records, enquiries, waiting list
    "desk.configure": ADMIN,  # the desk's services and settings
    # At Nine: Job Club (action 4): a school referent only on their school's paths (guardian)
    # the action's page: paths against the plan (a partner trainer: the sessions assigned to them)
    "jobclub.view": STAFF | {Role.SCHOOL, Role.STEERING, Role.PARTNER},
    "jobclub.view_paths": STAFF | {Role.SCHOOL},  # paths, rosters, registers, certificates, hours
    "jobclub.manage": STAFF,  # paths, sessions, rosters, young workers, certificates
    # a session's page and register: a school referent on their school's paths, a partner trainer
    # only on the sessions assigned to them (guardian grant to the trainer, jobclub.services)
    "jobclub.view_session": STAFF | {Role.SCHOOL, Role.PARTNER},
    "jobclub.take_register": STAFF | {Role.PARTNER},  # attendance and the trainer's signature
    "jobclub.validate_register": frozenset({Role.SCHOOL}),  # the school validates: then locked
    # youth pacts (action 3): hub staff run them, a partner organization sees the pacts naming it
    "pacts.view": STAFF | {Role.PARTNER, Role.STEERING},  # the board of the sub-areas (figures only)
    "pacts.view_pact": STAFF | {Role.PARTNER},  # a pact's page (partners: guardian grant)
    "pacts.update_progress": STAFF | {Role.PARTNER},  # actions' progress, timeline, expenses
    "pacts.manage": STAFF,  # review, signatures, variations, budget, approval of expenses
    "pacts.receive_overdue": ADMIN,  # mailed when a review passes its 30 days
    # the job fair (action 6): staff run it; an exhibitor's people only their own stand (guardian)
    "jobfair.view": STAFF | {Role.STEERING},  # the fairs, their areas and figures (no personal data)
    "jobfair.manage": STAFF,  # fairs, areas, stands, workshops, exhibitors' approval, registrations
    "jobfair.check_in": STAFF,  # the door's and the workshops' check-in
    "jobfair.exhibit": frozenset({Role.EXHIBITOR}),  # own stand, opportunities and shared leads
    # Together We Work (action 5): a partner operator only on their cooperative's paths (guardian)
    "placements.view_paths": STAFF | {Role.PARTNER},
    "placements.run_paths": STAFF | {Role.PARTNER},  # the plan, closing, follow-ups
    "placements.log_activity": STAFF | {Role.PARTNER},  # log, confirm and remove activities
    "placements.manage_paths": STAFF,  # every path of the hub: intake, facts, assignment
    # governance (action 7): the Cabina di Regia
    "governance.view_dashboard": STAFF | {Role.STEERING, Role.REGIONAL},
    "governance.view_small_counts": STAFF,  # others read counts of 1 to 4 people as "< 5"
    "governance.drill_down": STAFF,  # a number links to the staff's list it counts
    "governance.view_network": ADMIN | {Role.STEERING, Role.REGIONAL},
    "governance.take_snapshot": ADMIN | {Role.STEERING},
    "governance.retry_report": ADMIN,
    "governance.set_targets": ADMIN,  # targets and the project timeline
    "governance.manage_meetings": STAFF,  # meetings and their decisions
    "governance.receive_reports": ADMIN | {Role.STEERING},  # the hub's monthly report by e-mail
    "governance.receive_network_reports": frozenset({Role.REGIONAL}),  # the network's report
    "governance.remind_unowned_decisions": ADMIN,  # reminded of a decision that has no owner
}


def roles_with(capability: str) -> frozenset[Role]:
    """The roles that hold `capability`; an unknown name is a programming error, never a 'no'."""
    try:
        return CAPABILITIES[capability]
    except KeyError:
        raise ImproperlyConfigured(
            f"Unknown capability {capability!r}: add it to hubs/capabilities.py."
        ) from None


def can(membership, capability: str) -> bool:
    """Whether an active membership (None: no membership) holds `capability` on its hub."""
    allowed = roles_with(capability)
    return membership is not None and membership.is_active and membership.role in allowed
