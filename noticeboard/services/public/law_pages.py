"""Read models for the law, compare, article-history and change pages.

The public sees published versions only; staff who manage versions also see drafts and
withdrawn versions (the pages say so). Everything comes from stored rows: nothing here
parses or diffs, except a pair whose comparison nobody stored (not neighbours on either
timeline), computed for the page and not stored: a GET never writes (``laws.pairs``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from noticeboard.models import (
    Change,
    ChangeKind,
    DraftVersion,
    Law,
    Opinion,
    Outcome,
    VersionArticle,
    VersionComparison,
)
from noticeboard.services.errors import NotFound
from noticeboard.services.laws.pairs import change_touching, changes_to_read, comparison_to_read
from noticeboard.services.public.visibility import is_public_version


@dataclass(frozen=True)
class TimelineEntry:
    version: DraftVersion
    previous: DraftVersion | None
    counts: dict[str, int] | None
    opinions: int = 0  # received on this version
    adopted: int = 0  # of those, adopted wholly or partly


@dataclass(frozen=True)
class LawPage:
    law: Law
    timeline: list[TimelineEntry]


@dataclass(frozen=True)
class ChangeView:
    change: Change
    old_articles: list[VersionArticle]
    new_articles: list[VersionArticle]

    @property
    def kind(self) -> ChangeKind:
        return self.change.kind

    @property
    def chapter(self) -> tuple[str, ...]:
        side = self.new_articles or self.old_articles
        return tuple(side[0].heading_path) if side else ()

    @property
    def old_text(self) -> str:
        return "\n".join(a.text for a in self.old_articles)

    @property
    def new_text(self) -> str:
        return "\n".join(a.text for a in self.new_articles)

    @property
    def key(self) -> str | None:
        side = self.new_articles or self.old_articles
        return side[0].key if side else None


@dataclass(frozen=True)
class ChapterGroup:
    chapter: tuple[str, ...]
    changes: list[ChangeView] = field(default_factory=list)


@dataclass(frozen=True)
class ComparePage:
    law: Law
    old: DraftVersion
    new: DraftVersion
    comparison: VersionComparison
    groups: list[ChapterGroup]
    versions: list[DraftVersion]

    @property
    def changes(self) -> list[ChangeView]:
        return [c for g in self.groups for c in g.changes]


@dataclass(frozen=True)
class HistoryStep:
    version: DraftVersion
    article: VersionArticle | None
    change: ChangeView | None  # how the article came into this version, from the one before


@dataclass(frozen=True)
class ArticleHistory:
    law: Law
    key: str
    steps: list[HistoryStep]

    @property
    def current(self) -> VersionArticle | None:
        for step in reversed(self.steps):
            if step.article is not None:
                return step.article
        return None


def get_law(session: Session, slug: str) -> Law:
    law = session.scalar(select(Law).where(Law.slug == slug))
    if law is None:
        raise NotFound("No law at this address.")
    return law


def visible_versions(session: Session, law: Law, *, staff: bool) -> list[DraftVersion]:
    query = select(DraftVersion).where(DraftVersion.law_id == law.id)
    if not staff:
        query = query.where(is_public_version())
    return list(session.scalars(query.order_by(DraftVersion.sequence)))


def law_page(session: Session, slug: str, *, staff: bool = False) -> LawPage:
    law = get_law(session, slug)
    versions = visible_versions(session, law, staff=staff)
    if not versions and not staff:
        raise NotFound("No law at this address.")
    received, adopted = _opinion_counts(session, [v.id for v in versions])
    timeline = []
    for previous, version in zip([None, *versions], versions, strict=False):
        counts = comparison_to_read(session, previous, version).counts if previous else None
        timeline.append(
            TimelineEntry(
                version=version,
                previous=previous,
                counts=counts,
                opinions=received.get(version.id, 0),
                adopted=adopted.get(version.id, 0),
            )
        )
    return LawPage(law=law, timeline=timeline)


def _opinion_counts(
    session: Session, version_ids: list[int]
) -> tuple[dict[int, int], dict[int, int]]:
    """Opinions received per version, and how many were adopted wholly or partly."""
    received: dict[int, int] = {}
    adopted: dict[int, int] = {}
    credited = (Outcome.ADOPTED, Outcome.PARTIALLY_ADOPTED)
    for version_id, outcome, n in session.execute(
        select(Opinion.version_id, Opinion.outcome, func.count())
        .where(Opinion.version_id.in_(version_ids))
        .group_by(Opinion.version_id, Opinion.outcome)
    ):
        received[version_id] = received.get(version_id, 0) + n
        if outcome in credited:
            adopted[version_id] = adopted.get(version_id, 0) + n
    return received, adopted


def compare_page(
    session: Session, slug: str, from_seq: int | None, to_seq: int | None, *, staff: bool = False
) -> ComparePage:
    law = get_law(session, slug)
    versions = visible_versions(session, law, staff=staff)
    by_seq = {v.sequence: v for v in versions}
    if from_seq is None and to_seq is None:
        if len(versions) < 2:
            raise NotFound("This law has only one version so far: there is nothing to compare.")
        old, new = versions[-2], versions[-1]
    else:
        old_v, new_v = by_seq.get(from_seq or -1), by_seq.get(to_seq or -1)
        if old_v is None or new_v is None:
            raise NotFound("No such version of this law.")
        old, new = old_v, new_v
    stored = comparison_to_read(session, old, new)
    changes = changes_to_read(session, stored)
    old_rows, new_rows = _articles_of(session, old), _articles_of(session, new)
    groups: list[ChapterGroup] = []
    for change in changes:
        view = _view(change, old_rows, new_rows)
        if not groups or groups[-1].chapter != view.chapter:
            groups.append(ChapterGroup(chapter=view.chapter))
        groups[-1].changes.append(view)
    return ComparePage(
        law=law, old=old, new=new, comparison=stored, groups=groups, versions=versions
    )


def article_history(
    session: Session, slug: str, key: str, *, staff: bool = False
) -> ArticleHistory:
    law = get_law(session, slug)
    versions = visible_versions(session, law, staff=staff)
    rows = {
        row.version_id: row
        for row in session.scalars(
            select(VersionArticle).where(
                VersionArticle.key == key,
                VersionArticle.version_id.in_([v.id for v in versions]),
            )
        )
    }
    if not rows:
        raise NotFound("No such article in this law.")
    steps: list[HistoryStep] = []
    previous: DraftVersion | None = None
    for version in versions:
        article = rows.get(version.id)
        before = rows.get(previous.id) if previous is not None else None
        change = None
        if previous is not None and (article is not None or before is not None):
            change = _change_touching(session, previous, version, before, article)
        if article is not None or before is not None:
            steps.append(HistoryStep(version=version, article=article, change=change))
        previous = version
        if article is None and before is not None:
            break  # deleted: the story of this article ends here
    return ArticleHistory(law=law, key=key, steps=steps)


def change_view(
    session: Session, slug: str, change_id: int, *, staff: bool = False
) -> tuple[Law, VersionComparison, ChangeView]:
    law = get_law(session, slug)
    change = session.scalar(
        select(Change)
        .where(Change.id == change_id)
        .options(
            joinedload(Change.comparison).joinedload(VersionComparison.from_version),
            joinedload(Change.comparison).joinedload(VersionComparison.to_version),
        )
    )
    if change is None:
        raise NotFound("No such change.")
    comparison = change.comparison
    old, new = comparison.from_version, comparison.to_version
    visible = {v.id for v in visible_versions(session, law, staff=staff)}
    if old.law_id != law.id or old.id not in visible or new.id not in visible:
        raise NotFound("No such change.")
    return law, comparison, _view(change, _articles_of(session, old), _articles_of(session, new))


def _articles_of(session: Session, version: DraftVersion) -> list[VersionArticle]:
    return list(
        session.scalars(
            select(VersionArticle)
            .where(VersionArticle.version_id == version.id)
            .order_by(VersionArticle.position)
        )
    )


def _view(
    change: Change, old_rows: list[VersionArticle], new_rows: list[VersionArticle]
) -> ChangeView:
    return ChangeView(
        change=change,
        old_articles=[old_rows[i] for i in change.old_positions],
        new_articles=[new_rows[i] for i in change.new_positions],
    )


def _change_touching(
    session: Session,
    old: DraftVersion,
    new: DraftVersion,
    before: VersionArticle | None,
    after: VersionArticle | None,
) -> ChangeView | None:
    article, side = (after, "new") if after is not None else (before, "old")
    assert article is not None
    change = change_touching(session, comparison_to_read(session, old, new), article, side)
    if change is None:
        return None
    return _view(change, _articles_of(session, old), _articles_of(session, new))


def diff_segments(diff: list[Any] | None, side: str) -> list[tuple[int, str]]:
    """The ops a side-by-side column shows: the old side drops insertions, the new side
    drops deletions."""
    if not diff:
        return []
    hidden = 1 if side == "old" else -1
    return [(int(op), str(text)) for op, text in diff if op != hidden]
