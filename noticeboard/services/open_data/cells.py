"""Spreadsheet cells that a spreadsheet program cannot be tricked by.

A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return) would be run
as a formula when the file is opened; such cells are prefixed with an apostrophe. Shared by
the staff exports, the open-data files and ``noticeboard export``.
"""

from __future__ import annotations

import re

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
