"""Reading spreadsheets row by row: CSV in UTF-8 (with or without BOM), UTF-16 or GB18030,
and XLSX through openpyxl's streaming reader.

Nothing is evaluated: a cell that looks like a formula (``=SUM(A1:A3)``) is read as the
text it is, and openpyxl is opened without cached values, so the formula text is what
comes back. Files are streamed; only the current row is in memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any
from zipfile import BadZipFile

from noticeboard.services.errors import ValidationFailed

Cell = str | int | float | bool | date | datetime | None
_CHUNK = 1 << 20
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls


@dataclass
class Table:
    """A spreadsheet's header and a stream of ``(row_number, cells)``; row 1 is the header."""

    header: list[str]
    rows: Iterator[tuple[int, list[Cell]]]
    estimated_rows: int | None
    kind: str  # "csv" or "xlsx"
    encoding: str | None = None


def open_table(stream: IO[bytes]) -> Table:
    """Open a CSV or XLSX file from a seekable binary stream (the kind is sniffed)."""
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(_XLSX_MAGIC):
        return _open_xlsx(stream)
    if head.startswith(_OLE_MAGIC):
        raise ValidationFailed("This is an old .xls file. Save it as .xlsx or .csv and try again.")
    return _open_csv(stream)


def detect_encoding(stream: IO[bytes]) -> tuple[str, int]:
    """The file's encoding and its number of line breaks (for progress), in one pass.

    A byte-order mark decides; otherwise UTF-8 when every byte decodes as UTF-8 (text in
    GB18030 almost never does), else GB18030, the superset of GBK and GB2312 that
    spreadsheet programs on Chinese Windows write.
    """
    head = stream.read(4)
    stream.seek(0)
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    decoder = codecs.getincrementaldecoder("utf-8")()
    newlines = 0
    while chunk := stream.read(_CHUNK):
        newlines += chunk.count(b"\n")
        if encoding == "utf-8":
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                encoding = "gb18030"
    if encoding == "utf-8":
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:  # the file ends inside a character
            encoding = "gb18030"
    stream.seek(0)
    return encoding, newlines


def _open_csv(stream: IO[bytes]) -> Table:
    encoding, newlines = detect_encoding(stream)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        first = text.readline()
    except UnicodeDecodeError:
        raise ValidationFailed("The file is neither UTF-8 nor GB18030 text.") from None
    delimiter = max(",\t;", key=first.count) if first else ","
    header_cells = next(csv.reader([first], delimiter=delimiter), [])
    reader = csv.reader(text, delimiter=delimiter)

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        number = 1
        try:
            for record in reader:
                number += 1
                yield number, list(record)
        except UnicodeDecodeError:
            raise ValidationFailed(
                "Row %(row)d cannot be read as %(encoding)s text.",
                row=number + 1,
                encoding=encoding,
            ) from None
        except csv.Error as exc:
            raise ValidationFailed(
                "Row %(row)d is not valid CSV: %(reason)s.", row=number + 1, reason=str(exc)
            ) from None

    return Table(
        header=header_cells,
        rows=rows(),
        estimated_rows=max(newlines - 1, 0),
        kind="csv",
        encoding=encoding,
    )


def _open_xlsx(stream: IO[bytes]) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            # Spreadsheet programs write extensions openpyxl only warns about.
            warnings.simplefilter("ignore", UserWarning)
            # data_only=False: a formula cell gives its formula text, never a computed value.
            workbook = load_workbook(stream, read_only=True, data_only=False)
    except (BadZipFile, InvalidFileException, KeyError, OSError):
        raise ValidationFailed("The file is not a readable .xlsx workbook.") from None
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    header_row = next(iterator, None) or ()
    header = ["" if value is None else str(value) for value in header_row]
    estimated = (sheet.max_row - 1) if sheet.max_row else None

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                for number, values in enumerate(iterator, start=2):
                    yield number, list(values)
        finally:
            workbook.close()

    return Table(header=header, rows=rows(), estimated_rows=estimated, kind="xlsx")


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a needless ``.0``, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if not value.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()
