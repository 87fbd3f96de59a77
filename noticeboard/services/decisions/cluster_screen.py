"""The read model of a campaign's page: its size, representative text, the changes that
text is matched to, its members one page at a time, and its bulk actions.

The cluster comes from ``services.triage.campaigns``; the members are read here a page
at a time (``campaigns.cluster_member_ids`` reads them all), by ``OpinionTriage``'s
``(law_id, cluster_id)`` index.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from noticeboard.models import (
    BulkAction,
    Law,
    Opinion,
    OpinionCluster,
    OpinionTriage,
    Outcome,
    User,
)
from noticeboard.services.decisions.matches import (
    RECENT_ACTIONS,
    BulkActionView,
    MatchedChange,
    Page,
    matched_changes,
)
from noticeboard.services.errors import NotFound
from noticeboard.services.permissions import Actor, Permission, require
from noticeboard.services.triage.campaigns import get_cluster

PER_PAGE = 50


@dataclass(frozen=True)
class ClusterMember:
    opinion_id: int
    receipt_code: str
    office: str | None
    outcome: Outcome
    # Staff see a contributor's name, and whether it may be shown publicly.
    name: str
    name_public: bool


@dataclass(frozen=True)
class ClusterScreen:
    cluster: OpinionCluster
    law: Law
    representative: Opinion | None
    members: Page  # of ClusterMember
    pending: int  # members still undecided
    by_outcome: dict[str, int]
    changes: list[MatchedChange]  # the representative's matched changes
    actions: list[BulkActionView]


def cluster_screen(
    session: Session, actor: Actor, cluster_id: int, *, page: int = 1, per_page: int = PER_PAGE
) -> ClusterScreen:
    require(actor, Permission.DECIDE_OPINIONS)
    cluster = get_cluster(session, cluster_id)
    law = session.get(Law, cluster.law_id)
    if law is None:
        raise NotFound("No such cluster.")
    representative = None
    if cluster.representative_id is not None:
        representative = session.get(Opinion, cluster.representative_id)
    by_outcome = {
        Outcome(outcome).value: n
        for outcome, n in session.execute(
            select(Opinion.outcome, func.count())
            .join(OpinionTriage, OpinionTriage.opinion_id == Opinion.id)
            .where(OpinionTriage.law_id == cluster.law_id, OpinionTriage.cluster_id == cluster.id)
            .group_by(Opinion.outcome)
        )
    }
    total = sum(by_outcome.values())
    page = min(max(1, page), max(1, -(-total // per_page)))
    opinions = session.scalars(
        select(Opinion)
        .join(OpinionTriage, OpinionTriage.opinion_id == Opinion.id)
        .where(OpinionTriage.law_id == cluster.law_id, OpinionTriage.cluster_id == cluster.id)
        .options(joinedload(Opinion.office))
        .order_by(Opinion.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    members = [
        ClusterMember(
            o.id,
            o.receipt_code,
            o.office.name if o.office else None,
            o.outcome,
            o.contributor_name,
            o.name_public,
        )
        for o in opinions
    ]
    return ClusterScreen(
        cluster=cluster,
        law=law,
        representative=representative,
        members=Page(members, total, page, per_page),
        pending=by_outcome.get(Outcome.PENDING.value, 0),
        by_outcome=by_outcome,
        changes=matched_changes(session, representative.id) if representative else [],
        actions=_cluster_actions(session, cluster),
    )


def _cluster_actions(session: Session, cluster: OpinionCluster) -> list[BulkActionView]:
    rows = session.execute(
        select(BulkAction, User.email)
        .outerjoin(User, User.id == BulkAction.actor_id)
        .where(BulkAction.law_id == cluster.law_id, BulkAction.cluster_id == cluster.id)
        .order_by(BulkAction.id.desc())
        .limit(RECENT_ACTIONS)
    ).all()
    return [
        BulkActionView(
            a.id, a.kind, a.count, a.created_at, email, a.undone_at, dict(a.params or {})
        )
        for a, email in rows
    ]
