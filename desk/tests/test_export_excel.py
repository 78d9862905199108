"""The desk's export opens right in Italian Excel: date cells, an autofilter, `;`, a "last month" preset."""

import csv
import io
from datetime import datetime, time, timedelta

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from desk.tests.factories import BookingFactory, SlotFactory
from hubs.models import Role
from people.models import PersonHub

pytestmark = pytest.mark.django_db


def export_url(hub):
    return reverse("deskbo:export", kwargs={"hub_slug": hub.slug})


@time_machine.travel(datetime(2026, 3, 10, 9, 0), tick=False)
def test_last_month_exports_last_months_bookings_with_date_cells(client, world):
    hub = world.a.hub
    starts = timezone.make_aware(datetime(2026, 2, 27, 9, 30))
    slot = SlotFactory(service=world.a.service, operator=world.a.slot.operator, starts_at=starts)
    booking = BookingFactory(slot=slot)
    PersonHub.objects.create(person=booking.person, hub=hub)
    march = SlotFactory(
        service=world.a.service, operator=world.a.slot.operator, starts_at=starts + timedelta(days=5)
    )
    BookingFactory(slot=march)
    client.force_login(world.a.users[Role.OPERATOR])

    response = client.get(export_url(hub), {"period": "last_month", "format": "xlsx"})
    assert response["Content-Disposition"].endswith('_2026-02-01_2026-02-28.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.auto_filter.ref == f"A1:O{sheet.max_row}"
    rows = list(sheet.iter_rows(min_row=2))
    assert [row[0].value for row in rows] == [booking.pk]  # March's booking is not last month's
    day, hour = rows[0][1], rows[0][2]
    assert day.is_date and day.value == datetime(2026, 2, 27) and day.number_format == "DD/MM/YYYY"
    assert hour.is_date and hour.value == time(9, 30)

    text = client.get(export_url(hub), {"period": "last_month", "format": "csv"}).content.decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert header[:3] == ["Prenotazione", "Data", "Ora"]
    assert row[:3] == [str(booking.pk), "27/02/2026", "09:30"]


def test_the_form_offers_the_last_month_preset(client, world):
    client.force_login(world.a.users[Role.OPERATOR])
    page = client.get(export_url(world.a.hub)).content.decode()
    assert 'value="last_month"' in page and "Mese scorso" in page


def test_without_a_preset_the_dates_are_needed(client, world):
    client.force_login(world.a.users[Role.OPERATOR])
    response = client.get(export_url(world.a.hub), {"period": "", "format": "csv"})
    assert response.status_code == 200 and "Content-Disposition" not in response
    assert {"starts_on", "ends_on"} <= set(response.context["form"].errors)
