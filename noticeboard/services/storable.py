"""Text that no database column can hold.

PostgreSQL text cannot contain NUL (U+0000), and no engine can store a lone UTF-16
surrogate (U+D800 to U+DFFF, which JSON can spell as ``"\\ud800"``). No person types
either; they come from broken software or from someone probing, and reaching a query
they fail there as a crash. Every door (web requests, imported files) checks first.
"""

from __future__ import annotations

import re
from typing import Any

from noticeboard.services.errors import ValidationFailed

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_MAX_DEPTH = 64  # a JSON body nested deeper is refused by the API's own checks


def first_unstorable(value: Any, depth: int = 0) -> str | None:
    """The first character of ``value`` (a string, or JSON made of them) that cannot be
    stored, or None."""
    if isinstance(value, str):
        found = _UNSTORABLE.search(value)
        return found.group() if found else None
    if depth > _MAX_DEPTH:
        return None
    items: Any
    if isinstance(value, dict):
        items = (item for pair in value.items() for item in pair)
    elif isinstance(value, list):
        items = value
    else:
        return None
    for item in items:
        found_in = first_unstorable(item, depth + 1)
        if found_in is not None:
            return found_in
    return None


def unstorable_error(character: str) -> ValidationFailed:
    return ValidationFailed(
        "The request holds a character that cannot be stored (U+%(code)s). "
        "Remove it and try again.",
        code=f"{ord(character):04X}",
    )
