"""Open data on laws, versions, comparisons and changes: plain JSON-ready dicts, shared
by the API and the bulk exports, built from stored rows only (published versions only).

A stored comparison comes out in exactly the engine's ``Comparison.to_dict()`` shape
(``comparison_dict``), so a reader of the API and a user of ``noticeboard diff --format
json`` see the same thing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.diffing import ArticleChange
from noticeboard.diffing import ChangeKind as EngineKind
from noticeboard.models import (
    Change,
    ChangeKind,
    DraftVersion,
    Law,
    VersionArticle,
    VersionComparison,
)
from noticeboard.services.errors import NotFound, ValidationFailed
from noticeboard.services.laws.comparisons import comparison_between, rows_of, stored_between
from noticeboard.services.laws.pairs import changes_to_read, comparison_to_read
from noticeboard.services.public.law_pages import get_law, law_page, visible_versions
from noticeboard.services.public.visibility import is_public_version, public_version_dict

Json = dict[str, Any]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Page:
    """One page of a list ordered by id: ``next_after`` is the last id, or None at the end."""

    items: list[Json]
    next_after: int | None
    total: int


def public_law(session: Session, slug: str) -> Law:
    law = get_law(session, slug)
    if not visible_versions(session, law, staff=False):
        raise NotFound("No law at this address.")
    return law


def law_dict(law: Law) -> Json:
    return {
        "slug": law.slug,
        "title": law.title,
        "title_en": law.title_en,
        "summary": law.summary,
        "status": law.status.value,
    }


def article_dict(article: VersionArticle) -> Json:
    return {
        "key": article.key,
        "label": article.label,
        "number": article.number,
        "position": article.position,
        "chapter": list(article.heading_path),
        "text": article.text,
    }


def public_laws(session: Session) -> list[Json]:
    """Every law with a published version, by slug, each with its versions."""
    versions: dict[int, list[DraftVersion]] = {}
    for version in session.scalars(
        select(DraftVersion)
        .where(is_public_version())
        .order_by(DraftVersion.law_id, DraftVersion.sequence)
    ):
        versions.setdefault(version.law_id, []).append(version)
    laws = session.scalars(select(Law).where(Law.id.in_(list(versions))).order_by(Law.slug))
    return [
        law_dict(law) | {"versions": [public_version_dict(v) for v in versions[law.id]]}
        for law in laws
    ]


def law_detail(session: Session, slug: str) -> Json:
    """The law with its versions timeline: change counts and opinions per version."""
    page = law_page(session, slug)
    return law_dict(page.law) | {
        "versions": [
            public_version_dict(entry.version)
            | {
                "changes": entry.counts,
                "opinions": entry.opinions,
                "adopted": entry.adopted,
            }
            for entry in page.timeline
        ]
    }


def public_version(session: Session, law: Law, sequence: int) -> DraftVersion:
    version = session.scalar(
        select(DraftVersion).where(
            DraftVersion.law_id == law.id,
            DraftVersion.sequence == sequence,
            is_public_version(),
        )
    )
    if version is None:
        raise NotFound("No such version of this law.")
    return version


def version_detail(session: Session, slug: str, sequence: int) -> Json:
    law = public_law(session, slug)
    version = public_version(session, law, sequence)
    return (
        {"law": law.slug}
        | public_version_dict(version)
        | {
            "preamble": version.preamble,
            "article_list": [article_dict(a) for a in rows_of(session, version)],
        }
    )


def engine_change(change: Change) -> ArticleChange:
    """A stored change as the engine's value, so it serialises the engine's way."""
    return ArticleChange(
        kind=EngineKind(change.kind.value),
        old=tuple(change.old_positions),
        new=tuple(change.new_positions),
        old_labels=tuple(change.old_labels),
        new_labels=tuple(change.new_labels),
        similarity=change.similarity,
        diff=tuple((int(op), str(text)) for op, text in change.diff)
        if change.diff is not None
        else None,
        reference_only=change.reference_only,
    )


def comparison_dict(session: Session, stored: VersionComparison) -> Json:
    """A stored comparison in the shape of ``Comparison.to_dict()`` (INTERFACES.md)."""
    changes = changes_to_read(session, stored)
    return {
        "old": {"articles": stored.from_version.article_count},
        "new": {"articles": stored.to_version.article_count},
        "changes": [engine_change(change).to_dict() for change in changes],
    }


def comparison_detail(session: Session, slug: str, from_seq: int, to_seq: int) -> Json:
    """Two published versions compared, each change with its id; a pair whose comparison
    is not stored (not neighbours among the published versions) is computed for this
    answer, and its changes have ``"id": null``."""
    law = public_law(session, slug)
    old = public_version(session, law, from_seq)
    new = public_version(session, law, to_seq)
    if old.sequence >= new.sequence:
        raise ValidationFailed("Compare an earlier version with a later one of the same law.")
    stored = comparison_to_read(session, old, new)
    body = comparison_dict(session, stored)
    for entry, change in zip(body["changes"], changes_to_read(session, stored), strict=True):
        entry["id"] = change.id
    return {
        "law": law.slug,
        "from": public_version_dict(old),
        "to": public_version_dict(new),
    } | body


def published_pairs(session: Session, law: Law) -> list[tuple[DraftVersion, DraftVersion]]:
    """Each published version with the published one before it, as the public timeline."""
    versions = visible_versions(session, law, staff=False)
    return list(pairwise(versions))


def ensure_comparisons(session: Session) -> None:
    """Compute (and keep) the comparison of every pair of consecutive published versions
    still missing (publishing stores them; a database from before that did not), so that
    a listing of changes can be read from stored rows. For commands, which commit."""
    for law in session.scalars(select(Law).order_by(Law.id)):
        for old, new in published_pairs(session, law):
            comparison_between(session, old, new)


def public_comparisons(session: Session, law: Law) -> list[VersionComparison]:
    """The stored comparisons of the law's consecutive published versions (stored when a
    version is published or withdrawn; read here, never written)."""
    found = []
    for old, new in published_pairs(session, law):
        stored = stored_between(session, old, new)
        if stored is None:
            log.warning(
                "%s: no stored comparison of versions %d and %d; `noticeboard export` stores it",
                law.slug,
                old.sequence,
                new.sequence,
            )
        else:
            found.append(stored)
    return found


def change_filter_kind(kind: str | None) -> ChangeKind | None:
    if not kind:
        return None
    try:
        return ChangeKind(kind)
    except ValueError:
        raise ValidationFailed("Unknown kind of change: %(kind)s.", kind=kind) from None


def iter_change_rows(
    session: Session, comparisons: list[VersionComparison], kind: ChangeKind | None = None
) -> Iterator[tuple[Change, VersionComparison]]:
    by_id = {c.id: c for c in comparisons}
    if not by_id:
        return
    query = select(Change).where(Change.comparison_id.in_(sorted(by_id))).order_by(Change.id)
    if kind is not None:
        query = query.where(Change.kind == kind)
    for change in session.scalars(query.execution_options(yield_per=500)):
        yield change, by_id[change.comparison_id]
