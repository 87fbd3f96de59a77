"""Counting a law's triage queue ahead: the rows ``queue.summary`` reads.

Built at the end of the matching job (``refresh.triage_law``) in one transaction, chunk by chunk
so that no statement takes long: a new generation beside the one being read, then
switched to, so a reader sees the old count or the new one and never half of one.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    delete,
    exists,
    func,
    insert,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from noticeboard.models import (
    ChangeLink,
    Opinion,
    OpinionMatch,
    OpinionTriage,
    Outcome,
    QueueSummary,
    QueueSummaryBuild,
    VersionArticle,
    opinion_article,
    utcnow,
)
from noticeboard.services.triage.queue.details import ARTICLE, CLUSTER, LIKELY, NO_ARTICLE

# Opinions of the law counted per statement, about: each chunk's grouped INSERT stays
# well under a second on PostgreSQL (0.3 to 0.6 s for 15,000 opinions on this machine).
CHUNK = 15_000
LAW = "law"  # rows counting each opinion once, for the counters
COLUMNS = [
    "generation",
    "law_id",
    "group_kind",
    "cluster_id",
    "article_key",
    "cited_key",
    "office_id",
    "pending",
    "matched",
    "linked",
    "best_change_id",
    "size",
    "first_id",
    "score_sum",
    "score_max",
]


def build_summary(session: Session, law_id: int) -> int:
    """Count the law's queue into a new generation and switch to it; the rows written.
    Flushes only: the caller commits, so readers see the old generation or the new one."""
    generation = secrets.randbelow(2**31 - 2) + 1
    low, high, count = session.execute(
        select(func.min(Opinion.id), func.max(Opinion.id), func.count(Opinion.id)).where(
            Opinion.law_id == law_id
        )
    ).one()
    if count:
        # Id ranges holding about CHUNK of the law's opinions each, as its ids are spread
        # among other laws' (a law alone takes every id; one of two, every other).
        step = max(1, (int(high) - int(low) + 1) * CHUNK // int(count))
        starts = range(int(low), int(high) + 1, step)
        # Many chunks count a group many times over: staged apart, then summed once, so
        # readers sum fewer rows.
        staged = -generation if len(starts) > 1 else generation
        for start in starts:
            session.execute(_count_chunk(law_id, staged, start, start + step))
        if staged != generation:
            # By kind of group and of filter: disjoint parts of the GROUP BY, each a
            # statement of its own (at once it took 0.78 s for half a million opinions).
            for kind in (LAW, CLUSTER, ARTICLE, NO_ARTICLE):
                for filtered in (False, True):
                    session.execute(_compacted(law_id, staged, generation, kind, filtered))
    build = session.get(QueueSummaryBuild, law_id)
    if build is None:
        session.add(QueueSummaryBuild(law_id=law_id, generation=generation, built_at=utcnow()))
    else:
        build.generation, build.built_at = generation, utcnow()
    session.flush()
    # Every other generation: the staged rows, the one replaced, and any a concurrent
    # build left behind (PostgreSQL does not let this see a build still in progress).
    _delete_rows(session, law_id, QueueSummary.generation != generation)
    # Counted rather than summed from each INSERT: SQLite reports no row count for these.
    written = session.scalar(
        select(func.count()).where(
            QueueSummary.law_id == law_id, QueueSummary.generation == generation
        )
    )
    return int(written or 0)


DELETED_PER_STATEMENT = 40_000  # rows: 0.25 s or so, where all at once took 0.8 s


def _delete_rows(session: Session, law_id: int, condition: Any) -> None:
    """Delete the law's summary rows under ``condition``, by ranges of their ids."""
    s = QueueSummary
    low, high = session.execute(
        select(func.min(s.id), func.max(s.id)).where(s.law_id == law_id, condition)
    ).one()
    if low is None:
        return
    for start in range(int(low), int(high) + 1, DELETED_PER_STATEMENT):
        session.execute(
            delete(s).where(
                s.law_id == law_id,
                condition,
                s.id >= start,
                s.id < start + DELETED_PER_STATEMENT,
            )
        )


def _count_chunk(law_id: int, generation: int, start: int, stop: int) -> Any:
    best = OpinionMatch
    flags = (
        select(
            Opinion.id.label("opinion_id"),
            Opinion.office_id.label("office_id"),
            (Opinion.outcome == Outcome.PENDING).label("pending"),
            # The best match scores highest: likely if it is (no probe of the others).
            (func.coalesce(best.score, 0.0) >= LIKELY).label("matched"),
            _linked(Opinion.id).label("linked"),
            OpinionTriage.cluster_id.label("cluster_id"),
            best.change_id.label("best_change_id"),
            func.coalesce(best.score, 0.0).label("score"),
        )
        .select_from(Opinion)
        .outerjoin(OpinionTriage, OpinionTriage.opinion_id == Opinion.id)
        .outerjoin(best, and_(best.opinion_id == Opinion.id, best.rank == 1))
        .where(Opinion.law_id == law_id, Opinion.id >= start, Opinion.id < stop)
        .cte("flags")
    )
    f = flags.c
    keys = (f.office_id, f.pending, f.matched, f.linked, f.best_change_id)
    measures = (
        func.count().label("size"),
        func.min(f.opinion_id).label("first_id"),
        func.sum(f.score).label("score_sum"),
        func.max(f.score).label("score_max"),
    )

    def kind(name: str, cluster: Any, key: Any, cited: Any = None) -> tuple[Any, ...]:
        return (
            literal(generation),
            literal(law_id),
            literal(name),
            cluster,
            key,
            literal("") if cited is None else cited,
            *keys,
            *measures,
        )

    alone = f.cluster_id.is_(None)
    # The article of the group (``grouped``) and, for the queue filtered to one cited
    # article, that article (``cited``): two views of the opinion's citations.
    grouped_cite, cited_cite = opinion_article.alias(), opinion_article.alias()
    grouped, cited = aliased(VersionArticle), aliased(VersionArticle)
    whole = select(*kind(LAW, null(), literal(""))).group_by(*keys)
    clusters = (
        select(*kind(CLUSTER, f.cluster_id, literal("")))
        .where(f.cluster_id.is_not(None))
        .group_by(f.cluster_id, *keys)
    )
    articles = (
        select(*kind(ARTICLE, null(), grouped.key))
        .select_from(flags)
        .join(grouped_cite, grouped_cite.c.opinion_id == f.opinion_id)
        .join(grouped, grouped.id == grouped_cite.c.article_id)
        .where(alone)
        .group_by(grouped.key, *keys)
    )
    uncited = (
        select(*kind(NO_ARTICLE, null(), literal("")))
        .where(alone, ~exists().where(opinion_article.c.opinion_id == f.opinion_id))
        .group_by(*keys)
    )
    clusters_citing = (
        select(*kind(CLUSTER, f.cluster_id, literal(""), cited.key))
        .select_from(flags)
        .join(cited_cite, cited_cite.c.opinion_id == f.opinion_id)
        .join(cited, cited.id == cited_cite.c.article_id)
        .where(f.cluster_id.is_not(None))
        .group_by(f.cluster_id, cited.key, *keys)
    )
    articles_citing = (
        select(*kind(ARTICLE, null(), grouped.key, cited.key))
        .select_from(flags)
        .join(grouped_cite, grouped_cite.c.opinion_id == f.opinion_id)
        .join(grouped, grouped.id == grouped_cite.c.article_id)
        .join(cited_cite, cited_cite.c.opinion_id == f.opinion_id)
        .join(cited, cited.id == cited_cite.c.article_id)
        .where(alone)
        .group_by(grouped.key, cited.key, *keys)
    )
    parts = union_all(whole, clusters, articles, uncited, clusters_citing, articles_citing)
    return insert(QueueSummary).from_select(COLUMNS, parts)


def _compacted(law_id: int, staged: int, generation: int, kind: str, filtered: bool) -> Any:
    s = QueueSummary
    keys = (
        s.group_kind,
        s.cluster_id,
        s.article_key,
        s.cited_key,
        s.office_id,
        s.pending,
        s.matched,
        s.linked,
        s.best_change_id,
    )
    summed = (
        select(
            literal(generation),
            literal(law_id),
            *keys,
            func.sum(s.size),
            func.min(s.first_id),
            func.sum(s.score_sum),
            func.max(s.score_max),
        )
        .where(
            s.law_id == law_id,
            s.generation == staged,
            s.group_kind == kind,
            (s.cited_key != "") if filtered else (s.cited_key == ""),
        )
        .group_by(*keys)
    )
    return insert(QueueSummary).from_select(COLUMNS, summed)


def _linked(opinion_id: Any) -> ColumnElement[bool]:
    return exists().where(ChangeLink.opinion_id == opinion_id)
