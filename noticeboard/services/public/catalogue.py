"""Read models for the public pages: what a visitor may see of laws and versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from noticeboard.models import DraftVersion, Law, LawStatus, Office
from noticeboard.services.public.visibility import is_public_version, latest_public_sequences


@dataclass(frozen=True)
class LawSummary:
    slug: str
    title: str
    title_en: str | None
    summary: str
    status: LawStatus
    published_versions: int
    latest_label: str | None
    latest_published_at: datetime | None
    comment_closes_at: datetime | None


@dataclass(frozen=True)
class Counters:
    laws: int
    offices: int
    versions: int


def public_laws(session: Session) -> list[LawSummary]:
    latest = latest_public_sequences()
    counts = (
        select(DraftVersion.law_id, func.count().label("n"))
        .where(is_public_version())
        .group_by(DraftVersion.law_id)
        .subquery()
    )
    rows = session.execute(
        select(Law, DraftVersion, counts.c.n)
        .join(latest, latest.c.law_id == Law.id)
        .join(
            DraftVersion,
            (DraftVersion.law_id == Law.id) & (DraftVersion.sequence == latest.c.sequence),
        )
        .join(counts, counts.c.law_id == Law.id)
        .order_by(DraftVersion.published_at.desc(), Law.slug)
    ).all()
    return [
        LawSummary(
            slug=law.slug,
            title=law.title,
            title_en=law.title_en,
            summary=law.summary,
            status=law.status,
            published_versions=n,
            latest_label=version.label,
            latest_published_at=version.published_at,
            comment_closes_at=version.comment_closes_at,
        )
        for law, version, n in rows
    ]


def headline_counters(session: Session) -> Counters:
    return Counters(
        laws=session.scalar(select(func.count()).select_from(Law)) or 0,
        offices=session.scalar(select(func.count()).select_from(Office)) or 0,
        versions=session.scalar(select(func.count()).where(is_public_version())) or 0,
    )
