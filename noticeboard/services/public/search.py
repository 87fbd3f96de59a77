"""Public search: laws, articles (by number or by words) and adopted suggestions, in
Chinese and English. Plain LIKE/ILIKE on purpose: the same on SQLite and PostgreSQL, and
quick enough at this size (articles of published versions, adopted summaries)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from noticeboard.diffing.numerals import CHINESE_NUMERAL_CHARS, parse_chinese_numeral
from noticeboard.models import DraftVersion, Law, Opinion, VersionArticle
from noticeboard.services.public.adoptions import ADOPTED, AdoptedItem, adopted_query, items_for
from noticeboard.services.public.visibility import latest_public_sequences

MAX_QUERY = 100
LIMIT = 20
SNIPPET = 40  # characters of context on each side of a match in an article

# 第十二条, 第12条之一, 12, 12-1, Article 12, Art. 12, Section 31A, §12
_CHINESE_NUMBER = re.compile(
    rf"^第?\s*([0-9]+|[{CHINESE_NUMERAL_CHARS}]+)\s*条?\s*(?:之\s*([0-9]+|[{CHINESE_NUMERAL_CHARS}]+))?$"
)
_WESTERN_NUMBER = re.compile(
    r"^(?:article|art\.?|section|sec\.?|§)?\s*([0-9]+[A-Za-z]?)(?:-([0-9]+))?$", re.I
)


@dataclass(frozen=True)
class ArticleHit:
    law_slug: str
    law_title: str
    law_title_en: str | None
    key: str
    label: str
    snippet: str
    version_label: str


@dataclass(frozen=True)
class SearchResults:
    query: str
    laws: list[Law] = field(default_factory=list)
    articles: list[ArticleHit] = field(default_factory=list)
    suggestions: list[AdoptedItem] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.laws or self.articles or self.suggestions)


def article_number(query: str) -> str | None:
    """The normalised article number a query asks for (``12``, ``12-1``, ``31A``), if any."""
    text = query.strip()
    match = _CHINESE_NUMBER.match(text)
    if match and (text[0] == "第" or text[-1] == "条" or match.group(1).isdigit()):
        main = parse_chinese_numeral(match.group(1))
        sub = parse_chinese_numeral(match.group(2)) if match.group(2) else None
        if main is not None and (match.group(2) is None or sub is not None):
            return f"{main}-{sub}" if sub is not None else str(main)
    match = _WESTERN_NUMBER.match(text)
    if match:
        return match.group(1).upper() + (f"-{match.group(2)}" if match.group(2) else "")
    return None


def _like(column: Any, words: str) -> ColumnElement[bool]:
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    condition: ColumnElement[bool] = column.ilike(f"%{escaped}%", escape="\\")
    return condition


def search(session: Session, query: str, *, limit: int = LIMIT) -> SearchResults:
    words = " ".join(query.split())[:MAX_QUERY]
    if not words:
        return SearchResults(query="")
    latest = _latest_published(session)
    laws = list(
        session.scalars(
            select(Law)
            .where(
                Law.id.in_(list(latest)),
                or_(_like(Law.title, words), _like(Law.title_en, words), _like(Law.summary, words)),
            )
            .order_by(Law.title)
            .limit(limit)
        )
    )
    return SearchResults(
        query=words,
        laws=laws,
        articles=_articles(session, latest, words, limit),
        suggestions=items_for(
            session,
            list(
                session.scalars(
                    adopted_query()
                    .where(Opinion.outcome.in_(ADOPTED), _like(Opinion.summary, words))
                    .limit(limit)
                )
            ),
        ),
    )


def _latest_published(session: Session) -> dict[int, int]:
    """law id -> id of its newest published version."""
    newest = latest_public_sequences()
    rows = session.execute(
        select(DraftVersion.law_id, DraftVersion.id).join(
            newest,
            (newest.c.law_id == DraftVersion.law_id) & (newest.c.sequence == DraftVersion.sequence),
        )
    ).all()
    return {int(law_id): int(version_id) for law_id, version_id in rows}


def _articles(session: Session, latest: dict[int, int], words: str, limit: int) -> list[ArticleHit]:
    """Articles of each law's newest published version: by number first, then by words."""
    if not latest:
        return []
    number = article_number(words)
    conditions = [_like(VersionArticle.text, words)]
    if number is not None:
        conditions.insert(0, VersionArticle.number == number)
    hits: list[ArticleHit] = []
    seen: set[int] = set()
    for condition in conditions:
        rows = session.execute(
            select(VersionArticle, Law, DraftVersion.label)
            .join(DraftVersion, DraftVersion.id == VersionArticle.version_id)
            .join(Law, Law.id == DraftVersion.law_id)
            .where(VersionArticle.version_id.in_(list(latest.values())), condition)
            .order_by(Law.title, VersionArticle.position)
            .limit(limit)
        ).all()
        for article, law, version_label in rows:
            if article.id in seen or len(hits) >= limit:
                continue
            seen.add(article.id)
            hits.append(
                ArticleHit(
                    law_slug=law.slug,
                    law_title=law.title,
                    law_title_en=law.title_en,
                    key=article.key,
                    label=article.label,
                    snippet=_snippet(article.text, words),
                    version_label=version_label,
                )
            )
    return hits


def _snippet(text: str, words: str) -> str:
    at = text.lower().find(words.lower())
    if at < 0 or len(text) <= 2 * SNIPPET + len(words):
        return text if len(text) <= 3 * SNIPPET else text[: 3 * SNIPPET] + "…"
    start, end = max(0, at - SNIPPET), min(len(text), at + len(words) + SNIPPET)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
