"""Spreadsheet downloads (CSV and XLSX) that a spreadsheet program cannot be tricked by.

A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return) would be run
as a formula when the file is opened; such cells are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from flask import Response, stream_with_context
from openpyxl import Workbook

Cell = str | int | float | None
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Control characters XML 1.0 cannot carry: openpyxl refuses a cell holding one.
_NOT_IN_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xlsx_cell(value: Cell) -> Cell:
    """A cell as a workbook can hold it: without control characters (dropped first, so
    that "\x00=CMD()" cannot become a formula), then defused."""
    return safe_cell(_NOT_IN_XLSX.sub("", value) if isinstance(value, str) else value)


def _disposition(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Response:
    """Streams the rows, so a large export never sits in memory whole. UTF-8 with a BOM,
    which spreadsheet programs need to read Chinese correctly."""

    def generate() -> Iterable[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")
        writer.writerow(header)
        for row in rows:
            writer.writerow([safe_cell(v) for v in row])
            if buffer.tell() > 64 * 1024:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return Response(
        stream_with_context(generate()),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": _disposition(filename)},
    )


def xlsx_response(
    filename: str, sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Cell]]]]
) -> Response:
    """One workbook with a sheet per (title, header, rows); write-only mode streams rows."""
    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(list(header))
        for row in rows:
            sheet.append([xlsx_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return Response(
        buffer.getvalue(),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": _disposition(filename)},
    )
