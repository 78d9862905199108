"""The capability table (hubs/capabilities.py): one place, no typo passes, nothing opens by default."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.views.generic import TemplateView

from hubs.capabilities import CAPABILITIES, can, roles_with
from hubs.mixins import HubMixin
from hubs.models import Membership, Role
from hubs.navigation import ACTIONS

ROOT = Path(settings.BASE_DIR)
SOURCES = [
    path
    for folder in [*settings.LOCAL_APPS, "templates"]
    for path in sorted((ROOT / folder).rglob("*"))
    if path.suffix in {".py", ".html"}
    and not {"migrations", "tests"} & set(path.parts)
    and path.name != "capabilities.py"
]
# Where code names a capability in a literal: a view's permission, membership.can, can(…),
# roles_with(…), the template filter, an action's capability.
NAMED = re.compile(
    r"""(?:permission\s*=\s*|\.can\(\s*|\bcan\(\s*\w+,\s*|roles_with\(\s*|\|can:|capability\s*=\s*)"""
    r"""["']([a-z]+\.[a-z_]+)["']"""
)


def named_in_sources() -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for path in SOURCES:
        for match in NAMED.finditer(path.read_text()):
            names.setdefault(match.group(1), set()).add(str(path.relative_to(ROOT)))
    return names


def test_every_capability_the_code_names_is_in_the_table():
    named = named_in_sources()
    assert {"desk.manage", "placements.manage_paths", "governance.set_targets"} <= set(named)
    unknown = {name: files for name, files in named.items() if name not in CAPABILITIES}
    unknown |= {a.capability: {"hubs/navigation.py"} for a in ACTIONS if a.capability not in CAPABILITIES}
    assert not unknown, f"Capabilities missing from hubs/capabilities.py: {unknown}"


def test_every_capability_of_the_table_is_used():
    everything = "\n".join(path.read_text() for path in SOURCES)
    unused = [name for name in CAPABILITIES if f'"{name}"' not in everything]
    assert not unused, f"Capabilities nobody asks for: {unused}"


def test_an_unknown_capability_is_an_error_never_a_quiet_no():
    member = Membership(role=Role.HUB_ADMIN, is_active=True)
    assert member.can("desk.configure")
    with pytest.raises(ImproperlyConfigured):
        member.can("desk.configuer")
    with pytest.raises(ImproperlyConfigured):
        roles_with("")


def test_a_suspended_member_or_no_membership_can_do_nothing():
    suspended = Membership(role=Role.HUB_ADMIN, is_active=False)
    assert not any(suspended.can(name) for name in CAPABILITIES)
    assert not any(can(None, name) for name in CAPABILITIES)


def test_the_steering_committee_and_the_region_see_aggregates_only():
    for role in (Role.STEERING, Role.REGIONAL):
        held = {name for name, roles in CAPABILITIES.items() if role in roles}
        assert not {name for name in held if name.startswith(("desk.", "placements."))}, role
        assert not held & {"governance.view_small_counts", "governance.drill_down", "hubs.view_territory"}


def test_the_hub_coordinator_holds_every_right_of_the_hub():
    """
    Everything but acting for an organization (editing it; a school's validation of its job club
    registers; an exhibitor's stand and the contacts young people shared with it alone) and what
    is the network's, not the hub's: its report, and coordinating the network (approvals,
    checklist, comparison of hubs) (DESIGN.md).
    """
    lacking = {name for name, roles in CAPABILITIES.items() if Role.HUB_ADMIN not in roles}
    assert lacking == {
        "hubs.edit_own_organization",
        "governance.receive_network_reports",
        "hubs.coordinate_network",
        "jobclub.validate_register",
        "jobfair.exhibit",
    }


@pytest.mark.django_db
def test_a_back_office_view_that_names_no_capability_opens_to_nobody(world):
    class Nameless(HubMixin, TemplateView):
        template_name = "hubs/dashboard.html"

    request = RequestFactory().get("/")
    request.user, request.session = world.a.users[Role.HUB_ADMIN], {}
    with pytest.raises(ImproperlyConfigured):
        Nameless.as_view()(request, hub_slug=world.a.hub.slug)
