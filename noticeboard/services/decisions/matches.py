"""What the decision screens read of the stored triage: the opinions matched to a change
(from ``OpinionMatch``, computed by the matching job, never in the request), the changes
matched to an opinion, the campaigns behind a change, and the change's bulk actions.

Every list is paginated or bounded with its total shown; every query is driven by an
index (``ix_opinion_match_change_score``, the match's primary key, ``change_link``'s
unique pair).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased, selectinload

from noticeboard.models import (
    BulkAction,
    BulkKind,
    Change,
    ChangeLink,
    Opinion,
    OpinionCluster,
    OpinionMatch,
    OpinionTriage,
    Outcome,
    User,
)
from noticeboard.services.decisions.links import QUIET_KINDS

PER_PAGE = 25
LIKELY = 0.5  # a score of 0.5 or more means "likely" (INTERFACES.md, triage report)
CLUSTER_CHOICES = 50
RECENT_ACTIONS = 10


@dataclass(frozen=True)
class Reasons:
    """The parts of a stored score: why a match was suggested."""

    score: float
    article: float  # it cited the changed article
    quoted: float  # the edit has wording it quotes
    similar: float  # rarity-weighted text similarity
    against: float  # the next version still does not do what it asked


@dataclass(frozen=True)
class MatchedOpinion:
    opinion: Opinion
    reasons: Reasons
    linked: bool
    cluster_id: int | None


@dataclass(frozen=True)
class MatchedChange:
    change: Change
    reasons: Reasons
    rank: int
    linked: bool


@dataclass(frozen=True)
class Page:
    items: list[Any]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class ClusterChoice:
    cluster_id: int
    size: int
    matched: int  # members matched to this change
    representative: str


@dataclass(frozen=True)
class BulkActionView:
    id: int
    kind: BulkKind
    count: int
    created_at: datetime
    actor: str | None
    undone_at: datetime | None
    params: dict[str, Any]


def _reasons(match: OpinionMatch) -> Reasons:
    return Reasons(match.score, match.article, match.quoted, match.similar, match.against)


def _page_number(page: int, total: int, per_page: int) -> int:
    return min(max(1, page), max(1, -(-total // per_page)))


def matched_opinions(
    session: Session, change_id: int, *, page: int = 1, per_page: int = PER_PAGE
) -> Page:
    """The opinions matched to the change, best first, one page of them."""
    of_change = OpinionMatch.change_id == change_id
    total = session.scalar(select(func.count()).select_from(OpinionMatch).where(of_change)) or 0
    page = _page_number(page, total, per_page)
    linked = exists().where(
        ChangeLink.change_id == change_id, ChangeLink.opinion_id == OpinionMatch.opinion_id
    )
    rows = session.execute(
        select(OpinionMatch, linked.label("linked"), OpinionTriage.cluster_id)
        .outerjoin(OpinionTriage, OpinionTriage.opinion_id == OpinionMatch.opinion_id)
        .where(OpinionMatch.change_id == change_id)
        .order_by(OpinionMatch.score.desc(), OpinionMatch.opinion_id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    opinions = {
        o.id: o
        for o in session.scalars(
            select(Opinion).where(Opinion.id.in_([r.OpinionMatch.opinion_id for r in rows]))
        )
    }
    items = [
        MatchedOpinion(opinions[m.opinion_id], _reasons(m), linked, cluster_id)
        for m, linked, cluster_id in rows
    ]
    return Page(items, total, page, per_page)


def count_matched_unlinked(session: Session, change_id: int, min_score: float) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(OpinionMatch)
            .where(
                OpinionMatch.change_id == change_id,
                OpinionMatch.score >= min_score,
                ~exists().where(
                    ChangeLink.change_id == change_id,
                    ChangeLink.opinion_id == OpinionMatch.opinion_id,
                ),
            )
        )
        or 0
    )


def matched_changes(session: Session, opinion_id: int) -> list[MatchedChange]:
    """The changes matched to the opinion (a handful: every pair of 0.2 or more and its
    best three), best first."""
    linked = exists().where(
        ChangeLink.change_id == OpinionMatch.change_id, ChangeLink.opinion_id == opinion_id
    )
    rows = session.execute(
        select(OpinionMatch, Change, linked.label("linked"))
        .join(Change, Change.id == OpinionMatch.change_id)
        .where(OpinionMatch.opinion_id == opinion_id, Change.kind.not_in(QUIET_KINDS))
        .order_by(OpinionMatch.score.desc(), OpinionMatch.rank)
    ).all()
    return [
        MatchedChange(r.Change, _reasons(r.OpinionMatch), r.OpinionMatch.rank, r.linked)
        for r in rows
    ]


def linked_opinions(
    session: Session, change_id: int, *, page: int = 1, per_page: int = PER_PAGE
) -> tuple[Page, int]:
    """One page of the change's links with their opinions, and how many linked opinions
    are still pending."""
    total = (
        session.scalar(
            select(func.count()).select_from(ChangeLink).where(ChangeLink.change_id == change_id)
        )
        or 0
    )
    pending = (
        session.scalar(
            select(func.count())
            .select_from(ChangeLink)
            .join(Opinion, Opinion.id == ChangeLink.opinion_id)
            .where(ChangeLink.change_id == change_id, Opinion.outcome == Outcome.PENDING)
        )
        or 0
    )
    page = _page_number(page, total, per_page)
    items = list(
        session.scalars(
            select(ChangeLink)
            .where(ChangeLink.change_id == change_id)
            .options(selectinload(ChangeLink.opinion))
            .order_by(ChangeLink.id)
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
    )
    return Page(items, total, page, per_page), pending


def clusters_matched_to(session: Session, change_id: int) -> tuple[list[ClusterChoice], int]:
    """The campaigns whose letter (their representative) is matched to the change, the
    biggest first (the first ``CLUSTER_CHOICES``), and how many there are in all.

    Read from the representatives' matches, not every member's: the copies of one letter
    match alike, and grouping a busy change's matches by cluster meant probing tens of
    thousands of triage rows on every view (0.4 s at a million opinions)."""
    matched = (
        select(OpinionCluster.id, OpinionCluster.size, OpinionCluster.representative_id)
        .join(OpinionMatch, OpinionMatch.opinion_id == OpinionCluster.representative_id)
        .where(OpinionMatch.change_id == change_id)
        .subquery()
    )
    total = session.scalar(select(func.count()).select_from(matched)) or 0
    representative = aliased(Opinion)
    rows = session.execute(
        select(matched.c.id, matched.c.size, representative.text)
        .outerjoin(representative, representative.id == matched.c.representative_id)
        .order_by(matched.c.size.desc(), matched.c.id)
        .limit(CLUSTER_CHOICES)
    ).all()
    return [ClusterChoice(r.id, r.size, r.size, (r.text or "")[:240]) for r in rows], total


def recent_bulk_actions(session: Session, law_id: int, change_id: int) -> list[BulkActionView]:
    rows = session.execute(
        select(BulkAction, User.email)
        .outerjoin(User, User.id == BulkAction.actor_id)
        .where(BulkAction.law_id == law_id, BulkAction.change_id == change_id)
        .order_by(BulkAction.id.desc())
        .limit(RECENT_ACTIONS)
    ).all()
    return [
        BulkActionView(
            a.id, a.kind, a.count, a.created_at, email, a.undone_at, dict(a.params or {})
        )
        for a, email in rows
    ]
