"""
The pacts' co-design meetings and timeline photos: a meeting is planned, its lists kept among
the group's members, closed only with its minutes; "meetings held" counts closed meetings; the
young people involved stay counted once per pact; the public page shows the next meeting; the
photos are served through views that check the hub and the pact.
"""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hubs.models import Role
from pacts import indicators, selectors, services
from pacts.models import Pact, PactMember
from pacts.tests.factories import PNG_BYTES, meeting, photo, proposal, signed

pytestmark = pytest.mark.django_db


def bo(name, hub, **kwargs):
    return reverse(f"pactsbo:{name}", kwargs={"hub_slug": hub.slug, **kwargs})


def pub(name, hub, **kwargs):
    return reverse(f"pacts:{name}", kwargs={"hub_slug": hub.slug, **kwargs})


def member(pact, email, *, accepted=True) -> PactMember:
    return pact.members.create(
        hub=pact.hub,
        email=email,
        name=email.split("@")[0].title(),
        accepted_at=timezone.now() if accepted else None,
    )


@pytest.fixture
def pact(hub):
    return signed(hub)


@pytest.fixture
def hub(module_world):
    return module_world.a.hub


def test_a_meeting_is_planned_only_once_the_proposal_is_approved(hub, pact):
    with pytest.raises(ValidationError):
        meeting(proposal(hub))
    held = meeting(pact, time=None)
    assert held.pact == pact and not held.is_closed


def test_the_lists_hold_only_the_groups_accepted_members_and_who_came_is_registered(hub, pact):
    anna, bruno = member(pact, "anna@example.org"), member(pact, "bruno@example.org")
    invited = member(pact, "invitato@example.org", accepted=False)
    stranger = member(signed(hub), "altro@example.org")
    first = meeting(pact)
    for outsider in (invited, stranger):
        with pytest.raises(ValidationError):
            services.meeting_attendance_set(meeting=first, registered=[anna, outsider])
    services.meeting_attendance_set(meeting=first, registered=[anna], attended=[bruno])
    assert {(a.member_id, a.attended) for a in first.attendances.all()} == {
        (anna.pk, False),
        (bruno.pk, True),
    }
    services.meeting_attendance_set(meeting=first, registered=[], attended=[anna])  # the list replaces
    assert {(a.member_id, a.attended) for a in first.attendances.all()} == {(anna.pk, True)}


def test_a_meeting_closes_only_with_its_minutes_and_then_its_lists_are_frozen(pact):
    anna = member(pact, "anna@example.org")
    today = meeting(pact)
    with pytest.raises(ValidationError) as error:
        services.meeting_close(meeting=today, minutes="   ")
    assert "minutes" in error.value.message_dict
    later = meeting(pact, date=date.today() + timedelta(days=7))
    with pytest.raises(ValidationError):
        services.meeting_close(meeting=later, minutes="Verbale")
    services.meeting_close(meeting=today, minutes="Deciso il calendario.")
    today.refresh_from_db()
    assert today.is_closed and today.minutes == "Deciso il calendario."
    with pytest.raises(ValidationError):
        services.meeting_attendance_set(meeting=today, attended=[anna])
    with pytest.raises(ValidationError):
        services.meeting_close(meeting=today, minutes="Di nuovo")


def test_meetings_held_count_closed_meetings_and_young_people_count_once_per_pact(hub, pact):
    start, end = date.today() - timedelta(days=1), date.today() + timedelta(days=60)
    held_before = indicators.meetings_held(hub, start, end)
    people_before = indicators.young_people(hub, start, end)
    anna = member(pact, "anna@example.org")
    for minutes in ("Primo incontro", "Secondo incontro"):
        one = meeting(pact)
        services.meeting_attendance_set(meeting=one, attended=[anna])
        services.meeting_close(meeting=one, minutes=minutes)
    meeting(pact, date=date.today() + timedelta(days=10))  # planned, not held
    assert indicators.meetings_held(hub, start, end) == held_before + 2
    assert indicators.young_people(hub, start, end) == people_before + 1  # Anna, once
    assert selectors.figures_for([pact.pk])[pact.pk].young_people == pact.members.count()


def test_staff_plan_tick_and_close_a_meeting_and_the_public_page_shows_the_next_one(client, module_world):
    hub = module_world.a.hub
    pact = signed(hub)
    anna = member(pact, "anna@example.org")
    client.force_login(module_world.a.users[Role.OPERATOR])
    response = client.post(
        bo("meeting_create", hub, pk=pact.pk),
        {"date": date.today().strftime("%d/%m/%Y"), "time": "18:00", "place": "Oratorio", "agenda": "Serate"},
    )
    assert response.status_code == 302, response.context["form"].errors
    planned = pact.meetings.get()
    response = client.post(bo("meeting_attendance", hub, pk=planned.pk), {"attended": [anna.pk]})
    assert response.status_code == 302
    page = client.get(bo("pact_detail", hub, pk=pact.pk)).content.decode()
    assert "Oratorio" in page and 'data-lists="1/1"' in page  # who came is registered too
    public = client.get(pub("public_pact", hub, pk=pact.pk)).content.decode()
    assert 'data-figure="next-meeting">' in public and "Oratorio" in public and "Anna" not in public
    response = client.post(bo("meeting_close", hub, pk=planned.pk), {"minutes": ""})
    assert response.status_code == 200 and response.context["form"].errors
    client.post(bo("meeting_close", hub, pk=planned.pk), {"minutes": "Scelte le date."})
    planned.refresh_from_db()
    assert planned.is_closed
    assert client.get(bo("meeting_close", hub, pk=planned.pk)).context["applicable"] is False
    client.logout()
    public = client.get(pub("public_pact", hub, pk=pact.pk)).content.decode()
    assert (
        'data-figure="next-meeting">' not in public and 'data-figure="meetings-held" data-value="1"' in public
    )


def test_the_pact_page_costs_the_same_for_one_and_ten_meetings(
    client, module_world, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    hub = module_world.a.hub
    pact = signed(hub)
    anna = member(pact, "anna@example.org")
    services.meeting_attendance_set(meeting=meeting(pact), attended=[anna])
    client.force_login(module_world.a.users[Role.OPERATOR])
    url = bo("pact_detail", hub, pk=pact.pk)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(9):
        services.meeting_attendance_set(meeting=meeting(pact), registered=[anna])
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("data-meeting=") == 10


def test_timeline_photos_are_served_by_checking_views(client, module_world):
    hub, other = module_world.a.hub, module_world.b.hub
    pact = signed(hub)
    entry = services.timeline_add(pact=pact, date=date.today(), text="La piazza pulita", photo=photo())
    # in public, for a signed pact
    response = client.get(pub("public_photo", hub, pk=entry.pk))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG_BYTES
    assert (
        f'src="{pub("public_photo", hub, pk=entry.pk)}"'
        in client.get(pub("public_pact", hub, pk=pact.pk)).content.decode()
    )
    assert client.get(pub("public_photo", other, pk=entry.pk)).status_code == 404
    draft = proposal(hub)
    hidden = services.timeline_add(pact=draft, date=date.today(), text="Bozza", photo=photo())
    assert draft.state == Pact.State.DRAFT
    assert client.get(pub("public_photo", hub, pk=hidden.pk)).status_code == 404
    # in the back office, to those who may open the pact
    client.force_login(module_world.a.users[Role.OPERATOR])
    assert client.get(bo("timeline_photo", hub, pk=hidden.pk)).status_code == 200
    client.force_login(module_world.a.users[Role.PARTNER])  # the draft does not name its organization
    assert client.get(bo("timeline_photo", hub, pk=hidden.pk)).status_code == 404
