"""What a citizen sees when they type the receipt code from their slip.

Only their own opinion, and of it only what is theirs or public: the text they sent,
where and how it was received, and what became of it. Never a name or a contact: the
code is a bearer secret, and a lost slip must not give away who wrote it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from noticeboard.models import (
    Change,
    ChangeLink,
    Channel,
    Decision,
    DraftVersion,
    LinkDegree,
    Opinion,
    Outcome,
    VersionArticle,
    VersionComparison,
)
from noticeboard.services.decisions.outcomes import latest_decision
from noticeboard.services.loading import ensure_loaded
from noticeboard.services.opinions.receipts import (
    MalformedReceiptCode,
    format_receipt_code,
    parse_receipt_code,
)
from noticeboard.services.public.law_pages import ChangeView, change_view
from noticeboard.services.public.visibility import is_public_version, shown_to_public


class LookupStatus(enum.StrEnum):
    MALFORMED = "malformed"  # a typo: "please check the code"
    NOT_FOUND = "not_found"  # well-formed, matches nothing: the generic answer
    FOUND = "found"


@dataclass(frozen=True)
class CreditedChange:
    view: ChangeView
    degree: LinkDegree
    law_slug: str
    from_label: str
    to_label: str


@dataclass(frozen=True)
class TrackedOpinion:
    code: str  # formatted XXXX-XXXX-XX
    feed_token: str
    law_title: str
    law_slug: str
    version_label: str
    articles: list[VersionArticle]
    received_on: date
    office_name: str | None
    channel: Channel
    text: str
    outcome: Outcome
    decided_at: datetime | None
    decision: Decision | None
    published_since: list[DraftVersion]
    credited: list[CreditedChange]


@dataclass(frozen=True)
class LookupResult:
    status: LookupStatus
    opinion: TrackedOpinion | None = None


# What a tracked opinion shows of itself.
_TRACKED = (
    joinedload(Opinion.law),
    joinedload(Opinion.version),
    joinedload(Opinion.office),
    selectinload(Opinion.articles),
)


def lookup_receipt(session: Session, typed: str) -> LookupResult:
    try:
        code = parse_receipt_code(typed)
    except MalformedReceiptCode:
        return LookupResult(LookupStatus.MALFORMED)
    opinion = session.scalar(select(Opinion).where(Opinion.receipt_code == code).options(*_TRACKED))
    if opinion is None:
        return LookupResult(LookupStatus.NOT_FOUND)
    return LookupResult(LookupStatus.FOUND, tracked(session, opinion))


def opinion_by_feed_token(session: Session, token: str) -> Opinion | None:
    if not token or len(token) > 64:
        return None
    return session.scalar(select(Opinion).where(Opinion.feed_token == token).options(*_TRACKED))


def tracked(session: Session, opinion: Opinion) -> TrackedOpinion:
    ensure_loaded(session, opinion, "law", "version", "office", "articles")
    since = list(
        session.scalars(
            select(DraftVersion)
            .where(
                DraftVersion.law_id == opinion.law_id,
                DraftVersion.sequence > opinion.version.sequence,
                is_public_version(),
            )
            .order_by(DraftVersion.sequence)
        )
    )
    credited: list[CreditedChange] = []
    if opinion.outcome in (Outcome.ADOPTED, Outcome.PARTIALLY_ADOPTED):
        for link in session.scalars(
            select(ChangeLink)
            .where(ChangeLink.opinion_id == opinion.id)
            .order_by(ChangeLink.id)
            .options(
                joinedload(ChangeLink.change)
                .joinedload(Change.comparison)
                .joinedload(VersionComparison.from_version),
                joinedload(ChangeLink.change)
                .joinedload(Change.comparison)
                .joinedload(VersionComparison.to_version),
            )
        ):
            comparison = link.change.comparison
            if not shown_to_public(comparison.to_version):
                continue  # the change is in a draft the public cannot see yet
            _, _, view = change_view(session, opinion.law.slug, link.change_id)
            credited.append(
                CreditedChange(
                    view=view,
                    degree=link.degree,
                    law_slug=opinion.law.slug,
                    from_label=comparison.from_version.label,
                    to_label=comparison.to_version.label,
                )
            )
    return TrackedOpinion(
        code=format_receipt_code(opinion.receipt_code),
        feed_token=opinion.feed_token,
        law_title=opinion.law.title,
        law_slug=opinion.law.slug,
        version_label=opinion.version.label,
        articles=list(opinion.articles),
        received_on=opinion.received_on,
        office_name=opinion.office.name if opinion.office else None,
        channel=opinion.channel,
        text=opinion.text,
        outcome=opinion.outcome,
        decided_at=opinion.decided_at,
        decision=latest_decision(session, opinion)
        if opinion.outcome is not Outcome.PENDING
        else None,
        published_since=since,
        credited=credited,
    )
