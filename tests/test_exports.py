"""
Every export of the portal (desk bookings, Together We Work paths and activities, governance
indicators of the hub and of the network), in CSV and XLSX: a value someone typed that starts
like a formula arrives as text, never as a live formula.
"""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from desk.models import Booking, Channel
from desk.tests.factories import BookingFactory, SlotFactory
from hubs.exports import FORMULA_STARTS
from hubs.models import Role

pytestmark = pytest.mark.django_db

LINK, SUM, ARITHMETIC = '=HYPERLINK("http://x")', "@SUM(1)", "-2+3"


def cells(response, fmt: str) -> list[list]:
    """The file's cells, as a spreadsheet app reads them; an XLSX formula cell fails at once."""
    if fmt == "csv":
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = []
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"
        rows.append([cell.value for cell in row])
    return rows


def assert_no_formula(rows: list[list], *typed: str) -> None:
    texts = [value for row in rows for value in row if isinstance(value, str)]
    live = [value for value in texts if value.startswith(FORMULA_STARTS)]
    assert not live, f"cells that a spreadsheet would run: {live}"
    for value in typed:  # what was typed is still there, as text
        assert any(text.startswith("'" + value) for text in texts), f"{value!r} is missing"


def as_admin(client, hub_data):
    client.force_login(hub_data.users[Role.HUB_ADMIN])
    return client


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_desk_export_writes_typed_formulas_as_text(client, world, fmt):
    a = world.a
    a.service.name = LINK
    a.service.save()
    a.antenna.name = SUM
    a.antenna.save()
    operator = a.booking.slot.operator
    operator.first_name, operator.last_name = ARITHMETIC, ""
    operator.save()
    Booking.objects.filter(pk=a.booking.pk).update(antenna=a.antenna)
    day = timezone.localdate(a.booking.slot.starts_at)
    response = as_admin(client, a).get(
        reverse("deskbo:export", kwargs={"hub_slug": a.hub.slug}),
        {"starts_on": day - timedelta(days=1), "ends_on": day + timedelta(days=1), "format": fmt},
    )
    assert response.status_code == 200
    rows = cells(response, fmt)
    assert len(rows) == 2
    assert_no_formula(rows, LINK, SUM, ARITHMETIC)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("what", ["paths", "activities"])
def test_placements_exports_write_typed_formulas_as_text(client, world, fmt, what):
    world.a.cooperative.name = LINK
    world.a.cooperative.save()
    response = as_admin(client, world.a).get(
        reverse("placementsbo:export", kwargs={"hub_slug": world.a.hub.slug}), {"what": what, "format": fmt}
    )
    assert response.status_code == 200
    rows = cells(response, fmt)
    assert len(rows) > 1
    assert_no_formula(rows, *([LINK] if what == "paths" else []))
    if what == "activities" and fmt == "xlsx":  # hours stay numbers a spreadsheet can sum
        assert all(isinstance(row[3], int | float) for row in rows[1:])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("scope", ["hub", "network"])
def test_governance_exports_write_typed_formulas_as_text(client, world, fmt, scope):
    """An antenna's name is a label of the "sessions by antenna" breakdown."""
    a = world.a
    a.antenna.name = SUM
    a.antenna.save()
    slot = SlotFactory(
        service=a.service,
        channel=Channel.ANTENNA,
        antenna=a.antenna,
        capacity=8,
        starts_at=timezone.now() - timedelta(days=5),
    )
    for _n in range(8):
        BookingFactory(slot=slot, antenna=a.antenna, status=Booking.Status.ATTENDED)
    response = as_admin(client, a).get(
        reverse("governance:export", kwargs={"hub_slug": a.hub.slug}), {"scope": scope, "format": fmt}
    )
    assert response.status_code == 200
    rows = cells(response, fmt)
    assert_no_formula(rows, SUM)
