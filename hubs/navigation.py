"""
The portal's menus, a registry in the shared layer: the back office's map (the seven project
actions and the hub's sections), each app's own tabs, the buttons of a hub's public page and
the links of a signed-in person's own area.

The shared layer names no app's URL: each app registers its entries in `<app>/navigation.py`
(imported at start-up by hubs.apps, like `indicators` and `personal_data`), and hubs registers
its own at the end of this module. A back-office entry is shown to a member who may open its
page: the menu reads the capability the page's view declares (`permission`), so who sees a
link and who may follow it are one rule, written on the view (hubs/capabilities.py says which
roles hold it).

Three more registries serve the staff's working day: `task_link` (the menu named by task —
desk, calendar, people, enquiries — above the project actions), `landing_page` (where signing in
lands for a member who may open it: the operator's "today") and `due_source` (what is due
today from an app the landing page may not import, e.g. Together We Work's follow-ups).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.urls import NoReverseMatch, resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Action:
    number: int
    slug: str
    title: Promise
    summary: Promise
    # who sees the action, and opens its page; once an app registers the page (`action_page`),
    # that page's view asks for the same capability (a test holds them equal)
    capability: str


# The project plan's seven actions: the project's map, whatever apps exist.
ACTIONS = (
    Action(
        1,
        "rete",
        _("Regional coordinated system"),
        _("Hubs of the network, shared tools and models, referrals between hubs."),
        "hubs.view_regional_system",
    ),
    Action(
        2,
        "sportello",
        _("Territorial hub and online desk IG 4.0"),
        _("Antennas and local points, bookings of orientation sessions by channel."),
        "desk.manage",
    ),
    Action(
        3,
        "patti",
        _("Youth pacts"),
        _("One youth pact per sub-area of the Piano di Zona: budget, activities, young people."),
        "pacts.view",
    ),
    Action(
        4,
        "job-club",
        _("At Nine: Job Club"),
        _("Job club paths of 20 hours in upper secondary schools."),
        "jobclub.view",
    ),
    Action(
        5,
        "percorsi",
        _("Together We Work"),
        _("Personalised paths into work of 3 to 24 hours, delivered by partner cooperatives."),
        "placements.view_paths",  # the steering committee sees its indicators only (action 7)
    ),
    Action(
        6,
        "job-fair",
        _("Job fair of the Cremasco"),
        _("The job fair: focus areas, exhibitors, registrations and check-ins."),
        "jobfair.view",
    ),
    Action(
        7,
        "governance",
        _("Governance and monitoring"),
        _("Steering committee: indicators against targets, meetings, monthly reports."),
        "governance.view_dashboard",
    ),
)
ACTIONS_BY_SLUG = {action.slug: action for action in ACTIONS}
ACTIONS_BY_NUMBER = {action.number: action for action in ACTIONS}


@dataclass(frozen=True)
class Link:
    title: Promise
    url_name: str
    primary: bool = False


# What the apps registered: an action's page (URL name, kwarg hub_slug) by action number, and
# links by place, keyed by URL name so that registering twice changes nothing.
ACTION_PAGES: dict[int, str] = {}
SECTIONS: dict[str, Link] = {}  # the hub's back-office sections (kwarg hub_slug)
HUB_LINKS: dict[str, Link] = {}  # buttons of a hub's public page (kwarg hub_slug)
PERSONAL_LINKS: dict[str, Link] = {}  # a signed-in person's own area, when they are no hub's member
TASK_LINKS: dict[str, Link] = {}  # the back office's menu by task (kwarg hub_slug)
LANDING_PAGES: list[str] = []  # where signing in lands, the first the member may open (kwarg hub_slug)


@dataclass(frozen=True)
class DueSource:
    """
    What an app has due today for a member: `items(hub, membership, day)` returns a list of
    dicts with "title", "detail" and "url", in a bounded number of queries, only of what the
    member may open; the member sees the source only with `capability`.
    """

    key: str
    title: Promise
    capability: str
    items: Callable


DUE_SOURCES: dict[str, DueSource] = {}


def action_page(number: int, url_name: str) -> None:
    """The back-office page of project action `number`, once its app exists."""
    if number not in ACTIONS_BY_NUMBER:
        raise ValueError(f"There is no project action {number}.")
    ACTION_PAGES[number] = url_name


def section(title: Promise, url_name: str) -> None:
    SECTIONS[url_name] = Link(title, url_name)


def hub_link(title: Promise, url_name: str, *, primary: bool = False) -> None:
    HUB_LINKS[url_name] = Link(title, url_name, primary)


def personal_link(title: Promise, url_name: str) -> None:
    PERSONAL_LINKS[url_name] = Link(title, url_name)


def task_link(title: Promise, url_name: str) -> None:
    TASK_LINKS[url_name] = Link(title, url_name)


def landing_page(url_name: str) -> None:
    if url_name not in LANDING_PAGES:
        LANDING_PAGES.append(url_name)


def due_source(key: str, *, title: Promise, capability: str):
    """Register `function(hub, membership, day) -> list[dict]` as what is due today from an app."""

    def register(function):
        DUE_SOURCES[key] = DueSource(key, title, capability, function)
        return function

    return register


# --- Reading the registry -------------------------------------------------------------------


@cache
def page_permission(url_name: str) -> str:
    """The capability the back-office page `url_name` (kwarg hub_slug) asks for: its view's."""
    match = resolve(reverse(url_name, kwargs={"hub_slug": "hub"}))
    page = match.func.view_class(**match.func.view_initkwargs)
    page.kwargs = match.kwargs
    return page.get_permission()


def action_url(hub, action: Action) -> tuple[str, bool]:
    """The action's page and whether it is built; unbuilt actions show an honest empty state."""
    if url_name := ACTION_PAGES.get(action.number):
        try:
            return reverse(url_name, kwargs={"hub_slug": hub.slug}), True
        except NoReverseMatch:
            pass
    return reverse("backoffice_action", kwargs={"hub_slug": hub.slug, "action": action.slug}), False


def backoffice_sections(hub, membership) -> dict:
    """The back office's menu for this member: the actions and the sections they may open."""
    actions = []
    for action in ACTIONS:
        if membership.can(action.capability):
            url, built = action_url(hub, action)
            actions.append({"action": action, "url": url, "built": built})
    sections = [
        {"title": link.title, "url": reverse(link.url_name, kwargs={"hub_slug": hub.slug})}
        for link in SECTIONS.values()
        if membership.can(page_permission(link.url_name))
    ]
    tasks = [
        {"title": link.title, "url": reverse(link.url_name, kwargs={"hub_slug": hub.slug})}
        for link in TASK_LINKS.values()
        if membership.can(page_permission(link.url_name))
    ]
    return {"actions": actions, "sections": sections, "tasks": tasks}


def landing_url(hub, membership) -> str:
    """Where a member of the hub lands after signing in: the first landing page they may open."""
    for url_name in LANDING_PAGES:
        if membership.can(page_permission(url_name)):
            return reverse(url_name, kwargs={"hub_slug": hub.slug})
    return reverse("backoffice_dashboard", kwargs={"hub_slug": hub.slug})


def due_today(hub, membership, day) -> list[dict]:
    """What the registered apps have due for this member today, one group per source they may see."""
    groups = []
    for source in DUE_SOURCES.values():
        if membership.can(source.capability):
            groups.append(
                {"key": source.key, "title": source.title, "items": source.items(hub, membership, day)}
            )
    return groups


def section_tabs(hub, membership, tabs, active: str) -> list[dict]:
    """An app's own tabs, given as (key, title, URL name), those the member may open."""
    return [
        {
            "key": key,
            "title": title,
            "active": key == active,
            "url": reverse(url_name, kwargs={"hub_slug": hub.slug}),
        }
        for key, title, url_name in tabs
        if membership.can(page_permission(url_name))
    ]


def hub_links(hub) -> list[dict]:
    return [
        {
            "title": link.title,
            "url": reverse(link.url_name, kwargs={"hub_slug": hub.slug}),
            "primary": link.primary,
        }
        for link in HUB_LINKS.values()
    ]


def personal_links() -> list[dict]:
    return [{"title": link.title, "url": reverse(link.url_name)} for link in PERSONAL_LINKS.values()]


# --- The hub's own sections -----------------------------------------------------------------

section(_("Territory"), "backoffice_territory")
section(_("Organizations"), "backoffice_organization_list")
section(_("My organization"), "backoffice_my_organization")
section(_("Members"), "backoffice_member_list")
section(_("Hub settings"), "backoffice_hub_update")

# The network level (action 1): its page, and the regional catalogue for young people.
action_page(1, "network:overview")
personal_link(_("Services of every hub of the network"), "catalogue")
personal_link(_("My journey"), "my_journey")
