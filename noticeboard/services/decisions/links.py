"""Crediting changes to the opinions behind them, marking editorial changes, and the
completeness check before a version is published.

A link proposes an outcome (a full link: adopted; a partial one: partially adopted)
but never decides one: staff confirm the decision separately.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, joinedload

from noticeboard.models import (
    Change,
    ChangeKind,
    ChangeLink,
    DraftVersion,
    EditorialMark,
    LinkDegree,
    Opinion,
    Outcome,
    VersionComparison,
)
from noticeboard.services.audit import record_event
from noticeboard.services.errors import Conflict, NotFound, ValidationFailed
from noticeboard.services.laws.comparisons import previous_version, stored_between
from noticeboard.services.loading import ensure_loaded
from noticeboard.services.permissions import Actor, Permission, require
from noticeboard.services.triage.staleness import note_queue_changed

# Kinds that change no wording: nobody asked for them, nothing to credit.
QUIET_KINDS = (ChangeKind.UNCHANGED, ChangeKind.RENUMBERED)


def proposed_outcome(degree: LinkDegree) -> Outcome:
    return Outcome.ADOPTED if degree is LinkDegree.FULL else Outcome.PARTIALLY_ADOPTED


# What every screen about one change shows: from which version to which, of which law.
CHANGE_CONTEXT = (
    joinedload(Change.comparison)
    .joinedload(VersionComparison.from_version)
    .joinedload(DraftVersion.law),
    joinedload(Change.comparison).joinedload(VersionComparison.to_version),
)


def change_law_id(session: Session, change: Change) -> int:
    ensure_loaded(session, change, "comparison")
    ensure_loaded(session, change.comparison, "from_version")
    return change.comparison.from_version.law_id


def link_opinion(
    session: Session,
    actor: Actor,
    change: Change,
    opinion: Opinion,
    *,
    degree: LinkDegree | str = LinkDegree.FULL,
    note: str = "",
) -> ChangeLink:
    require(actor, Permission.DECIDE_OPINIONS)
    degree = LinkDegree(degree)
    if opinion.law_id != change_law_id(session, change):
        raise ValidationFailed("The opinion is about another law.")
    if change.kind in QUIET_KINDS:
        raise ValidationFailed("This article's wording did not change: there is nothing to credit.")
    existing = session.scalar(
        select(ChangeLink).where(
            ChangeLink.change_id == change.id, ChangeLink.opinion_id == opinion.id
        )
    )
    if existing is not None:
        raise Conflict("This opinion is already linked to this change.")
    link = ChangeLink(
        change_id=change.id,
        opinion_id=opinion.id,
        degree=degree,
        note=note.strip(),
        created_by_id=actor.id,
    )
    session.add(link)
    session.flush()
    record_event(
        session,
        actor,
        "change.link",
        "change",
        change.id,
        opinion=opinion.receipt_code,
        degree=degree.value,
        note=link.note,
    )
    note_queue_changed(session, opinion.law_id)  # it counts as linked in the queue
    return link


def unlink_opinion(session: Session, actor: Actor, link: ChangeLink) -> None:
    require(actor, Permission.DECIDE_OPINIONS)
    opinion = _opinion_of(session, link)
    record_event(
        session,
        actor,
        "change.unlink",
        "change",
        link.change_id,
        opinion=opinion.receipt_code,
        degree=link.degree.value,
    )
    session.delete(link)
    session.flush()
    note_queue_changed(session, opinion.law_id)


def _opinion_of(session: Session, link: ChangeLink) -> Opinion:
    ensure_loaded(session, link, "opinion")
    return link.opinion


def mark_editorial(
    session: Session, actor: Actor, change: Change, *, note: str = ""
) -> EditorialMark:
    require(actor, Permission.DECIDE_OPINIONS)
    mark = session.get(EditorialMark, change.id)
    if mark is None:
        mark = EditorialMark(change_id=change.id)
        session.add(mark)
    mark.note, mark.marked_by_id = note.strip()[:500], actor.id
    session.flush()
    record_event(session, actor, "change.editorial", "change", change.id, note=mark.note)
    return mark


def unmark_editorial(session: Session, actor: Actor, change: Change) -> None:
    require(actor, Permission.DECIDE_OPINIONS)
    mark = session.get(EditorialMark, change.id)
    if mark is not None:
        session.delete(mark)
        session.flush()
        record_event(session, actor, "change.editorial_removed", "change", change.id)


def get_change(session: Session, change_id: int) -> Change:
    """A change with its comparison, both versions and the law."""
    change = session.scalar(select(Change).where(Change.id == change_id).options(*CHANGE_CONTEXT))
    if change is None:
        raise NotFound("No such change.")
    return change


def get_link(session: Session, change_id: int, link_id: int) -> ChangeLink:
    """A link of the change, with its opinion (unlinking names it in the audit trail)."""
    link = session.scalar(
        select(ChangeLink)
        .where(ChangeLink.id == link_id, ChangeLink.change_id == change_id)
        .options(joinedload(ChangeLink.opinion))
    )
    if link is None:
        raise NotFound("No such link.")
    return link


@dataclass(frozen=True)
class Completeness:
    """What is still open before a version goes public."""

    version: DraftVersion
    previous: DraftVersion | None
    uncredited: list[Change]  # changed wording with neither a linked opinion nor an editorial mark
    pending: int  # opinions on the previous version still undecided

    @property
    def complete(self) -> bool:
        return not self.uncredited and not self.pending

    def summary(self) -> dict[str, int]:
        return {"uncredited_changes": len(self.uncredited), "pending_opinions": self.pending}


def completeness(session: Session, version: DraftVersion) -> Completeness:
    previous = previous_version(session, version)
    if previous is None:
        return Completeness(version=version, previous=None, uncredited=[], pending=0)
    stored = stored_between(session, previous, version)
    uncredited: list[Change] = []
    if stored is not None:
        uncredited = list(
            session.scalars(
                select(Change)
                .where(
                    Change.comparison_id == stored.id,
                    Change.kind.not_in(QUIET_KINDS),
                    Change.reference_only.is_(False),
                    ~exists().where(ChangeLink.change_id == Change.id),
                    ~exists().where(EditorialMark.change_id == Change.id),
                )
                .order_by(Change.ordinal)
            )
        )
    pending = session.scalar(
        select(func.count()).where(
            Opinion.version_id == previous.id, Opinion.outcome == Outcome.PENDING
        )
    )
    return Completeness(
        version=version, previous=previous, uncredited=uncredited, pending=pending or 0
    )
