"""Tables for spreadsheet programs: the same rows as CSV (UTF-8 with a BOM, so Excel and WPS read Chinese)
and as XLSX (openpyxl). The callers give the rows already in the page's language; nothing here translates.

Text that a spreadsheet would run as a formula (=, +, -, @ first) is made plain: in the CSV by a leading
apostrophe, in the XLSX by storing the cell as a string."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

Row = Sequence[object]
CSV_MIMETYPE = "text/csv"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    """Keep spreadsheet programs from running a typed name as a formula."""
    return "'" + value if value[:1] in _FORMULA_START else value


def csv_text(rows: Iterable[Row]) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # so spreadsheet programs read the Chinese as UTF-8
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_safe(v) if isinstance(v, str) else ("" if v is None else v) for v in row])
    return out.getvalue()


def xlsx_bytes(rows: Iterable[Row], title: str) -> bytes:
    """One sheet named `title` (cut to Excel's 31 characters): numbers stay numbers, text stays text."""
    book = Workbook()
    sheet = book.active
    sheet.title = "".join(c for c in title if c not in '[]:*?/\\')[:31] or "Sheet1"
    widths: dict[int, int] = {}
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                cell = sheet.cell(r, c, ILLEGAL_CHARACTERS_RE.sub("", value))
                cell.data_type = "s"  # never a formula, whatever the text starts with
            else:
                cell = sheet.cell(r, c, value)
            widths[c] = max(widths.get(c, 0), min(60, 2 * len(str(value)) + 2))
    for c, width in widths.items():
        sheet.column_dimensions[get_column_letter(c)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(rows: list[Row], filename: str, kind: str, title: str = "") -> Response:
    """`rows` as an attachment: kind "csv" or "xlsx"; `filename` without its extension."""
    if kind == "xlsx":
        body, mimetype = xlsx_bytes(rows, title or filename), XLSX_MIMETYPE
    else:
        body, mimetype = csv_text(rows), CSV_MIMETYPE
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}.{kind}"',
        "Cache-Control": "no-store, private",
    })
