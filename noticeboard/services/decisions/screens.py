"""Read models for the commission's two screens: a change with the opinions behind it and
those matched to it, and an opinion with its decision, matched changes and history.
Each loads everything its page shows; the matches are the stored ones (``matches``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import (
    AuditEvent,
    ChangeLink,
    Decision,
    EditorialMark,
    Law,
    Opinion,
    VersionComparison,
)
from noticeboard.services.audit_queries import events_for
from noticeboard.services.decisions import links
from noticeboard.services.decisions.matches import (
    LIKELY,
    BulkActionView,
    ClusterChoice,
    MatchedChange,
    Page,
    clusters_matched_to,
    count_matched_unlinked,
    linked_opinions,
    matched_changes,
    matched_opinions,
    recent_bulk_actions,
)
from noticeboard.services.decisions.outcomes import (
    decision_history,
    latest_decision,
    linked_changes,
)
from noticeboard.services.opinions.queries import ArticleTrail, article_trails, get_opinion
from noticeboard.services.permissions import Actor, Permission, require
from noticeboard.services.public.law_pages import ChangeView, change_view


@dataclass(frozen=True)
class ChangeScreen:
    law: Law
    comparison: VersionComparison  # with both versions
    view: ChangeView
    links: Page  # of ChangeLink, with their opinions
    linked_pending: int  # linked opinions still undecided
    editorial: EditorialMark | None
    matches: Page  # of MatchedOpinion, best first
    min_score: float  # the score of the "link the matched" form
    unlinked_matched: int  # matched at min_score or more and not linked yet
    clusters: list[ClusterChoice]
    clusters_total: int
    actions: list[BulkActionView]  # the change's recent bulk actions


def change_screen(
    session: Session,
    actor: Actor,
    change_id: int,
    *,
    page: int = 1,
    linked_page: int = 1,
    min_score: float = LIKELY,
) -> ChangeScreen:
    require(actor, Permission.DECIDE_OPINIONS)
    change = links.get_change(session, change_id)
    slug = change.comparison.from_version.law.slug
    law, comparison, view = change_view(session, slug, change_id, staff=True)
    linked, linked_pending = linked_opinions(session, change.id, page=linked_page)
    clusters, clusters_total = clusters_matched_to(session, change.id)
    return ChangeScreen(
        law=law,
        comparison=comparison,
        view=view,
        links=linked,
        linked_pending=linked_pending,
        editorial=session.get(EditorialMark, change.id),
        matches=matched_opinions(session, change.id, page=page),
        min_score=min_score,
        unlinked_matched=count_matched_unlinked(session, change.id, min_score),
        clusters=clusters,
        clusters_total=clusters_total,
        actions=recent_bulk_actions(session, law.id, change.id),
    )


@dataclass(frozen=True)
class OpinionScreen:
    opinion: Opinion  # with law, version, office, point and articles
    trails: list[ArticleTrail]
    matches: list[MatchedChange]  # stored matches, best first
    linked: list[ChangeLink]  # with their changes
    history: list[Decision]
    events: list[AuditEvent]  # with their actors
    latest: Decision | None


def opinion_screen(session: Session, actor: Actor, opinion_id: int) -> OpinionScreen:
    """The opinion's decision page; only opinions within the actor's offices."""
    require(actor, Permission.DECIDE_OPINIONS)
    opinion = get_opinion(session, actor, opinion_id)
    return OpinionScreen(
        opinion=opinion,
        trails=article_trails(session, opinion),
        matches=matched_changes(session, opinion.id),
        linked=linked_changes(session, opinion),
        history=decision_history(session, opinion),
        events=events_for(session, "opinion", opinion.id),
        latest=latest_decision(session, opinion),
    )


def opinions_to_decide(session: Session, actor: Actor, ids: Sequence[int]) -> list[Opinion]:
    """The opinions a group decision names (unknown ids are left out)."""
    require(actor, Permission.DECIDE_OPINIONS)
    if not ids:
        return []
    return list(session.scalars(select(Opinion).where(Opinion.id.in_(ids))))
