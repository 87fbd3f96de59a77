"""Which opinions asked for a change, and which changes answer an opinion: ranked
suggestions, so staff confirm with one click instead of searching.

The score weighs two signals. Where the opinion pointed: the article it targeted,
followed through renumbering by its stable key (strongest), or the same chapter. What
it said: how much of the inserted or deleted wording the opinion's text contains,
by character bigrams for Chinese (no spaces to split on) and by words for English.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session, selectinload

from noticeboard.models import (
    Change,
    ChangeArticle,
    ChangeLink,
    DraftVersion,
    Opinion,
    VersionArticle,
    opinion_article,
)
from noticeboard.services.decisions.links import QUIET_KINDS
from noticeboard.services.laws.comparisons import next_version, rows_of, stored_between
from noticeboard.services.loading import ensure_loaded

ARTICLE_WEIGHT = 0.5
TEXT_WEIGHT = 0.5
SAME_ARTICLE, SAME_CHAPTER = 1.0, 0.2
# Candidates read per change, newest first: a national consultation has a million
# opinions, and ranking every one for every change would be slow.
TARGETED_CANDIDATES = 2000
CHAPTER_CANDIDATES = 500
GENERAL_CANDIDATES = 500
RECENT_CANDIDATES = 1000
_WORD = re.compile(r"[A-Za-z0-9]+")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Suggestion:
    score: float
    article_score: float
    text_score: float
    opinion: Opinion | None = None
    change: Change | None = None


def edited_text(change: Change, old_text: str, new_text: str) -> str:
    """The wording a change touched: inserted and deleted runs, or the whole article
    when it was added or deleted."""
    if change.diff:
        return " ".join(str(text) for op, text in change.diff if op != 0)
    return new_text or old_text


def text_units(text: str) -> set[str]:
    """Character bigrams of the CJK runs and lower-cased words of the rest."""
    units = {word.lower() for word in _WORD.findall(text) if len(word) > 2}
    cjk = "".join(ch if _CJK.match(ch) else " " for ch in text)
    for run in cjk.split():
        units.update(run[i : i + 2] for i in range(len(run) - 1))
        if len(run) == 1:
            units.add(run)
    return units


def text_score(edit: str, opinion_text: str) -> float:
    """Share of the edit's units that the opinion mentions (0..1). A one-character edit
    (县 -> 省) is a unit of its own, found anywhere in the opinion's text."""
    wanted = text_units(edit)
    if not wanted:
        return 0.0
    folded = opinion_text.lower()
    return sum(1 for unit in wanted if unit in folded) / len(wanted)


def combined(article: float, text: float) -> float:
    return round(ARTICLE_WEIGHT * article + TEXT_WEIGHT * text, 4)


def _change_articles(session: Session, change: Change) -> list[VersionArticle]:
    return list(
        session.scalars(
            select(VersionArticle)
            .join(ChangeArticle, ChangeArticle.article_id == VersionArticle.id)
            .where(ChangeArticle.change_id == change.id)
        )
    )


def _texts(articles: Sequence[VersionArticle], version_id: int) -> str:
    return "\n".join(a.text for a in articles if a.version_id == version_id)


def _article_score(
    targets: Iterable[VersionArticle], keys: set[str], chapters: set[tuple[str, ...]]
) -> float:
    best = 0.0
    for target in targets:
        if target.key in keys:
            return SAME_ARTICLE
        if tuple(target.heading_path) in chapters:
            best = SAME_CHAPTER
    return best


def suggest_opinions(session: Session, change: Change, *, limit: int = 20) -> list[Suggestion]:
    """Opinions on this law, on the earlier version or before, ranked for this change."""
    if change.kind in QUIET_KINDS:
        return []
    ensure_loaded(session, change, "comparison")
    ensure_loaded(session, change.comparison, "from_version")
    old = change.comparison.from_version
    articles = _change_articles(session, change)
    keys = {a.key for a in articles}
    chapters = {tuple(a.heading_path) for a in articles}
    edit = edited_text(
        change, _texts(articles, old.id), _texts(articles, change.comparison.to_version_id)
    )

    earlier = select(DraftVersion.id).where(
        DraftVersion.law_id == old.law_id, DraftVersion.sequence <= old.sequence
    )
    # Anti-joins, never NOT IN (subquery): over a million opinions PostgreSQL cannot hash
    # the subquery and probes it row by row (the change page gave no answer in 5 minutes).
    not_linked = ~exists().where(
        ChangeLink.change_id == change.id, ChangeLink.opinion_id == Opinion.id
    )
    chapter_articles = [
        a.id
        for a in rows_of(session, old)
        if tuple(a.heading_path) in chapters and a.key not in keys
    ]

    def targeting(article_filter: ColumnElement[bool], cap: int) -> Sequence[Opinion]:
        targeted = (
            select(opinion_article.c.opinion_id)
            .join(VersionArticle, VersionArticle.id == opinion_article.c.article_id)
            .where(VersionArticle.version_id.in_(earlier), article_filter)
        )
        return session.scalars(
            select(Opinion)
            .where(Opinion.id.in_(targeted), not_linked)
            .order_by(Opinion.id.desc())
            .limit(cap)
            .options(selectinload(Opinion.articles))
        ).all()

    on_article = targeting(VersionArticle.key.in_(keys), TARGETED_CANDIDATES)
    in_chapter = targeting(VersionArticle.id.in_(chapter_articles), CHAPTER_CANDIDATES)
    general = session.scalars(
        select(Opinion)
        .where(
            Opinion.version_id.in_(earlier),
            not_linked,
            ~exists().where(opinion_article.c.opinion_id == Opinion.id),
        )
        .order_by(Opinion.id.desc())
        .limit(GENERAL_CANDIDATES)
        .options(selectinload(Opinion.articles))
    ).all()
    # An added article has no predecessor to target: its wording is the only clue.
    recent = session.scalars(
        select(Opinion)
        .where(Opinion.version_id.in_(earlier), not_linked)
        .order_by(Opinion.id.desc())
        .limit(RECENT_CANDIDATES)
        .options(selectinload(Opinion.articles))
    ).all()
    ranked = []
    pool = [*on_article, *in_chapter, *general, *recent]
    for opinion in {o.id: o for o in pool}.values():
        a_score = _article_score(opinion.articles, keys, chapters)
        t_score = text_score(edit, opinion.text)
        if a_score or t_score >= 0.3:
            ranked.append(Suggestion(combined(a_score, t_score), a_score, t_score, opinion=opinion))
    ranked.sort(key=lambda s: (-s.score, s.opinion.id if s.opinion else 0))
    return ranked[:limit]


def suggest_changes(session: Session, opinion: Opinion, *, limit: int = 10) -> list[Suggestion]:
    """Changes between the opinion's version and the next one, ranked for this opinion."""
    ensure_loaded(session, opinion, "version", "articles")
    following = next_version(session, opinion.version)
    if following is None:
        return []
    stored = stored_between(session, opinion.version, following)
    if stored is None:
        return []
    ranked = []
    for change in session.scalars(
        select(Change)
        .where(Change.comparison_id == stored.id, Change.kind.not_in(QUIET_KINDS))
        .order_by(Change.ordinal)
    ):
        articles = _change_articles(session, change)
        keys = {a.key for a in articles}
        chapters = {tuple(a.heading_path) for a in articles}
        a_score = _article_score(opinion.articles, keys, chapters)
        edit = edited_text(
            change, _texts(articles, opinion.version_id), _texts(articles, following.id)
        )
        t_score = text_score(edit, opinion.text)
        if a_score or t_score >= 0.3:
            ranked.append(Suggestion(combined(a_score, t_score), a_score, t_score, change=change))
    ranked.sort(key=lambda s: (-s.score, s.change.ordinal if s.change else 0))
    return ranked[:limit]
