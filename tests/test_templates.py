"""
One house for the apps' pages: the back-office sections (desk, Together We Work, governance)
share one layout (hubs/backoffice_section.html), their form pages one form
(includes/form_page.html), every status one badge (includes/status_badge.html) whose colour
static/css/site.css gives once for all apps, and the hubs' public pages one base
(hubs/public_base.html).
"""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from desk.models import Booking
from governance.models import Decision, Meeting, Report
from governance.templatetags.governance import STATUS_LABELS
from hubs.models import Role
from jobclub.models import Path as JobClubPath
from jobclub.models import RegisterStatus
from placements.models import Path

pytestmark = pytest.mark.django_db

SITE_CSS = settings.BASE_DIR / "static" / "css" / "site.css"


def coloured_statuses() -> set[str]:
    """The status codes to which site.css gives a background (selectors `.status-<code>`)."""
    found = set()
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", SITE_CSS.read_text()):
        if "background" in body:
            found |= set(re.findall(r"\.status-([a-z_]+)", selectors))
    return found


def templates_of(response) -> set[str]:
    return {t.name for t in response.templates}


def test_every_status_a_page_shows_has_its_colour():
    """A status without its colour would be white words on the page's white: unreadable."""
    shown = (
        set(Booking.Status.values)
        | set(Path.Status.values)
        | set(Report.Status.values)
        | set(Decision.Status.values)
        | set(STATUS_LABELS)
        | {"overdue"}
        | set(JobClubPath.Status.values)
        | set(RegisterStatus.values)
    )
    assert shown - coloured_statuses() == set()


def test_a_status_looks_the_same_in_every_app(client, world):
    a = world.a
    meeting = Meeting.objects.create(
        hub=a.hub, date="2023-01-20", attendees="Anna Rossi", agenda="Indicatori"
    )
    Decision.objects.create(
        hub=a.hub, meeting=meeting, text="Call the schools", owner_name="Anna", due_on="2099-01-01"
    )
    client.force_login(a.users[Role.HUB_ADMIN])
    booking = client.get(
        reverse("deskbo:booking_detail", kwargs={"hub_slug": a.hub.slug, "pk": a.booking.pk})
    )
    path = client.get(reverse("placementsbo:path_detail", kwargs={"hub_slug": a.hub.slug, "pk": a.path.pk}))
    decisions = client.get(
        reverse("governance:meeting_detail", kwargs={"hub_slug": a.hub.slug, "pk": meeting.pk})
    )
    badge = '<span class="status-badge status-{0}" data-status="{0}">{1}'
    assert badge.format(a.booking.status, a.booking.get_status_display()) in booking.content.decode()
    # "open" is the same badge for a Together We Work path and for a decision of the committee
    assert badge.format("open", _("Open")) in path.content.decode()
    assert badge.format("open", _("Open")) in decisions.content.decode()
    for response in (booking, path, decisions):
        assert "includes/status_badge.html" in templates_of(response)


SECTIONS = [
    ("deskbo:calendar", Role.OPERATOR, "Online desk"),
    ("placementsbo:path_list", Role.PARTNER, "Together We Work"),
    ("governance:dashboard", Role.STEERING, "Governance and monitoring"),
]


@pytest.mark.parametrize(("name", "role", "section"), SECTIONS, ids=[s for _n, _r, s in SECTIONS])
def test_each_section_has_its_named_tabs_in_the_one_section_layout(client, world, name, role, section):
    a = world.a
    client.force_login(a.users[role])
    url = reverse(name, kwargs={"hub_slug": a.hub.slug})
    response = client.get(url)
    assert response.status_code == 200
    assert "hubs/backoffice_section.html" in templates_of(response)
    html = response.content.decode()
    tabs = re.search(rf'<nav class="section-tabs mb-3" aria-label="{_(section)}">(.*?)</nav>', html, re.S)
    assert tabs, f"no tabs named {_(section)!r}"
    current = re.findall(r'<a class="nav-link[^"]*active" href="([^"]+)" aria-current="page">', tabs.group(1))
    assert current == [url]
    assert (
        response.context["page_title"] and f"<title>{response.context['page_title']} · {a.hub.name}" in html
    )


FORM_PAGES = [
    ("deskbo:service_create", {}),
    ("placementsbo:activity_create", {"pk": "path"}),
    ("governance:plan_update", {}),
    ("backoffice_antenna_create", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), FORM_PAGES, ids=[n for n, _k in FORM_PAGES])
def test_form_pages_of_every_app_share_one_form(client, world, name, kwargs):
    a = world.a
    client.force_login(a.users[Role.HUB_ADMIN])
    url = reverse(name, kwargs={"hub_slug": a.hub.slug, **{k: getattr(a, v).pk for k, v in kwargs.items()}})
    response = client.post(url, {})
    assert response.status_code == 200  # the form again, with its errors
    assert "includes/form_page.html" in templates_of(response)
    html = response.content.decode()
    assert 'class="invalid-feedback d-block"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'<a href="{response.context["cancel_url"]}" class="btn btn-outline-primary ms-2">' in html


def test_a_form_that_only_downloads_sends_no_token_and_offers_no_cancel(client, world):
    client.force_login(world.a.users[Role.OPERATOR])
    response = client.get(reverse("deskbo:export", kwargs={"hub_slug": world.a.hub.slug}))
    assert "includes/form_page.html" in templates_of(response)
    html = response.content.decode()
    form = re.search(r'<form method="get" novalidate class="mt-4 max-w-32"[^>]*>(.*?)</form>', html, re.S)
    assert form, "the export form asks with GET"
    assert "csrfmiddlewaretoken" not in form.group(1)
    assert _("Cancel") not in form.group(1)


def test_public_pages_of_the_desk_and_of_together_we_work_share_one_base(client, world):
    hub = world.a.hub
    desk = client.get(reverse("desk:book_service", kwargs={"hub_slug": hub.slug}))
    confirm = client.get(
        reverse("placements:activity_confirm", kwargs={"hub_slug": hub.slug, "token": "not-a-token"})
    )
    for response, crumb, column in (
        (desk, _("Book a session"), "desk-page"),
        (confirm, _("Confirm an activity"), "twk-public"),
    ):
        assert "hubs/public_base.html" in templates_of(response)
        html = response.content.decode()
        hub_crumb = f'<a href="{reverse("hub_public", kwargs={"hub_slug": hub.slug})}">{hub.name}</a>'
        assert hub_crumb in html
        assert f'<li class="breadcrumb-item active" aria-current="page">{crumb}</li>' in html
        assert f'<div class="{column}">' in html
