"""Storing the engine's comparisons, keeping article keys stable, and staff corrections.

Consecutive versions (by sequence) have their comparison stored when a version is saved,
consecutive public versions when one is published or withdrawn (``laws.pairs``); a page
asking for any other pair computes it without storing. Article keys follow the
consecutive chain: an article keeps its key for as long as the engine (or staff) matches
it to an article of the previous version.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.sql.elements import ColumnElement

from noticeboard.diffing import Article, Comparison, ParsedDraft, compare_drafts
from noticeboard.models import (
    AlignmentCorrection,
    Change,
    ChangeArticle,
    ChangeKind,
    DraftVersion,
    VersionArticle,
    VersionComparison,
    utcnow,
)
from noticeboard.services.audit import record_event
from noticeboard.services.errors import ValidationFailed
from noticeboard.services.laws.carry_over import CarriedOver, take_credits
from noticeboard.services.loading import ensure_loaded
from noticeboard.services.permissions import Actor, Permission, require

Pin = tuple[tuple[int, ...], tuple[int, ...]]


def rows_of(session: Session, version: DraftVersion) -> list[VersionArticle]:
    """The version's stored articles, in order, loaded once for the engine's work."""
    ensure_loaded(session, version, "articles")
    return version.articles


def parsed_from_rows(session: Session, version: DraftVersion) -> ParsedDraft:
    """The version as the engine sees it, rebuilt from stored rows (no re-parsing)."""
    return ParsedDraft(
        preamble=version.preamble,
        articles=tuple(
            Article(
                label=row.label,
                number=row.number,
                heading_path=tuple(row.heading_path),
                paragraphs=tuple(row.text.split("\n")),
            )
            for row in rows_of(session, version)
        ),
    )


def previous_version(session: Session, version: DraftVersion) -> DraftVersion | None:
    return session.scalar(
        select(DraftVersion)
        .where(DraftVersion.law_id == version.law_id, DraftVersion.sequence < version.sequence)
        .order_by(DraftVersion.sequence.desc())
        .limit(1)
    )


def next_version(session: Session, version: DraftVersion) -> DraftVersion | None:
    return session.scalar(
        select(DraftVersion)
        .where(DraftVersion.law_id == version.law_id, DraftVersion.sequence > version.sequence)
        .order_by(DraftVersion.sequence)
        .limit(1)
    )


def pins_for(session: Session, old: DraftVersion, new: DraftVersion) -> list[Pin]:
    """Staff corrections for this pair that still fit the texts: a draft replaced since
    may have fewer articles, and a pin past its end is ignored rather than trusted."""
    rows = session.scalars(
        select(AlignmentCorrection)
        .where(
            AlignmentCorrection.from_version_id == old.id,
            AlignmentCorrection.to_version_id == new.id,
        )
        .order_by(AlignmentCorrection.id)
    )
    old_count, new_count = len(rows_of(session, old)), len(rows_of(session, new))
    return [
        (tuple(sorted(r.old_positions)), tuple(sorted(r.new_positions)))
        for r in rows
        if all(0 <= i < old_count for i in r.old_positions)
        and all(0 <= i < new_count for i in r.new_positions)
    ]


def compute(session: Session, old: DraftVersion, new: DraftVersion) -> Comparison:
    return compare_drafts(
        parsed_from_rows(session, old),
        parsed_from_rows(session, new),
        pinned=pins_for(session, old, new),
    )


def store_comparison(
    session: Session, old: DraftVersion, new: DraftVersion, comparison: Comparison
) -> VersionComparison:
    """Replace whatever was stored for this pair with the given comparison; staff's links
    and editorial marks move to its new changes."""
    return replace_comparison(session, old, new, comparison)[0]


def replace_comparison(
    session: Session, old: DraftVersion, new: DraftVersion, comparison: Comparison
) -> tuple[VersionComparison, CarriedOver]:
    """``store_comparison``, saying what became of staff's links (``carry_over``)."""
    pair = (VersionComparison.from_version_id == old.id) & (
        VersionComparison.to_version_id == new.id
    )
    credits = take_credits(session, pair)
    delete_comparisons(session, pair)
    stored = build_comparison(session, old, new, comparison)
    session.add(stored)
    session.flush()
    return stored, credits.give_to(session, stored.changes)


def build_comparison(
    session: Session, old: DraftVersion, new: DraftVersion, comparison: Comparison
) -> VersionComparison:
    """The rows of a comparison, not added to the session: stored by ``store_comparison``,
    or read as they are when a page asks for a pair nobody stored (``laws.pairs``)."""
    pins = set(pins_for(session, old, new))
    stored = VersionComparison(
        from_version=old, to_version=new, counts=comparison.counts(), computed_at=utcnow()
    )
    old_ids = [row.id for row in rows_of(session, old)]
    new_ids = [row.id for row in rows_of(session, new)]
    for ordinal, change in enumerate(comparison.changes):
        row = Change(
            ordinal=ordinal,
            kind=ChangeKind(change.kind.value),
            old_positions=list(change.old),
            new_positions=list(change.new),
            old_labels=list(change.old_labels),
            new_labels=list(change.new_labels),
            similarity=change.similarity,
            diff=[[op, text] for op, text in change.diff] if change.diff is not None else None,
            reference_only=change.reference_only,
            corrected=(change.old, change.new) in pins,
        )
        row.articles = [ChangeArticle(article_id=old_ids[i], side="old") for i in change.old] + [
            ChangeArticle(article_id=new_ids[i], side="new") for i in change.new
        ]
        stored.changes.append(row)
    return stored


def delete_comparisons(session: Session, condition: ColumnElement[bool]) -> None:
    """Delete stored comparisons with their changes, keeping the session's identity map
    in step (SQLite reuses row ids, so a stale object would clash with a new row)."""
    doomed = select(VersionComparison.id).where(condition)
    doomed_changes = select(Change.id).where(Change.comparison_id.in_(doomed))
    fetch = {"synchronize_session": "fetch"}
    session.execute(
        delete(ChangeArticle).where(ChangeArticle.change_id.in_(doomed_changes)),
        execution_options=fetch,
    )
    session.execute(delete(Change).where(Change.id.in_(doomed_changes)), execution_options=fetch)
    session.execute(delete(VersionComparison).where(condition), execution_options=fetch)


def refresh_consecutive(session: Session, version: DraftVersion) -> None:
    """Recompute the stored comparisons on both sides of a version, then the keys."""
    before = previous_version(session, version)
    after = next_version(session, version)
    if before is not None:
        store_comparison(session, before, version, compute(session, before, version))
    if after is not None:
        store_comparison(session, version, after, compute(session, version, after))
    # Cached comparisons of other pairs involving this version are stale now.
    keep = [
        stored.id
        for stored in (
            stored_between(session, before, version) if before is not None else None,
            stored_between(session, version, after) if after is not None else None,
        )
        if stored is not None
    ]
    delete_comparisons(
        session,
        (
            (VersionComparison.from_version_id == version.id)
            | (VersionComparison.to_version_id == version.id)
        )
        & VersionComparison.id.not_in(keep),
    )
    assign_keys(session, version.law_id)


def assign_keys(session: Session, law_id: int) -> None:
    """Walk the versions in order; each article inherits the key of the article it
    came from, and a new article gets `<sequence>-<position>`."""
    versions = list(
        session.scalars(
            select(DraftVersion)
            .where(DraftVersion.law_id == law_id)
            .order_by(DraftVersion.sequence)
        )
    )
    previous: DraftVersion | None = None
    for version in versions:
        inherited: dict[int, str] = {}
        if previous is not None:
            stored = stored_between(session, previous, version)
            if stored is not None:
                old_keys = [row.key for row in rows_of(session, previous)]
                for change in _changes_of(session, stored):
                    if change.old_positions and change.new_positions:
                        inherited.setdefault(
                            change.new_positions[0], old_keys[change.old_positions[0]]
                        )
        for row in rows_of(session, version):
            row.key = inherited.get(row.position, f"{version.sequence}-{row.position + 1}")
        previous = version
    session.flush()


def _changes_of(session: Session, stored: VersionComparison) -> list[Change]:
    ensure_loaded(session, stored, "changes")
    return stored.changes


def stored_between(
    session: Session, old: DraftVersion, new: DraftVersion
) -> VersionComparison | None:
    return session.scalar(
        select(VersionComparison)
        .where(
            VersionComparison.from_version_id == old.id, VersionComparison.to_version_id == new.id
        )
        .options(  # the two versions are in the session already: no extra query
            joinedload(VersionComparison.from_version), joinedload(VersionComparison.to_version)
        )
    )


def comparison_between(session: Session, old: DraftVersion, new: DraftVersion) -> VersionComparison:
    """The stored comparison of any two versions of a law, computed and cached once."""
    if old.law_id != new.law_id or old.sequence >= new.sequence:
        raise ValidationFailed("Compare an earlier version with a later one of the same law.")
    stored = stored_between(session, old, new)
    if stored is None:
        stored = store_comparison(session, old, new, compute(session, old, new))
    return stored


def correct_alignment(
    session: Session,
    actor: Actor,
    old: DraftVersion,
    new: DraftVersion,
    *,
    old_positions: Sequence[int],
    new_positions: Sequence[int],
    note: str = "",
) -> VersionComparison:
    """Record staff's match (old articles became new articles) and recompute with it."""
    require(actor, Permission.MANAGE_VERSIONS)
    if previous_version(session, new) is not old:
        raise ValidationFailed("Corrections apply to consecutive versions.")
    olds, news = sorted(set(old_positions)), sorted(set(new_positions))
    if not olds or not news or (len(olds) > 1 and len(news) > 1):
        raise ValidationFailed("Match one article to one, or one to several (split, merge).")
    old_rows, new_rows = rows_of(session, old), rows_of(session, new)
    if max(olds) >= len(old_rows) or max(news) >= len(new_rows) or min(olds + news) < 0:
        raise ValidationFailed("No such article in this version.")
    # A new word on the same articles replaces the earlier one.
    for earlier in session.scalars(
        select(AlignmentCorrection).where(
            AlignmentCorrection.from_version_id == old.id,
            AlignmentCorrection.to_version_id == new.id,
        )
    ):
        if set(earlier.old_positions) & set(olds) or set(earlier.new_positions) & set(news):
            session.delete(earlier)
    correction = AlignmentCorrection(
        from_version_id=old.id,
        to_version_id=new.id,
        old_positions=olds,
        new_positions=news,
        note=note.strip(),
        created_by_id=actor.id,
    )
    session.add(correction)
    session.flush()
    stored = store_comparison(session, old, new, compute(session, old, new))
    assign_keys(session, new.law_id)
    record_event(
        session,
        actor,
        "alignment.correct",
        "version_comparison",
        stored.id,
        old=[old_rows[i].label for i in olds],
        new=[new_rows[i].label for i in news],
        note=correction.note,
    )
    return stored
