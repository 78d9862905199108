"""The back office's map: the seven project actions and the hub's own sections, per role."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Role

STAFF = frozenset({Role.HUB_ADMIN, Role.OPERATOR})


@dataclass(frozen=True)
class Action:
    number: int
    slug: str
    title: Promise
    summary: Promise
    roles: frozenset
    url_name: str | None = None  # the action's own back-office page, once its app exists


ACTIONS = (
    Action(
        1,
        "rete",
        _("Regional coordinated system"),
        _("Hubs of the network, shared tools and models, referrals between hubs."),
        STAFF | {Role.STEERING, Role.REGIONAL},
    ),
    Action(
        2,
        "sportello",
        _("Territorial hub and online desk IG 4.0"),
        _("Antennas and local points, bookings of orientation sessions by channel."),
        STAFF,
        url_name="deskbo:calendar",
    ),
    Action(
        3,
        "patti",
        _("Youth pacts"),
        _("One youth pact per sub-area of the Piano di Zona: budget, activities, young people."),
        STAFF | {Role.PARTNER, Role.STEERING},
    ),
    Action(
        4,
        "job-club",
        _("At Nine: Job Club"),
        _("Job club paths of 20 hours in upper secondary schools."),
        STAFF | {Role.SCHOOL, Role.STEERING},
    ),
    Action(
        5,
        "percorsi",
        _("Together We Work"),
        _("Personalised paths into work of 3 to 24 hours, delivered by partner cooperatives."),
        STAFF | {Role.PARTNER},  # the steering committee sees its indicators only (action 7)
        url_name="placementsbo:path_list",
    ),
    Action(
        6,
        "job-fair",
        _("Job fair of the Cremasco"),
        _("The job fair: focus areas, exhibitors, registrations and check-ins."),
        STAFF | {Role.STEERING},
    ),
    Action(
        7,
        "governance",
        _("Governance and monitoring"),
        _("Steering committee: indicators against targets, meetings, monthly reports."),
        STAFF | {Role.STEERING, Role.REGIONAL},
        url_name="governance:dashboard",
    ),
)
ACTIONS_BY_SLUG = {action.slug: action for action in ACTIONS}


@dataclass(frozen=True)
class Section:
    title: Promise
    url_name: str
    roles: frozenset


SECTIONS = (
    Section(_("Territory"), "backoffice_territory", STAFF),
    Section(_("Organizations"), "backoffice_organization_list", STAFF),
    Section(_("My organization"), "backoffice_my_organization", frozenset({Role.PARTNER, Role.SCHOOL})),
    Section(_("Members"), "backoffice_member_list", frozenset({Role.HUB_ADMIN})),
    Section(_("Hub settings"), "backoffice_hub_update", frozenset({Role.HUB_ADMIN})),
)


def action_url(hub, action: Action) -> tuple[str, bool]:
    """The action's page and whether it is built; unbuilt actions show an honest empty state."""
    if action.url_name:
        try:
            return reverse(action.url_name, kwargs={"hub_slug": hub.slug}), True
        except NoReverseMatch:
            pass
    return reverse("backoffice_action", kwargs={"hub_slug": hub.slug, "action": action.slug}), False


def backoffice_sections(hub, role: str) -> dict:
    actions = []
    for action in ACTIONS:
        if role in action.roles:
            url, built = action_url(hub, action)
            actions.append({"action": action, "url": url, "built": built})
    sections = [
        {"title": s.title, "url": reverse(s.url_name, kwargs={"hub_slug": hub.slug})}
        for s in SECTIONS
        if role in s.roles
    ]
    return {"actions": actions, "sections": sections}


def section_tabs(hub, role: str, tabs, active: str) -> list[dict]:
    """An app's own tabs, given as (key, title, URL name, roles), for the user's role."""
    return [
        {
            "key": key,
            "title": title,
            "active": key == active,
            "url": reverse(url_name, kwargs={"hub_slug": hub.slug}),
        }
        for key, title, url_name, roles in tabs
        if role in roles
    ]
