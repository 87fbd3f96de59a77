"""The staff list's filters and sort orders, shared by the page and its CSV/XLSX exports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from noticeboard.models import (
    Channel,
    DraftVersion,
    Law,
    Office,
    Opinion,
    Outcome,
    VersionArticle,
    opinion_article,
)

SORTS: dict[str, tuple[InstrumentedAttribute[Any], bool]] = {
    "newest": (Opinion.id, True),
    "oldest": (Opinion.id, False),
    "received": (Opinion.received_on, True),
    "outcome": (Opinion.outcome, False),
}


@dataclass(frozen=True)
class OpinionFilter:
    law_slug: str | None = None
    version: int | None = None  # sequence number within the law
    article: str | None = None  # a label as written (第十二条) in that version, or a key
    office_slug: str | None = None
    channel: Channel | None = None
    outcome: Outcome | None = None
    received_from: date | None = None
    received_to: date | None = None
    text: str | None = None  # words in the opinion or its public summary
    sort: str = "newest"

    def conditions(self) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = []
        law = select(Law.id).where(Law.slug == self.law_slug).scalar_subquery()
        if self.law_slug:
            where.append(Opinion.law_id == law)
        if self.law_slug and self.version:
            where.append(
                Opinion.version_id
                == select(DraftVersion.id)
                .where(DraftVersion.law_id == law, DraftVersion.sequence == self.version)
                .scalar_subquery()
            )
        if self.article:
            label = " ".join(self.article.split())
            where.append(
                Opinion.id.in_(
                    select(opinion_article.c.opinion_id)
                    .join(VersionArticle, VersionArticle.id == opinion_article.c.article_id)
                    .where(or_(VersionArticle.label == label, VersionArticle.key == label))
                )
            )
        if self.office_slug:
            where.append(
                Opinion.office_id.in_(select(Office.id).where(Office.slug == self.office_slug))
            )
        if self.channel:
            where.append(Opinion.channel == self.channel)
        if self.outcome:
            where.append(Opinion.outcome == self.outcome)
        if self.received_from:
            where.append(Opinion.received_on >= self.received_from)
        if self.received_to:
            where.append(Opinion.received_on <= self.received_to)
        if self.text and self.text.strip():
            pattern = "%" + _escape_like(self.text.strip()[:200]) + "%"
            where.append(
                or_(
                    Opinion.text.ilike(pattern, escape="\\"),
                    Opinion.summary.ilike(pattern, escape="\\"),
                )
            )
        return where

    def ordered(self, query: Select[Opinion]) -> Select[Opinion]:
        column, descending = SORTS.get(self.sort, SORTS["newest"])
        first = column.desc() if descending else column.asc()
        return query.order_by(first, Opinion.id.desc())


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
