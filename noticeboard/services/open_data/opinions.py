"""Open data on opinions: what the public pages show of each, and nothing more.

Only these columns are ever loaded (never the opinion's own text, the contact, the
receipt code or the feed token); the name only with the contributor's consent. Opinions
on versions that are not (or no longer) published are left out. Lists are ordered by id,
so a cursor (the last id seen) pages through them stably while new opinions come in.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, load_only

from noticeboard.models import (
    ChangeLink,
    Channel,
    Decision,
    DraftVersion,
    Law,
    Office,
    Opinion,
    Outcome,
    VersionArticle,
    opinion_article,
)
from noticeboard.services.errors import NotFound, ValidationFailed
from noticeboard.services.open_data.texts import Json, Page
from noticeboard.services.public.adoptions import ADOPTED, public_contributor, shaped_changes
from noticeboard.services.public.visibility import NAME_CONSENT_COLUMNS, is_public_opinion, iso

PUBLIC_COLUMNS = (
    Opinion.id,
    Opinion.law_id,
    Opinion.version_id,
    Opinion.office_id,
    Opinion.channel,
    Opinion.received_on,
    Opinion.contributor_category,
    *NAME_CONSENT_COLUMNS,
    Opinion.summary,
    Opinion.reference,
    Opinion.outcome,
    Opinion.decided_at,
    Opinion.lock_version,
)


@dataclass(frozen=True)
class OpinionFilters:
    """The staff lists' filters: all optional, combined with AND."""

    law: str | None = None  # slug
    version: int | None = None  # sequence, with a law
    article: str | None = None  # stable article key, with a law
    office: str | None = None  # slug
    channel: str | None = None
    outcome: str | None = None
    received_from: date | None = None
    received_to: date | None = None
    decided_from: date | None = None
    decided_to: date | None = None


def _enum(kind: type[Channel] | type[Outcome], value: str, label: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        raise ValidationFailed(
            "Unknown %(name)s: %(value)s.", details={"parameter": label}, name=label, value=value
        ) from None


def _midnight(day: date) -> datetime:
    # Decision dates are UTC dates, as the API prints decided_at in UTC.
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC)


def public_opinion_query(session: Session, filters: OpinionFilters) -> Select[Opinion]:
    query = (
        select(Opinion)
        .options(load_only(*PUBLIC_COLUMNS))
        .where(is_public_opinion())
        .order_by(Opinion.id)
    )
    if (filters.version is not None or filters.article) and not filters.law:
        raise ValidationFailed(
            "Filter by version or article together with a law.", details={"parameter": "law"}
        )
    if filters.law:
        law_id = session.scalar(select(Law.id).where(Law.slug == filters.law))
        query = query.where(Opinion.law_id == (law_id or -1))
        if filters.version is not None:
            query = query.where(
                Opinion.version_id.in_(
                    select(DraftVersion.id).where(
                        DraftVersion.law_id == (law_id or -1),
                        DraftVersion.sequence == filters.version,
                    )
                )
            )
        if filters.article:
            targets = (
                select(opinion_article.c.opinion_id)
                .join(VersionArticle, VersionArticle.id == opinion_article.c.article_id)
                .join(DraftVersion, DraftVersion.id == VersionArticle.version_id)
                .where(DraftVersion.law_id == (law_id or -1), VersionArticle.key == filters.article)
            )
            query = query.where(Opinion.id.in_(targets))
    if filters.office:
        query = query.where(
            Opinion.office_id.in_(select(Office.id).where(Office.slug == filters.office))
        )
    if filters.channel:
        query = query.where(Opinion.channel == _enum(Channel, filters.channel, "channel"))
    if filters.outcome:
        query = query.where(Opinion.outcome == _enum(Outcome, filters.outcome, "outcome"))
    if filters.received_from:
        query = query.where(Opinion.received_on >= filters.received_from)
    if filters.received_to:
        query = query.where(Opinion.received_on <= filters.received_to)
    if filters.decided_from:
        query = query.where(Opinion.decided_at >= _midnight(filters.decided_from))
    if filters.decided_to:
        query = query.where(Opinion.decided_at < _midnight(filters.decided_to + timedelta(days=1)))
    return query


def list_public_opinions(
    session: Session, filters: OpinionFilters, *, after: int | None = None, limit: int = 50
) -> Page:
    query = public_opinion_query(session, filters)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    if after is not None:
        query = query.where(Opinion.id > after)
    opinions = list(session.scalars(query.limit(limit + 1)))
    more = len(opinions) > limit
    opinions = opinions[:limit]
    return Page(
        items=opinion_dicts(session, opinions),
        next_after=opinions[-1].id if more and opinions else None,
        total=total,
    )


def public_opinion(session: Session, opinion_id: int) -> Json:
    opinion = session.scalar(
        public_opinion_query(session, OpinionFilters()).where(Opinion.id == opinion_id)
    )
    if opinion is None:
        raise NotFound("No such opinion.")
    return opinion_dicts(session, [opinion])[0]


def iter_public_opinions(session: Session, *, batch: int = 500) -> Iterator[Json]:
    """Every public opinion, by id, read ``batch`` at a time: a large export never holds
    more than one batch of rows (the session's identity map keeps no strong references)."""
    after = 0
    base = public_opinion_query(session, OpinionFilters())
    while True:
        opinions = list(session.scalars(base.where(Opinion.id > after).limit(batch)))
        if not opinions:
            return
        yield from opinion_dicts(session, opinions)
        after = opinions[-1].id


def opinion_dicts(session: Session, opinions: Sequence[Opinion]) -> list[Json]:
    """The public shape of each opinion, with a handful of queries for the whole batch."""
    if not opinions:
        return []
    ids = [o.id for o in opinions]
    laws = dict(
        session.execute(
            select(Law.id, Law.slug).where(Law.id.in_({o.law_id for o in opinions}))
        ).all()
    )
    versions = dict(
        session.execute(
            select(DraftVersion.id, DraftVersion.sequence).where(
                DraftVersion.id.in_({o.version_id for o in opinions})
            )
        ).all()
    )
    office_ids = {o.office_id for o in opinions if o.office_id is not None}
    offices = {
        office.id: office
        for office in session.scalars(select(Office).where(Office.id.in_(office_ids)))
    }
    articles: dict[int, list[Json]] = {}
    for opinion_id, key, label in session.execute(
        select(opinion_article.c.opinion_id, VersionArticle.key, VersionArticle.label)
        .join(VersionArticle, VersionArticle.id == opinion_article.c.article_id)
        .where(opinion_article.c.opinion_id.in_(ids))
        .order_by(opinion_article.c.opinion_id, VersionArticle.position)
    ):
        articles.setdefault(opinion_id, []).append({"key": key, "label": label})
    reasons = _latest_reasons(session, [o.id for o in opinions if o.outcome.is_final])
    changes = shaped_changes(session, [o.id for o in opinions if o.outcome in ADOPTED])
    result = []
    for opinion in opinions:
        office = offices.get(opinion.office_id) if opinion.office_id is not None else None
        contributor = public_contributor(opinion, office)
        reason_code, public_reason = reasons.get(opinion.id, (None, ""))
        result.append(
            {
                "id": opinion.id,
                "law": laws[opinion.law_id],
                "version": versions[opinion.version_id],
                "articles": articles.get(opinion.id, []),
                "office": office.slug if office is not None else None,
                "channel": opinion.channel.value,
                "contributor": {"name": contributor.name, "category": contributor.category.value},
                "received_on": opinion.received_on.isoformat(),
                "summary": opinion.summary,
                "reference": opinion.reference,
                "outcome": opinion.outcome.value,
                "decided_at": iso(opinion.decided_at),
                "reason_code": reason_code,
                "public_reason": public_reason,
                "changes": [
                    {"id": c.id, "degree": c.degree.value} for c in changes.get(opinion.id, [])
                ],
                "lock_version": opinion.lock_version,
            }
        )
    return result


def _latest_reasons(session: Session, opinion_ids: list[int]) -> dict[int, tuple[str | None, str]]:
    if not opinion_ids:
        return {}
    reasons: dict[int, tuple[str | None, str]] = {}
    for decision in session.scalars(
        select(Decision)
        .where(Decision.opinion_id.in_(opinion_ids))
        .order_by(Decision.opinion_id, Decision.decided_at, Decision.id)
    ):
        code = decision.reason_code.value if decision.reason_code is not None else None
        reasons[decision.opinion_id] = (code, decision.public_reason)
    return reasons


def linked_public_opinions(session: Session, change_ids: Sequence[int]) -> dict[int, list[Json]]:
    """For each change, the opinions credited with it in public (decided adopted or
    partially adopted), each in its public shape with the degree of the link."""
    if not change_ids:
        return {}
    pairs = session.execute(
        select(ChangeLink.change_id, ChangeLink.opinion_id, ChangeLink.degree)
        .join(Opinion, Opinion.id == ChangeLink.opinion_id)
        .where(ChangeLink.change_id.in_(sorted(set(change_ids))), Opinion.outcome.in_(ADOPTED))
        .order_by(ChangeLink.change_id, ChangeLink.opinion_id)
    ).all()
    wanted = sorted({opinion_id for _, opinion_id, _ in pairs})
    base = public_opinion_query(session, OpinionFilters())
    opinions = list(session.scalars(base.where(Opinion.id.in_(wanted)))) if wanted else []
    shapes = {shape["id"]: shape for shape in opinion_dicts(session, opinions)}
    result: dict[int, list[Json]] = {}
    for change_id, opinion_id, degree in pairs:
        if opinion_id in shapes:
            result.setdefault(change_id, []).append(shapes[opinion_id] | {"degree": degree.value})
    return result
