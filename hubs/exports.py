"""
Spreadsheet exports (CSV or XLSX, with tablib): every export of the portal leaves through here.

What people typed travels in these files (a service's, an antenna's or a cooperative's name, an
indicator's title). A text that starts like a formula would run as one when the file is opened
in a spreadsheet app ("CSV injection": `=HYPERLINK(…)` sends data away, `=cmd|…` starts
programs). As OWASP recommends (https://owasp.org/www-community/attacks/CSV_Injection), a text
cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading single quote,
so it is shown as the text it is. Numbers stay numbers (a negative number is not text), and
characters an XLSX file cannot hold (control characters) are dropped, so no typed value can
break the file. The neutralising happens when the file is written, whatever built the dataset.
"""

import tablib
from django.http import HttpResponse
from django.utils.functional import Promise
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

CSV, XLSX = "csv", "xlsx"
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_MAX = 31  # Excel's limit on a sheet's name


def neutralise(value):
    """A cell as it may be written: text that would start a formula gets a leading quote."""
    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def dataset(headers: list, *, title: str) -> tablib.Dataset:
    """An empty sheet with its column headers; rows are appended as lists of cells."""
    return tablib.Dataset(headers=headers, title=str(title)[:SHEET_TITLE_MAX])


def response(data: tablib.Dataset, *, format: str, filename: str) -> HttpResponse:
    """
    The dataset as a CSV or XLSX download named `filename.<format>`, every cell neutralised.
    A CSV starts with a byte-order mark, so that spreadsheet apps read it as UTF-8.
    """
    safe = tablib.Dataset(
        *([neutralise(cell) for cell in row] for row in data[:]),
        headers=[neutralise(header) for header in data.headers] if data.headers else None,
        title=data.title,
    )
    content = safe.export(format)
    if format == CSV:
        content = "\ufeff" + content
    return HttpResponse(
        content,
        headers={
            "Content-Type": CONTENT_TYPES[format],
            "Content-Disposition": f'attachment; filename="{filename}.{format}"',
        },
    )
