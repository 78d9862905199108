"""The path sheet PDF: what a cooperative hands to the funder, read back as text."""

import io
import os
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from hubs.models import Role
from placements import pdf, services
from placements.models import ActivityKind
from placements.tests.factories import log

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world):
    """Built once for this module; each test is rolled back and starts from the world as built."""
    return module_world


@pytest.fixture
def full_path(world):
    """Hub A's open path with a plan, a longer log (one activity confirmed), then closed."""
    path = world.a.path
    services.plan_save(
        path=path,
        goals="Trovare un lavoro nella logistica, con un contratto.",
        lines=[
            {"kind": ActivityKind.INTAKE, "hours": "1", "description": ""},
            {"kind": ActivityKind.COACHING, "hours": "4.5", "description": "Incontri settimanali"},
            {"kind": ActivityKind.CV, "hours": "2", "description": ""},
        ],
    )
    operator = world.a.users[Role.PARTNER]
    log(path, 1.75, days_ago=3, kind=ActivityKind.CV, by=operator)
    confirmed = log(path, 1, days_ago=2, kind=ActivityKind.INTAKE, by=operator)
    services.activity_confirm(activity=confirmed)
    services.path_close(
        path=path, outcome="employed", contract_kind="apprenticeship", closed_on=timezone.localdate()
    )
    path.refresh_from_db()
    return path


def text_of(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_sheet_has_hours_activities_and_cooperative(world, full_path):
    content = pdf.path_sheet(path=full_path, language="en")
    assert content.startswith(b"%PDF")
    if os.environ.get("PLACEMENTS_SHEET_OUT"):  # to look at it: pdftoppm -png -r 60 FILE /tmp/sheet
        with open(os.environ["PLACEMENTS_SHEET_OUT"], "wb") as out:
            out.write(content)
    text = text_of(content)
    assert "Together We Work" in text
    assert f"Path #{full_path.pk}" in text
    assert world.a.cooperative.name in text
    assert str(full_path.person) in text
    assert full_path.person.email not in text  # name and year of birth only
    assert "4.75 h" in text  # delivered: 2 + 1.75 + 1
    assert "7.5 h" in text  # planned
    assert "Skills assessment" not in text and "CV and interview preparation" in text
    assert "Intake interview" in text and "Coaching" in text
    assert "Apprenticeship" in text
    for who in ("The young person", "The cooperative's operator", "The hub's coordinator"):
        assert who in text
    day = (timezone.localdate() - timedelta(days=3)).strftime("%d/%m/%Y")
    assert day in text


def test_the_sheet_is_in_italian_by_default(world, full_path):
    text = text_of(pdf.path_sheet(path=full_path))
    assert "4,75 h" in text  # Italian decimals


def test_the_sheet_downloads_for_the_cooperatives_partner(client, world, full_path):
    client.force_login(world.a.users[Role.PARTNER])
    response = client.get(
        reverse("placementsbo:path_sheet", kwargs={"hub_slug": world.a.hub.slug, "pk": full_path.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert world.a.cooperative.name in text_of(response.content)
