"""The sender's own number for an opinion (a letter's registry number, a message id).

Trimmed, at most 64 characters, empty for none; unique per law when given, which the
unique index ``uq_opinion_law_reference`` (law, reference) enforces and answers look-ups
from. Every entry path checks it here first, so a duplicate is a field error, not a
failed flush.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from noticeboard.models import Opinion
from noticeboard.services.errors import Conflict, ServiceError, ValidationFailed

MAX_REFERENCE = 64
_IN_LIST = 1000  # references per look-up on SQLite
_ARRAY = 10_000  # per look-up on PostgreSQL: each statement stays well under a second


def clean_reference(value: str | None) -> str | None:
    """Trimmed; None when nothing is left."""
    cleaned = (value or "").strip()
    return cleaned or None


def reference_format_error(reference: str | None) -> ServiceError | None:
    if reference is not None and len(reference) > MAX_REFERENCE:
        return ValidationFailed(
            "The reference is too long (at most %(n)d characters).", n=MAX_REFERENCE
        )
    return None


def duplicate_reference(reference: str) -> ServiceError:
    return Conflict(
        "Another opinion on this law has the reference %(reference)s already.",
        reference=reference,
    )


def taken_references(session: Session, law_id: int, references: Iterable[str]) -> set[str]:
    """Which of ``references`` opinions of the law hold already: one index probe per
    reference, in batches, never one query per reference."""
    wanted = sorted(set(references))
    if not wanted:
        return set()
    taken: set[str] = set()
    if session.connection().dialect.name == "postgresql":
        for start in range(0, len(wanted), _ARRAY):
            part = wanted[start : start + _ARRAY]
            taken.update(session.scalars(_TAKEN, {"law_id": law_id, "references": part}))
        return taken
    for start in range(0, len(wanted), _IN_LIST):
        part = wanted[start : start + _IN_LIST]
        taken.update(
            ref
            for ref in session.scalars(
                select(Opinion.reference).where(
                    Opinion.law_id == law_id, Opinion.reference.in_(part)
                )
            )
            if ref is not None
        )
    return taken


# A join over the array, as for receipt codes (``opinions.bulk``): index-driven even
# while the planner's statistics still think the table small.
_TAKEN = text(
    "SELECT o.reference FROM unnest(CAST(:references AS text[])) AS r(reference) "
    "JOIN opinion AS o ON o.law_id = :law_id AND o.reference = r.reference"
)


class ReferenceLedger:
    """The references of a file being checked, row by row: a second row with one is a
    duplicate at once, and ``stored_duplicates`` then looks every one up in batches."""

    def __init__(self) -> None:
        self._rows: dict[int, dict[str, int]] = {}  # law -> reference -> first row

    def note(self, law_id: int, reference: str | None, row: int) -> ServiceError | None:
        """Remember the row's reference; the error when an earlier row has it."""
        if reference is None or reference_format_error(reference) is not None:
            return None
        seen = self._rows.setdefault(law_id, {})
        first = seen.setdefault(reference, row)
        if first == row:
            return None
        return Conflict(
            "The reference %(reference)s is on row %(row)d already.",
            reference=reference,
            row=first,
        )

    def stored_duplicates(self, session: Session) -> list[tuple[int, ServiceError]]:
        """(row, error) for each reference another opinion of its law holds already."""
        found: list[tuple[int, ServiceError]] = []
        for law_id, rows in self._rows.items():
            for reference in sorted(taken_references(session, law_id, rows)):
                found.append((rows[reference], duplicate_reference(reference)))
        return sorted(found, key=lambda item: item[0])
