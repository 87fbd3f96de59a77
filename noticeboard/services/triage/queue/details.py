"""What the triage queue shows beside each group of one page: a sample text, the
article's label, the best-matched change and how many members match nothing.

Read for the page's groups only, a fixed number of statements whatever the law's size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from noticeboard.models import (
    Change,
    ChangeLink,
    DraftVersion,
    Law,
    Opinion,
    OpinionCluster,
    OpinionMatch,
    OpinionTriage,
    VersionArticle,
    opinion_article,
)

LIKELY = 0.5  # the "likely" score of the triage report (../shared/INTERFACES.md)
SAMPLE_CHARS = 280
CLUSTER, ARTICLE, NO_ARTICLE = "cluster", "article", "none"


@dataclass(frozen=True)
class GroupRef:
    """Names one group: a cluster by its id, an article by its key, or ``NO_ARTICLE``."""

    kind: str
    cluster_id: int | None = None
    article_key: str = ""


@dataclass(frozen=True)
class BestChange:
    change_id: int
    kind: str
    labels: list[str]
    members: int  # members whose best match it is
    mean_score: float
    max_score: float


@dataclass
class QueueGroup:
    ref: GroupRef
    size: int
    label: str = ""  # the article's label; "" for a cluster or no article
    sample: str = ""  # the campaign's representative letter, or the group's first opinion
    best: BestChange | None = None
    unmatched: int = 0  # members that could be answered with no change


def most_common_best(
    rows: Iterable[tuple[Any, int, int, float, float]],
) -> dict[Any, tuple[int, int, float, float]]:
    """Per group, the change most often its members' best (ties: the higher best score,
    then the lower id), as (change id, members, mean score, max score)."""
    options: dict[Any, list[tuple[int, int, float, float]]] = defaultdict(list)
    for group, change_id, n, mean, best in rows:
        options[group].append((change_id, n, float(mean), float(best)))
    return {
        group: min(choices, key=lambda c: (-c[1], -c[3], c[0]))
        for group, choices in options.items()
    }


Best = dict[GroupRef, tuple[int, int, float, float]]  # change id, members, mean, max


def fill_details(
    session: Session,
    law: Law,
    groups: Sequence[QueueGroup],
    first_ids: Sequence[int],
    conditions: Sequence[ColumnElement[bool]],
) -> None:
    """The details read live, from the members under ``conditions``."""
    if not groups:
        return
    tallies = _match_tallies(session, groups, conditions)
    best = most_common_best(
        (ref, change_id, n, mean, top)
        for ref, change_id, n, mean, top, _ in tallies
        if change_id is not None
    )
    unmatched: dict[GroupRef, int] = defaultdict(int)
    for ref, _, _, _, _, alone in tallies:
        unmatched[ref] += int(alone or 0)
    apply_details(session, law, groups, first_ids, best, unmatched)


def apply_details(
    session: Session,
    law: Law,
    groups: Sequence[QueueGroup],
    first_ids: Sequence[int],
    best: Best,
    unmatched: dict[GroupRef, int],
) -> None:
    """Samples, labels and the best change, given each group's tallies."""
    if not groups:
        return
    _fill_samples(session, groups, first_ids)
    keys = [g.ref.article_key for g in groups if g.ref.kind == ARTICLE]
    labels = article_labels(session, law, keys)
    for group in groups:
        group.label = labels.get(group.ref.article_key, group.ref.article_key)
    changes = {
        c.id: c
        for c in session.scalars(
            select(Change).where(Change.id.in_(sorted({b[0] for b in best.values()})))
        )
    }
    for group in groups:
        group.unmatched = unmatched.get(group.ref, 0)
        found = best.get(group.ref)
        if found is not None and found[0] in changes:
            change = changes[found[0]]
            group.best = BestChange(
                change_id=change.id,
                kind=change.kind.value,
                labels=list(change.new_labels or change.old_labels),
                members=found[1],
                mean_score=round(found[2], 3),
                max_score=round(found[3], 3),
            )


def _fill_samples(session: Session, groups: Sequence[QueueGroup], first_ids: Sequence[int]) -> None:
    cluster_ids = [g.ref.cluster_id for g in groups if g.ref.kind == CLUSTER]
    representative = dict(
        session.execute(
            select(OpinionCluster.id, OpinionCluster.representative_id).where(
                OpinionCluster.id.in_(cluster_ids)
            )
        ).all()
    )
    wanted = [
        (representative.get(g.ref.cluster_id) if g.ref.cluster_id is not None else None) or first
        for g, first in zip(groups, first_ids, strict=True)
    ]
    texts: dict[int, str] = dict(
        session.execute(
            select(Opinion.id, func.substr(Opinion.text, 1, SAMPLE_CHARS)).where(
                Opinion.id.in_(sorted(set(wanted)))
            )
        ).all()
    )
    for group, opinion_id in zip(groups, wanted, strict=True):
        group.sample = texts.get(opinion_id, "")


def article_labels(session: Session, law: Law, keys: Sequence[str]) -> dict[str, str]:
    """Each key's label in the latest version that has the article."""
    if not keys:
        return {}
    rows = session.execute(
        select(VersionArticle.key, VersionArticle.label)
        .join(DraftVersion, DraftVersion.id == VersionArticle.version_id)
        .where(DraftVersion.law_id == law.id, VersionArticle.key.in_(sorted(set(keys))))
        .order_by(DraftVersion.sequence)
    )
    return dict(rows.all())


def article_choices(session: Session, law: Law) -> list[tuple[str, str]]:
    """The articles of the law's latest version, in order, as (key, label)."""
    latest = (
        select(DraftVersion.id)
        .where(DraftVersion.law_id == law.id)
        .order_by(DraftVersion.sequence.desc())
        .limit(1)
        .scalar_subquery()
    )
    return list(
        session.execute(
            select(VersionArticle.key, VersionArticle.label)
            .where(VersionArticle.version_id == latest)
            .order_by(VersionArticle.position)
        )
    )


def _match_tallies(
    session: Session, groups: Sequence[QueueGroup], conditions: Sequence[ColumnElement[bool]]
) -> list[tuple[GroupRef, int | None, int, float, float, int]]:
    """Per (group, best change): members, mean and max score, and members matching
    nothing (no likely best match, no link). At most one statement per group kind."""
    # The best (rank 1) match is the highest score, so "no likely match" is read from it.
    alone = case(
        (
            and_(
                or_(OpinionMatch.score.is_(None), OpinionMatch.score < LIKELY),
                ~exists().where(ChangeLink.opinion_id == Opinion.id),
            ),
            1,
        ),
        else_=0,
    )
    measures = (
        OpinionMatch.change_id,
        func.count(Opinion.id),
        func.coalesce(func.avg(OpinionMatch.score), 0.0),
        func.coalesce(func.max(OpinionMatch.score), 0.0),
        func.sum(alone),
    )
    best_match = and_(OpinionMatch.opinion_id == Opinion.id, OpinionMatch.rank == 1)
    out: list[tuple[GroupRef, int | None, int, float, float, int]] = []
    cluster_ids = [g.ref.cluster_id for g in groups if g.ref.kind == CLUSTER]
    if cluster_ids:
        rows = session.execute(
            select(OpinionTriage.cluster_id, *measures)
            .select_from(Opinion)
            .join(OpinionTriage, OpinionTriage.opinion_id == Opinion.id)
            .outerjoin(OpinionMatch, best_match)
            .where(*conditions, OpinionTriage.cluster_id.in_(cluster_ids))
            .group_by(OpinionTriage.cluster_id, OpinionMatch.change_id)
        )
        out += [(GroupRef(CLUSTER, cid), *rest) for cid, *rest in rows]
    keys = [g.ref.article_key for g in groups if g.ref.kind == ARTICLE]
    no_cluster = OpinionTriage.cluster_id.is_(None)
    if keys:
        rows = session.execute(
            select(VersionArticle.key, *measures)
            .select_from(Opinion)
            .outerjoin(OpinionTriage, OpinionTriage.opinion_id == Opinion.id)
            .join(opinion_article, opinion_article.c.opinion_id == Opinion.id)
            .join(VersionArticle, VersionArticle.id == opinion_article.c.article_id)
            .outerjoin(OpinionMatch, best_match)
            .where(*conditions, no_cluster, VersionArticle.key.in_(keys))
            .group_by(VersionArticle.key, OpinionMatch.change_id)
        )
        out += [(GroupRef(ARTICLE, None, key), *rest) for key, *rest in rows]
    if any(g.ref.kind == NO_ARTICLE for g in groups):
        rows = session.execute(
            select(*measures)
            .select_from(Opinion)
            .outerjoin(OpinionTriage, OpinionTriage.opinion_id == Opinion.id)
            .outerjoin(OpinionMatch, best_match)
            .where(
                *conditions,
                no_cluster,
                ~exists().where(opinion_article.c.opinion_id == Opinion.id),
            )
            .group_by(OpinionMatch.change_id)
        )
        out += [(GroupRef(NO_ARTICLE), *row) for row in rows]
    return out
