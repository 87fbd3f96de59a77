"""Consultations open now: published versions whose comment window includes this moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from noticeboard.models import DraftVersion, Law, utcnow
from noticeboard.services.public.visibility import is_public_version


@dataclass(frozen=True)
class Consultation:
    law_slug: str
    law_title: str
    law_title_en: str | None
    version_label: str
    version_sequence: int
    opens_at: datetime | None
    closes_at: datetime


def open_consultations(
    session: Session, *, now: datetime | None = None, law_id: int | None = None
) -> list[Consultation]:
    """One entry per law (its newest open version), closing soonest first."""
    now = now or utcnow()
    query = (
        select(DraftVersion, Law)
        .join(Law, Law.id == DraftVersion.law_id)
        .where(
            is_public_version(),
            DraftVersion.comment_closes_at > now,
            or_(DraftVersion.comment_opens_at.is_(None), DraftVersion.comment_opens_at <= now),
        )
        .order_by(DraftVersion.sequence.desc())
    )
    if law_id is not None:
        query = query.where(DraftVersion.law_id == law_id)
    newest: dict[int, Consultation] = {}
    for version, law in session.execute(query):
        if law.id in newest or version.comment_closes_at is None:
            continue
        newest[law.id] = Consultation(
            law_slug=law.slug,
            law_title=law.title,
            law_title_en=law.title_en,
            version_label=version.label,
            version_sequence=version.sequence,
            opens_at=version.comment_opens_at,
            closes_at=version.comment_closes_at,
        )
    return sorted(newest.values(), key=lambda c: (c.closes_at, c.law_slug))
