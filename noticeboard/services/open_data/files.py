"""How the open-data records become files: CSV cells and streamed JSON arrays.

Shared by the downloads (``web.open_data``) and ``noticeboard export``, so both write
byte-for-byte the same files."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from noticeboard.services.open_data.cells import Cell, safe_cell

CHUNK = 64 * 1024


def csv_cell(value: Any) -> Cell:
    """Lists as JSON arrays, booleans as true/false, None as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value  # type: ignore[no-any-return]


def csv_cells(rows: Iterable[Sequence[Any]]) -> Iterator[list[Cell]]:
    for row in rows:
        yield [csv_cell(value) for value in row]


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """UTF-8 text with a BOM (spreadsheets need it for Chinese), in chunks of ~64 KiB;
    formula-like cells are defused as in every other download (``safe_cell``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(header)
    for row in csv_cells(rows):
        writer.writerow([safe_cell(v) for v in row])
        if buffer.tell() > CHUNK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_chunks(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A JSON array written one record at a time, so it is never whole in memory."""
    parts: list[str] = ["["]
    size = 1
    first = True
    for record in records:
        text = ("\n" if first else ",\n") + json.dumps(record, ensure_ascii=False)
        first = False
        parts.append(text)
        size += len(text)
        if size > CHUNK:
            yield "".join(parts)
            parts, size = [], 0
    parts.append("\n]\n")
    yield "".join(parts)
