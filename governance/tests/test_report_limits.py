"""Reports on demand cost a PDF each: one in the making per hub, a few an hour per member."""

import pytest
from django.urls import reverse

from governance import services
from governance.models import Report
from hubs.models import Role


@pytest.fixture
def world(module_world):
    """Built once for this module; each test is rolled back and starts from the world as built."""
    return module_world


def url(name, hub_data):
    return reverse(f"governance:{name}", kwargs={"hub_slug": hub_data.hub.slug})


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture(autouse=True)
def _one_window(one_rate_limit_window):
    """Every request of a test counts in the same rate-limit window."""


def test_a_second_report_while_one_is_in_the_making_is_refused(client, world):
    client.force_login(world.a.users[Role.STEERING])
    assert client.post(url("report_request", world.a)).status_code == 302
    response = client.post(url("report_request", world.a), follow=True)
    assert "already being prepared" in response.content.decode()
    assert Report.objects.for_hub(world.a.hub).count() == 1
    # another member of the hub is refused too; another hub is not affected
    client.force_login(world.a.users[Role.HUB_ADMIN])
    client.post(url("report_request", world.a))
    assert Report.objects.for_hub(world.a.hub).count() == 1
    client.force_login(world.b.users[Role.STEERING])
    client.post(url("report_request", world.b))
    assert Report.objects.for_hub(world.b.hub).count() == 1


def test_once_the_report_is_ready_or_failed_another_can_be_asked_for(world):
    first = services.report_request(hub=world.a.hub, by=None)
    Report.objects.filter(pk=first.pk).update(status=Report.Status.RUNNING)
    with pytest.raises(services.ReportError):
        services.report_request(hub=world.a.hub, by=None)
    Report.objects.filter(pk=first.pk).update(status=Report.Status.FAILED)
    second = services.report_request(hub=world.a.hub, by=None)
    Report.objects.filter(pk=second.pk).update(status=Report.Status.READY)
    assert services.report_request(hub=world.a.hub, by=None).pk not in {first.pk, second.pk}


def test_a_member_asking_for_report_after_report_gets_429(client, world):
    client.force_login(world.a.users[Role.STEERING])
    for _n in range(3):
        assert client.post(url("report_request", world.a)).status_code == 302
        Report.objects.for_hub(world.a.hub).update(status=Report.Status.READY)
    response = client.post(url("report_request", world.a))
    assert response.status_code == 429
    assert Report.objects.for_hub(world.a.hub).count() == 3
    # another member of the hub still can
    client.force_login(world.a.users[Role.HUB_ADMIN])
    assert client.post(url("report_request", world.a)).status_code == 302
    assert Report.objects.for_hub(world.a.hub).count() == 4
