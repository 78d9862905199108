"""The job club in the REST API: a school's token reads its own school's paths alone."""

import pytest

from hubs.models import Role
from hubs.restapi.tests.helpers import api, client_with, token_for
from jobclub.models import Attendance, Student

from .factories import make_path, school_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world):
    return module_world


def ids(client, url) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_a_schools_token_reads_only_its_schools_paths_sessions_and_registers(world):
    hub = world.a.hub
    other = make_path(hub, school_for(hub), by=world.a.users[Role.OPERATOR])
    _token, secret = token_for(world.a, Role.SCHOOL)
    school = client_with(secret)
    assert ids(school, api(f"hubs/{hub.slug}/jobclub-paths/")) == {world.a.jobclub_path.pk}
    assert school.get(api(f"hubs/{hub.slug}/jobclub-paths/{other.pk}/")).status_code == 404
    assert ids(school, api(f"hubs/{hub.slug}/jobclub-sessions/")) == {world.a.jobclub_session.pk}
    lines = school.get(api(f"hubs/{hub.slug}/jobclub-attendances/")).json()["results"]
    assert [(line["student"]["last_name"], line["session"]) for line in lines] == [
        ("Bianchi", world.a.jobclub_session.pk)
    ]
    _token, staff_secret = token_for(world.a, Role.OPERATOR)
    assert ids(client_with(staff_secret), api(f"hubs/{hub.slug}/jobclub-paths/")) == {
        world.a.jobclub_path.pk,
        other.pk,
    }


def test_the_steering_committee_reads_no_students(world):
    _token, secret = token_for(world.a, Role.STEERING)
    response = client_with(secret).get(api(f"hubs/{world.a.hub.slug}/jobclub-attendances/"))
    assert response.status_code == 403


@pytest.mark.parametrize("count", [10, 1000])
def test_a_register_page_costs_the_same_queries_for_10_and_1000_lines(
    world, count, django_assert_num_queries
):
    session = world.a.jobclub_session
    students = Student.objects.bulk_create(
        Student(
            hub=world.a.hub,
            path=session.path,
            first_name="S",
            last_name=f"N{n}",
            class_name="4A",
            birth_year=2009,
        )
        for n in range(count)
    )
    Attendance.objects.bulk_create(
        Attendance(hub=world.a.hub, session=session, student=student, status="present", minutes=120)
        for student in students
    )
    _token, secret = token_for(world.a, Role.OPERATOR)
    client = client_with(secret)
    url = api(f"hubs/{world.a.hub.slug}/jobclub-attendances/?limit=5")
    client.get(url)  # last use recorded: later calls in the minute write nothing
    with django_assert_num_queries(2):  # the token with its hub, the page with its students
        body = client.get(url).json()
    assert len(body["results"]) == 5 and body["next"]
