"""
Spreadsheet exports (CSV or XLSX): every export of the portal leaves through here, written so
that it opens right in Italian Excel.

- XLSX (openpyxl): dates, times and moments are real date cells (shown as 31/12/2026, 09:30,
  31/12/2026 09:30, so they sort and filter as dates), numbers stay numbers, the header row is
  bold and frozen and carries an autofilter.
- CSV: separated by `;` (Italian Excel reads `,` as the decimal mark, so a comma-separated file
  opens in one column), starting with a UTF-8 byte-order mark (so accents survive), dates as
  31/12/2026 and decimals with a comma, as Excel set to Italian expects. An open-data file meant
  for programs (the observatory's) asks for `excel=False`: `,`, ISO dates, decimal point.

What people typed travels in these files (a service's, an antenna's or a cooperative's name, an
indicator's title). A text that starts like a formula would run as one when the file is opened
in a spreadsheet app ("CSV injection": `=HYPERLINK(…)` sends data away, `=cmd|…` starts
programs). As OWASP recommends (https://owasp.org/www-community/attacks/CSV_Injection), a text
cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading single quote,
so it is shown as the text it is. Numbers stay numbers (a negative number is not text), and
characters an XLSX file cannot hold (control characters) are dropped, so no typed value can
break the file. The neutralising happens when the file is written, whatever built the dataset.
"""

import csv
import io
from datetime import date, datetime, time
from decimal import Decimal

import tablib
from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CSV, XLSX = "csv", "xlsx"
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_MAX = 31  # Excel's limit on a sheet's name
CSV_DELIMITER = ";"  # what Excel set to Italian splits a CSV on
# Excel number formats of the date cells (Italian order); CSV writes the same as text.
DATE_FORMAT, TIME_FORMAT, MOMENT_FORMAT = "DD/MM/YYYY", "HH:MM", "DD/MM/YYYY HH:MM"
CSV_DATE, CSV_TIME, CSV_MOMENT = "%d/%m/%Y", "%H:%M", "%d/%m/%Y %H:%M"


def neutralise(value):
    """A cell as it may be written: text that would start a formula gets a leading quote."""
    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def local(value):
    """A moment in the portal's time zone, without a zone (a spreadsheet cell has none)."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def dataset(headers: list, *, title: str) -> tablib.Dataset:
    """
    An empty sheet with its column headers; rows are appended as lists of cells. Put dates,
    times and moments in as `date`, `time` and `datetime` (aware ones are shown in local time),
    not as text: the writer makes them date cells.
    """
    return tablib.Dataset(headers=headers, title=str(title)[:SHEET_TITLE_MAX])


def _xlsx(headers: list, rows: list[list], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title or "Sheet"
    widths: dict[int, int] = {}
    if headers:
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for index, header in enumerate(headers, start=1):
            widths[index] = len(str(header))
    for row in rows:
        sheet.append([local(value) for value in row])
        for index, value in enumerate(row, start=1):
            widths[index] = max(widths.get(index, 0), len(str(value)) if value is not None else 0)
    for column in sheet.iter_cols(min_row=2 if headers else 1):
        for cell in column:
            if isinstance(cell.value, datetime):
                cell.number_format = MOMENT_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, time):
                cell.number_format = TIME_FORMAT
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 10), 60)
    if headers and sheet.max_column:
        sheet.auto_filter.ref = f"A1:{get_column_letter(sheet.max_column)}{max(sheet.max_row, 1)}"
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv_cell(value, *, excel: bool):
    """A value as CSV text: Italian dates and decimal commas for Excel, ISO for programs."""
    value = local(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime):
        return value.strftime(CSV_MOMENT) if excel else value.isoformat()
    if isinstance(value, date):
        return value.strftime(CSV_DATE) if excel else value.isoformat()
    if isinstance(value, time):
        return value.strftime(CSV_TIME) if excel else value.isoformat()
    if isinstance(value, float | Decimal) and excel:
        return str(value).replace(".", ",")
    return value


def _csv(headers: list, rows: list[list], *, excel: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER if excel else ",", lineterminator="\r\n")
    if headers:
        writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_cell(value, excel=excel) for value in row])
    return "\ufeff" + out.getvalue()


def response(data: tablib.Dataset, *, format: str, filename: str, excel: bool = True) -> HttpResponse:
    """
    The dataset as a CSV or XLSX download named `filename.<format>`, every cell neutralised.
    `excel=False` writes a CSV for programs (`,`, ISO dates) rather than for Italian Excel.
    """
    headers = [neutralise(header) for header in data.headers] if data.headers else []
    rows = [[neutralise(cell) for cell in row] for row in data[:]]
    if format == XLSX:
        content = _xlsx(headers, rows, data.title)
    else:
        content = _csv(headers, rows, excel=excel)
    return HttpResponse(
        content,
        headers={
            "Content-Type": CONTENT_TYPES[format],
            "Content-Disposition": f'attachment; filename="{filename}.{format}"',
        },
    )
