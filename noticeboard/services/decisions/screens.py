"""Read models for the commission's two screens: a change with the opinions behind it and
those suggested for it, and an opinion with its decision, suggested changes and history.
Each loads everything its page shows."""

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
from noticeboard.services.decisions.outcomes import (
    decision_history,
    latest_decision,
    linked_changes,
)
from noticeboard.services.decisions.suggestions import (
    Suggestion,
    suggest_changes,
    suggest_opinions,
)
from noticeboard.services.opinions.queries import ArticleTrail, article_trails, get_opinion
from noticeboard.services.permissions import Actor, Permission, require
from noticeboard.services.public.law_pages import ChangeView, change_view


@dataclass(frozen=True)
class ChangeScreen:
    law: Law
    comparison: VersionComparison  # with both versions
    view: ChangeView
    links: list[ChangeLink]  # with their opinions
    editorial: EditorialMark | None
    suggestions: list[Suggestion]  # opinions, ranked


def change_screen(session: Session, actor: Actor, change_id: int) -> ChangeScreen:
    require(actor, Permission.DECIDE_OPINIONS)
    change = links.get_change(session, change_id)
    slug = change.comparison.from_version.law.slug
    law, comparison, view = change_view(session, slug, change_id, staff=True)
    return ChangeScreen(
        law=law,
        comparison=comparison,
        view=view,
        links=links.links_of_change(session, change),
        editorial=session.get(EditorialMark, change.id),
        suggestions=suggest_opinions(session, change),
    )


@dataclass(frozen=True)
class OpinionScreen:
    opinion: Opinion  # with law, version, office, point and articles
    trails: list[ArticleTrail]
    suggestions: list[Suggestion]  # changes, ranked
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
        suggestions=suggest_changes(session, opinion),
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
