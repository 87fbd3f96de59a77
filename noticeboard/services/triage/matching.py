"""Matching opinions to the changes that may answer them, stored with the reasons.

An opinion on a version is matched against the stored comparison between that version
and the next one: its best changes are kept (every pair scoring ``STORED_SCORE`` or more,
and its best ``BEST_KEPT`` whatever their score) so that the change page, the triage
queue and the report read rows instead of computing anything.

Work goes in batches of opinions whose triage row says they are not matched yet: a few
queries per batch (the opinions, their linked articles, one delete, one bulk insert,
one update), the scoring in memory against an index of the comparison built once and
kept across batches.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from noticeboard.models import (
    Change,
    ChangeArticle,
    DraftVersion,
    Opinion,
    OpinionMatch,
    OpinionTriage,
    VersionArticle,
    VersionComparison,
    opinion_article,
    utcnow,
)
from noticeboard.services.decisions.links import QUIET_KINDS
from noticeboard.services.triage.scoring import (
    ArticleRef,
    ChangeDoc,
    ComparisonIndex,
    OpinionDoc,
    ScoredChange,
)

STORED_SCORE = 0.2  # every pair at or above this is stored
BEST_KEPT = 3  # and each opinion's best three, whatever their score
_IN_LIST = 1000  # ids per IN (...) list: SQLite's and PostgreSQL's limits stay far away
_CACHED_INDEXES = 8


@dataclass(frozen=True)
class MatchingBatch:
    processed: int  # opinions matched (0: nothing was pending)
    stored: int  # OpinionMatch rows written
    comparisons: int  # distinct comparisons they were matched against


@dataclass
class _Gathered:
    """One change's rows (one per article) gathered into one document."""

    ordinal: int
    diff: list[Any] | None
    reference_only: bool
    keys: set[str] = field(default_factory=set)
    chapters: set[tuple[str, ...]] = field(default_factory=set)
    old: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)


_indexes: OrderedDict[tuple[int, datetime, int, int], ComparisonIndex] = OrderedDict()


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _IN_LIST):
        yield ids[start : start + _IN_LIST]


def comparison_index(session: Session, comparison: VersionComparison) -> ComparisonIndex:
    """The comparison's changes ready for scoring: two queries, built once per process
    for each stored comparison (a recomputed one has another id or ``computed_at``)."""
    cache_key = (
        comparison.id,
        comparison.computed_at,
        comparison.from_version_id,
        comparison.to_version_id,
    )
    cached = _indexes.get(cache_key)
    if cached is not None:
        _indexes.move_to_end(cache_key)
        return cached
    index = ComparisonIndex(
        change_documents(session, comparison),
        article_refs(session, comparison.from_version_id),
    )
    _indexes[cache_key] = index
    while len(_indexes) > _CACHED_INDEXES:
        _indexes.popitem(last=False)
    return index


def change_documents(session: Session, comparison: VersionComparison) -> list[ChangeDoc]:
    """The comparison's changes that reword something, as the scorer (and the demo
    generator) read them; one query."""
    rows = session.execute(
        select(
            Change.id,
            Change.ordinal,
            Change.diff,
            Change.reference_only,
            ChangeArticle.side,
            VersionArticle.key,
            VersionArticle.heading_path,
            VersionArticle.text,
        )
        .join(ChangeArticle, ChangeArticle.change_id == Change.id)
        .join(VersionArticle, VersionArticle.id == ChangeArticle.article_id)
        .where(Change.comparison_id == comparison.id, Change.kind.not_in(QUIET_KINDS))
        .order_by(Change.ordinal, VersionArticle.version_id, VersionArticle.position)
    ).all()
    grouped: dict[int, _Gathered] = {}
    for change_id, ordinal, diff, reference_only, side, key, heading, text in rows:
        entry = grouped.setdefault(change_id, _Gathered(ordinal, diff, bool(reference_only)))
        entry.keys.add(key)
        entry.chapters.add(tuple(heading or ()))
        (entry.old if side == "old" else entry.new).append(text)
    changes = [
        ChangeDoc(
            change_id=change_id,
            ordinal=entry.ordinal,
            keys=frozenset(entry.keys),
            chapters=frozenset(entry.chapters),
            old_text="\n".join(entry.old),
            new_text="\n".join(entry.new),
            diff=tuple((int(op), str(t)) for op, t in entry.diff) if entry.diff else None,
            reference_only=entry.reference_only,
        )
        for change_id, entry in grouped.items()
    ]
    return changes


def article_refs(session: Session, version_id: int) -> list[ArticleRef]:
    """A version's articles as opinions cite them; one query."""
    return [
        ArticleRef(key, label, tuple(heading or ()), text)
        for key, label, heading, text in session.execute(
            select(
                VersionArticle.key,
                VersionArticle.label,
                VersionArticle.heading_path,
                VersionArticle.text,
            )
            .where(VersionArticle.version_id == version_id)
            .order_by(VersionArticle.position)
        )
    ]


def _linked_keys(session: Session, opinion_ids: Sequence[int]) -> dict[int, set[str]]:
    """Stable keys of the articles each opinion was linked to, whatever its version."""
    keys: dict[int, set[str]] = {}
    for chunk in _chunks(opinion_ids):
        for opinion_id, key in session.execute(
            select(opinion_article.c.opinion_id, VersionArticle.key)
            .join(VersionArticle, VersionArticle.id == opinion_article.c.article_id)
            .where(opinion_article.c.opinion_id.in_(chunk))
        ):
            keys.setdefault(opinion_id, set()).add(key)
    return keys


def _next_comparisons(session: Session, law_id: int) -> dict[int, VersionComparison]:
    """For each version of the law, the stored comparison with the next version."""
    versions = (
        session.execute(
            select(DraftVersion.id)
            .where(DraftVersion.law_id == law_id)
            .order_by(DraftVersion.sequence)
        )
        .scalars()
        .all()
    )
    pairs = dict(pairwise(versions))
    if not pairs:
        return {}
    stored = session.scalars(
        select(VersionComparison).where(VersionComparison.from_version_id.in_(list(pairs)))
    ).all()
    return {c.from_version_id: c for c in stored if pairs.get(c.from_version_id) == c.to_version_id}


def kept(scored: Sequence[ScoredChange]) -> list[ScoredChange]:
    """What is stored of an opinion's ranked changes."""
    return [s for rank, s in enumerate(scored, 1) if s.score >= STORED_SCORE or rank <= BEST_KEPT]


def match_pending(session: Session, law_id: int, *, limit: int = 2000) -> MatchingBatch:
    """Match up to ``limit`` opinions of the law not matched yet (triage rows with no
    ``matched_at``); an opinion not clustered yet has no such row and waits for it."""
    pending = session.execute(
        select(Opinion.id, Opinion.version_id, Opinion.text)
        .join(OpinionTriage, OpinionTriage.opinion_id == Opinion.id)
        .where(OpinionTriage.law_id == law_id, OpinionTriage.matched_at.is_(None))
        .limit(limit)
    ).all()
    if not pending:
        return MatchingBatch(0, 0, 0)
    ids = [row.id for row in pending]
    comparisons = _next_comparisons(session, law_id)
    links = _linked_keys(session, ids)
    rows: list[dict[str, object]] = []
    used: set[int] = set()
    for opinion_id, version_id, text in pending:
        comparison = comparisons.get(version_id)
        if comparison is None:
            continue  # the latest version: nothing answers it yet
        used.add(comparison.id)
        index = comparison_index(session, comparison)
        scored = index.score(OpinionDoc(opinion_id, text, frozenset(links.get(opinion_id, ()))))
        rows.extend(_match_row(opinion_id, rank, s) for rank, s in enumerate(kept(scored), 1))
    for chunk in _chunks(ids):
        session.execute(
            delete(OpinionMatch).where(OpinionMatch.opinion_id.in_(chunk)),
            execution_options={"synchronize_session": False},
        )
    if rows:
        session.execute(insert(OpinionMatch), rows)
    now = utcnow()
    for chunk in _chunks(ids):
        session.execute(
            update(OpinionTriage)
            .where(OpinionTriage.opinion_id.in_(chunk))
            .values(matched_at=now)
            .execution_options(synchronize_session=False)
        )
    session.flush()
    return MatchingBatch(len(ids), len(rows), len(used))


def _match_row(opinion_id: int, rank: int, scored: ScoredChange) -> dict[str, object]:
    return {
        "opinion_id": opinion_id,
        "change_id": scored.change_id,
        "score": scored.score,
        "rank": rank,
        "article": scored.article,
        "quoted": scored.quoted,
        "similar": scored.similar,
        "against": scored.against,
    }


def match_against(
    session: Session, comparison: VersionComparison, opinion_ids: Sequence[int]
) -> dict[int, list[ScoredChange]]:
    """Every given opinion scored against this comparison, in memory, best first (for
    ``noticeboard triage --from --to``: opinions on ``from`` or earlier). Nothing stored."""
    index = comparison_index(session, comparison)
    ids = list(opinion_ids)
    links = _linked_keys(session, ids)
    result: dict[int, list[ScoredChange]] = {}
    for chunk in _chunks(ids):
        for opinion_id, text in session.execute(
            select(Opinion.id, Opinion.text).where(Opinion.id.in_(chunk))
        ):
            result[opinion_id] = index.score(
                OpinionDoc(opinion_id, text, frozenset(links.get(opinion_id, ())))
            )
    return result
