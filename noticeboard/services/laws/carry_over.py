"""Staff's credits survive a recomputed comparison.

Replacing a stored comparison (an alignment correction, a refresh, the recompute job)
deletes its changes and builds new ones, and the database would delete with them the
opinion links and editorial marks staff made. So they are taken first, each with the
articles of its change, and given to the new change about the same articles: the one with
the very same articles when there is one, else the one holding the first of them (the
first new article, or for a deletion the first old one). Every article is in exactly one
change on each side, so a place is always found while the versions' articles are the
same. Links of one opinion that land on one change become one link.

Decisions are made on opinions, not on changes (``models.decision``): nothing to move.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from noticeboard.models import Change, ChangeLink, EditorialMark, LinkDegree, VersionComparison

log = logging.getLogger(__name__)

Place = tuple[tuple[int, ...], tuple[int, ...]]  # a change's old and new positions
NOTE_LIMIT = 500  # EditorialMark.note


@dataclass(frozen=True)
class TakenLink:
    place: Place
    id: int
    opinion_id: int
    degree: LinkDegree
    note: str
    created_by_id: int | None
    created_at: datetime


@dataclass(frozen=True)
class TakenMark:
    place: Place
    note: str
    marked_by_id: int | None
    marked_at: datetime


@dataclass
class CarriedOver:
    """What became of the links: on a change with the same articles (kept), on another
    (moved), folded into a link of the same opinion there (merged), or lost (dropped:
    only when the stored comparison no longer fitted the versions' articles)."""

    kept: int = 0
    moved: int = 0
    merged: int = 0
    dropped: int = 0
    marks_moved: int = 0

    def add(self, other: CarriedOver) -> None:
        self.kept += other.kept
        self.moved += other.moved
        self.merged += other.merged
        self.dropped += other.dropped
        self.marks_moved += other.marks_moved


@dataclass
class Credits:
    links: list[TakenLink] = field(default_factory=list)
    marks: list[TakenMark] = field(default_factory=list)

    def give_to(self, session: Session, changes: list[Change]) -> CarriedOver:
        """Attach what was taken to the new (flushed) changes of the comparison."""
        outcome = CarriedOver()
        if not self.links and not self.marks:
            return outcome
        places = _Places(changes)
        merged: dict[tuple[int, int], ChangeLink] = {}
        for taken in sorted(self.links, key=lambda t: (t.created_at, t.id)):
            target = places.find(taken.place)
            if target is None:
                outcome.dropped += 1
                log.warning(
                    "link %s of opinion %s lost: no change fits", taken.id, taken.opinion_id
                )
                continue
            if _place(target) == taken.place:
                outcome.kept += 1
            else:
                outcome.moved += 1
            existing = merged.get((target.id, taken.opinion_id))
            if existing is None:  # the earliest link of the opinion keeps its id and author
                merged[target.id, taken.opinion_id] = ChangeLink(
                    id=taken.id,
                    change_id=target.id,
                    opinion_id=taken.opinion_id,
                    degree=taken.degree,
                    note=taken.note,
                    created_by_id=taken.created_by_id,
                    created_at=taken.created_at,
                )
                continue
            outcome.merged += 1
            if taken.degree is LinkDegree.FULL:  # the change holds one that did it all
                existing.degree = LinkDegree.FULL
            existing.note = _joined(existing.note, taken.note)
        session.add_all(merged.values())
        marks: dict[int, EditorialMark] = {}
        for mark in sorted(self.marks, key=lambda m: m.marked_at):
            target = places.find(mark.place)
            if target is None:
                log.warning("editorial mark on %s lost: no change fits", mark.place)
                continue
            if _place(target) != mark.place:
                outcome.marks_moved += 1
            if target.id in marks:
                marks[target.id].note = _joined(marks[target.id].note, mark.note)[:NOTE_LIMIT]
            else:
                marks[target.id] = EditorialMark(
                    change_id=target.id,
                    note=mark.note,
                    marked_by_id=mark.marked_by_id,
                    marked_at=mark.marked_at,
                )
        session.add_all(marks.values())
        session.flush()
        return outcome


def take_credits(session: Session, comparisons: ColumnElement[bool]) -> Credits:
    """Note, then delete, the links and marks on the changes of the comparisons matching
    ``comparisons``, before those changes are deleted (the session is kept in step)."""
    doomed = select(Change.id).where(
        Change.comparison_id.in_(select(VersionComparison.id).where(comparisons))
    )
    credits = Credits()
    for link, old, new in session.execute(
        select(ChangeLink, Change.old_positions, Change.new_positions)
        .join(Change, Change.id == ChangeLink.change_id)
        .where(ChangeLink.change_id.in_(doomed))
    ):
        credits.links.append(
            TakenLink(
                place=(tuple(old), tuple(new)),
                id=link.id,
                opinion_id=link.opinion_id,
                degree=link.degree,
                note=link.note,
                created_by_id=link.created_by_id,
                created_at=link.created_at,
            )
        )
    for mark, old, new in session.execute(
        select(EditorialMark, Change.old_positions, Change.new_positions)
        .join(Change, Change.id == EditorialMark.change_id)
        .where(EditorialMark.change_id.in_(doomed))
    ):
        credits.marks.append(
            TakenMark(
                place=(tuple(old), tuple(new)),
                note=mark.note,
                marked_by_id=mark.marked_by_id,
                marked_at=mark.marked_at,
            )
        )
    fetch = {"synchronize_session": "fetch"}
    if credits.links:
        session.execute(
            delete(ChangeLink).where(ChangeLink.change_id.in_(doomed)), execution_options=fetch
        )
    if credits.marks:
        session.execute(
            delete(EditorialMark).where(EditorialMark.change_id.in_(doomed)),
            execution_options=fetch,
        )
    return credits


class _Places:
    """The new changes by their articles: all of them, and each one alone per side."""

    def __init__(self, changes: list[Change]) -> None:
        self.exact = {_place(change): change for change in changes}
        self.old = {i: change for change in changes for i in change.old_positions}
        self.new = {i: change for change in changes for i in change.new_positions}

    def find(self, place: Place) -> Change | None:
        old, new = place
        found = self.exact.get(place)
        if found is None and new:
            found = self.new.get(new[0])
        if found is None and old:
            found = self.old.get(old[0])
        return found


def _place(change: Change) -> Place:
    return tuple(change.old_positions), tuple(change.new_positions)


def _joined(first: str, second: str) -> str:
    if not second or second == first:
        return first
    return f"{first}; {second}" if first else second
