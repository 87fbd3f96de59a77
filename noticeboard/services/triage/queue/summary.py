"""A law's triage queue counted ahead (``QueueSummary``), and the queue read from it.

Grouping half a million opinions with their matches and links takes 1.7 s on
PostgreSQL, every time the queue is opened. So the matching job ends by counting the
queue ahead (``recount``): per group, office, filter flag and best-matched change, how many opinions
and the first of them. The queue then sums some thousands of those rows instead. The
counts are as fresh as the last job; new opinions and every write that moves an
opinion between groups or filters queue one (``staleness.note_queue_changed``),
and the page says when it was counted and whether a recount is under way.

The queue filtered to one cited article has rows of its own (``cited_key``), since an
opinion citing two articles stands in the groups of both.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    false,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session

from noticeboard.models import (
    JobState,
    Law,
    QueueSummary,
    QueueSummaryBuild,
)
from noticeboard.services.accounts.scope import office_scope
from noticeboard.services.permissions import Actor
from noticeboard.services.triage.queue.details import (
    ARTICLE,
    CLUSTER,
    NO_ARTICLE,
    GroupRef,
    QueueGroup,
    most_common_best,
)
from noticeboard.services.triage.queue.recount import LAW
from noticeboard.services.triage.staleness import matching_job_for


@dataclass(frozen=True)
class SummaryState:
    built_at: datetime
    recounting: bool  # a matching job for the law is waiting or running


def summary_state(session: Session, law: Law) -> SummaryState | None:
    """When the law's queue was counted, or None if it never was (read live)."""
    build = session.get(QueueSummaryBuild, law.id)
    if build is None:
        return None
    recounting = matching_job_for(session, law.id, (JobState.QUEUED, JobState.RUNNING))
    return SummaryState(build.built_at, recounting)


def summary_rows(
    session: Session,
    actor: Actor,
    law: Law,
    office_id: int | None,
    pending_only: bool,
    match: str | None,
    article_key: str | None = None,
) -> list[ColumnElement[bool]]:
    """Conditions on ``QueueSummary``: the law's current generation, under the filters,
    inside the actor's offices. The generation is read in each statement, so a recount
    committed meanwhile is read whole rather than one whose rows it just deleted."""
    current = select(QueueSummaryBuild.generation).where(QueueSummaryBuild.law_id == law.id)
    conditions = [
        QueueSummary.law_id == law.id,
        QueueSummary.generation == current.scalar_subquery(),
        QueueSummary.cited_key == (article_key or ""),
        office_scope(session, actor).where(QueueSummary.office_id),
    ]
    if office_id is not None:
        conditions.append(QueueSummary.office_id == office_id)
    if pending_only:
        conditions.append(QueueSummary.pending == true())
    if match == "matched":
        conditions.append(QueueSummary.matched == true())
    elif match == "unmatched":
        conditions.append(and_(QueueSummary.matched == false(), QueueSummary.linked == false()))
    return conditions


def summary_groups(conditions: list[ColumnElement[bool]], min_size: int) -> Select[Any]:
    """Every group with its size and first member, largest first, ordered as the live
    query orders them, the number of groups beside: the columns of ``groups._grouped``."""
    s = QueueSummary
    size = func.sum(s.size)
    columns: list[Any] = [
        s.group_kind.label("kind"),
        s.cluster_id.label("cluster_id"),
        s.article_key.label("key"),
        size.label("size"),
        func.min(s.first_id).label("first_id"),
        func.count().over().label("total"),
    ]
    return (
        select(*columns)
        .where(*conditions, s.group_kind != LAW)
        .group_by(s.group_kind, s.cluster_id, s.article_key)
        .having(size >= min_size)
        .order_by(size.desc(), s.group_kind, s.cluster_id, s.article_key)
    )


def summary_counts(session: Session, conditions: list[ColumnElement[bool]]) -> tuple[int, ...]:
    """(total, pending, matched, linked) from the rows counting each opinion once."""
    s = QueueSummary

    def where(flag: Any) -> Any:
        return func.coalesce(func.sum(case((flag == true(), s.size), else_=0)), 0)

    row = session.execute(
        select(func.coalesce(func.sum(s.size), 0), where(s.pending), where(s.matched))
        .add_columns(where(s.linked))
        .where(*conditions, s.group_kind == LAW)
    ).one()
    return tuple(int(v) for v in row)


def summary_tallies(
    session: Session, groups: list[QueueGroup], conditions: list[ColumnElement[bool]]
) -> tuple[dict[GroupRef, tuple[int, int, float, float]], dict[GroupRef, int]]:
    """For the page's groups: the change most often their members' best, and how many
    members match nothing, from the summary, in one statement."""
    s = QueueSummary
    cluster_ids = [g.ref.cluster_id for g in groups if g.ref.kind == CLUSTER]
    keys = [g.ref.article_key for g in groups if g.ref.kind == ARTICLE]
    wanted = [
        and_(s.group_kind == CLUSTER, s.cluster_id.in_(cluster_ids)),
        and_(s.group_kind == ARTICLE, s.article_key.in_(keys)),
    ]
    if any(g.ref.kind == NO_ARTICLE for g in groups):
        wanted.append(s.group_kind == NO_ARTICLE)
    alone = case((and_(s.matched == false(), s.linked == false()), s.size), else_=0)
    rows = session.execute(
        select(
            s.group_kind,
            s.cluster_id,
            s.article_key,
            s.best_change_id,
            func.sum(s.size),
            func.sum(s.score_sum),
            func.max(s.score_max),
            func.sum(alone),
        )
        .where(*conditions, or_(*wanted))
        .group_by(s.group_kind, s.cluster_id, s.article_key, s.best_change_id)
    ).all()
    options: list[tuple[GroupRef, int, int, float, float]] = []
    unmatched: dict[GroupRef, int] = defaultdict(int)
    for kind, cluster_id, key, change_id, n, score_sum, top, lonely in rows:
        ref = GroupRef(kind, cluster_id, key or "")
        unmatched[ref] += int(lonely or 0)
        if change_id is not None:
            options.append((ref, change_id, int(n), float(score_sum) / int(n), float(top)))
    return most_common_best(options), unmatched
