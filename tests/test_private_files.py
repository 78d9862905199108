"""
Stored files (the monitoring reports) leave only through the views that check the hub and the
role: MEDIA_URL is routed nowhere, with DEBUG on as in production, and what the views send is an
attachment that no cache keeps.
"""

import importlib

import pytest
from django.core.files.base import ContentFile
from django.urls import clear_url_caches, reverse

from governance.models import Report
from governance.tests.factories import ReportFactory
from hubs.models import Role
from people.tests.factories import UserFactory


@pytest.fixture
def world(module_world):
    """Built once for this module; each test is rolled back and starts from the world as built."""
    return module_world


PDF = b"%PDF-1.4\n% the committee's numbers\n"


@pytest.fixture
def stored_report(world):
    """A ready report of hub A, its PDF in the file storage."""
    report = ReportFactory(snapshot__hub=world.a.hub)
    report.file.save("monitoraggio.pdf", ContentFile(PDF), save=False)
    report.status = Report.Status.READY
    report.save()
    yield report
    report.file.delete(save=False)


@pytest.fixture
def urls_with_debug(settings):
    """The URLconf as `runserver` builds it with DEBUG on (put back as it was afterwards)."""
    import young_in_progress.urls

    settings.DEBUG = True
    importlib.reload(young_in_progress.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(young_in_progress.urls)
    clear_url_caches()


def test_no_url_serves_the_storage_even_with_debug_on(client, world, stored_report, urls_with_debug):
    path = stored_report.file.url
    assert path.startswith("/media/reports/")
    assert client.get(path).status_code != 200  # anonymous
    people = [
        UserFactory(),  # any young person with an account
        world.b.users[Role.HUB_ADMIN],  # another hub's coordinator
        world.a.users[Role.HUB_ADMIN],  # even the report's own hub: through the view only
    ]
    for user in people:
        client.force_login(user)
        response = client.get(path)
        assert response.status_code == 404, user
        assert PDF not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_the_download_view_sends_a_private_attachment(client, world, stored_report):
    client.force_login(world.a.users[Role.STEERING])
    response = client.get(
        reverse("governance:report_download", kwargs={"hub_slug": world.a.hub.slug, "pk": stored_report.pk})
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_path_sheet_is_kept_by_no_cache(client, world):
    client.force_login(world.a.users[Role.HUB_ADMIN])
    response = client.get(
        reverse("placementsbo:path_sheet", kwargs={"hub_slug": world.a.hub.slug, "pk": world.a.path.pk})
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
