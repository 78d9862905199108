"""The shared export writer: text that starts like a formula is neutralised, numbers are not."""

import csv
import io
from datetime import UTC, date, datetime, time

import openpyxl
import pytest

from hubs import exports


def written(rows: list[list], fmt: str) -> list[list]:
    data = exports.dataset(["A", "B", "C", "D"], title="A sheet whose title is far too long for Excel")
    for row in rows:
        data.append(row)
    response = exports.response(data, format=fmt, filename="test")
    assert response["Content-Disposition"] == f'attachment; filename="test.{fmt}"'
    if fmt == "csv":
        assert response.content.startswith("\ufeff".encode())
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))[1:]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert len(sheet.title) <= 31
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    return [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_formula_start_is_written_as_text(fmt):
    typed = ["=1+2", "+1+2", "-2+3", "@SUM(1)", "\t=1+2", "\r=1+2", '=HYPERLINK("http://x")', "safe"]
    rows = written([[value, "", "", ""] for value in typed], fmt)
    expected = ["'" + value for value in typed[:-1]] + ["safe"]
    if fmt == "xlsx":  # XML reads a carriage return back as a line feed
        expected = [value.replace("\r", "\n") for value in expected]
    assert [row[0] for row in rows] == expected


def test_numbers_stay_numbers_and_negative_numbers_are_not_text():
    rows = written([[-2, -2.5, 0, 12]], "xlsx")
    assert rows == [[-2, -2.5, 0, 12]]
    assert written([[-2, -2.5, 0, 12]], "csv") == [["-2", "-2,5", "0", "12"]]  # Italian decimal comma


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_control_characters_a_spreadsheet_cannot_hold_do_not_break_the_file(fmt):
    rows = written([["Sportello\x01\x08 Crema", "a\x00b", "ok", 1]], fmt)
    assert rows[0][:2] == ["Sportello Crema", "ab"]


def test_an_xlsx_has_date_cells_in_italian_order_and_an_autofilter():
    data = exports.dataset(["Day", "Time", "Moment", "Name"], title="Dates")
    moment = datetime(2026, 3, 31, 22, 30, tzinfo=UTC)  # 1 April 00:30 in Rome (summer time)
    data.append([date(2026, 12, 31), time(9, 30), moment, "Anna"])
    response = exports.response(data, format="xlsx", filename="dates")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    day, hour, when, _name = sheet[2]
    assert day.is_date and day.value == datetime(2026, 12, 31) and day.number_format == "DD/MM/YYYY"
    assert hour.is_date and hour.value == time(9, 30) and hour.number_format == "HH:MM"
    assert when.value == datetime(2026, 4, 1, 0, 30)  # local time: the cell has no zone
    assert sheet.auto_filter.ref == "A1:D2" and sheet.freeze_panes == "A2"


def test_a_csv_for_italian_excel_uses_semicolons_a_bom_and_italian_dates():
    data = exports.dataset(["Giorno", "Nome", "Ore"], title="Date")
    data.append([date(2026, 12, 31), "Rossi, Anna", 1.5])
    content = exports.response(data, format="csv", filename="date").content
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    assert text.splitlines() == ["Giorno;Nome;Ore", "31/12/2026;Rossi, Anna;1,5"]
    machine = exports.response(data, format="csv", filename="date", excel=False).content.decode("utf-8-sig")
    assert machine.splitlines()[1] == '2026-12-31,"Rossi, Anna",1.5'
