"""The bulk open-data files: five datasets as flat records, read in batches so that an
export of any size holds one batch in memory at a time.

The opinions dataset is ``public_opinions``' public shape, flattened: no opinion text,
contact, receipt code or feed token, and a name only with consent. Lists (labels, ids,
a diff) stay lists here; a CSV writer encodes them as JSON.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import DraftVersion, Law, VersionArticle
from noticeboard.services.open_data.changes import iter_public_changes
from noticeboard.services.open_data.opinions import iter_public_opinions
from noticeboard.services.open_data.texts import ensure_comparisons
from noticeboard.services.public.visibility import is_public_version, public_version_dict

Record = dict[str, Any]
BATCH = 500

COLUMNS: dict[str, tuple[str, ...]] = {
    "laws": ("slug", "title", "title_en", "summary", "status", "versions", "latest_version"),
    "versions": (
        "law",
        "sequence",
        "label",
        "published_at",
        "is_adopted_text",
        "comment_opens_at",
        "comment_closes_at",
        "articles",
    ),
    "articles": ("law", "version", "position", "key", "label", "number", "chapter", "text"),
    "changes": (
        "id",
        "law",
        "from_version",
        "to_version",
        "kind",
        "old_labels",
        "new_labels",
        "key",
        "similarity",
        "reference_only",
        "diff",
        "credited_opinions",
    ),
    "opinions": (
        "id",
        "law",
        "version",
        "article_keys",
        "article_labels",
        "office",
        "channel",
        "contributor_category",
        "contributor_name",
        "received_on",
        "summary",
        "reference",
        "outcome",
        "decided_at",
        "reason_code",
        "public_reason",
        "changes",
    ),
}
DATASETS = tuple(COLUMNS)


def prepare(session: Session) -> None:
    """Store any missing comparison the changes dataset needs (publishing stores them;
    a database from before that may lack some). For the export command, which commits;
    the web downloads read what is stored and never write."""
    ensure_comparisons(session)


def records(session: Session, dataset: str) -> Iterator[Record]:
    readers = {
        "laws": _laws,
        "versions": _versions,
        "articles": _articles,
        "changes": _changes,
        "opinions": _opinions,
    }
    return readers[dataset](session)


def rows(session: Session, dataset: str) -> Iterator[list[Any]]:
    """The records as lists in ``COLUMNS`` order."""
    columns = COLUMNS[dataset]
    for record in records(session, dataset):
        yield [record[name] for name in columns]


def _laws(session: Session) -> Iterator[Record]:
    versions: dict[int, list[int]] = {}
    for law_id, sequence in session.execute(
        select(DraftVersion.law_id, DraftVersion.sequence).where(is_public_version())
    ):
        versions.setdefault(law_id, []).append(sequence)
    for law in session.scalars(select(Law).where(Law.id.in_(list(versions))).order_by(Law.slug)):
        yield {
            "slug": law.slug,
            "title": law.title,
            "title_en": law.title_en,
            "summary": law.summary,
            "status": law.status.value,
            "versions": len(versions[law.id]),
            "latest_version": max(versions[law.id]),
        }


def _versions(session: Session) -> Iterator[Record]:
    for version, slug in session.execute(
        select(DraftVersion, Law.slug)
        .join(Law, Law.id == DraftVersion.law_id)
        .where(is_public_version())
        .order_by(Law.slug, DraftVersion.sequence)
    ):
        yield {"law": slug} | public_version_dict(version)


def _articles(session: Session) -> Iterator[Record]:
    query = (
        select(VersionArticle, Law.slug, DraftVersion.sequence)
        .join(DraftVersion, DraftVersion.id == VersionArticle.version_id)
        .join(Law, Law.id == DraftVersion.law_id)
        .where(is_public_version())
        .order_by(Law.slug, DraftVersion.sequence, VersionArticle.position)
        .execution_options(yield_per=BATCH)
    )
    for article, slug, sequence in session.execute(query):
        yield {
            "law": slug,
            "version": sequence,
            "position": article.position,
            "key": article.key,
            "label": article.label,
            "number": article.number,
            "chapter": list(article.heading_path),
            "text": article.text,
        }


def _changes(session: Session) -> Iterator[Record]:
    for change in iter_public_changes(session):
        yield {
            "id": change["id"],
            "law": change["law"],
            "from_version": change["from"],
            "to_version": change["to"],
            "kind": change["kind"],
            "old_labels": change["old"],
            "new_labels": change["new"],
            "key": change["key"],
            "similarity": change["similarity"],
            "reference_only": change.get("reference_only", False),
            "diff": change.get("diff"),
            "credited_opinions": [o["id"] for o in change["opinions"]],
        }


def _opinions(session: Session) -> Iterator[Record]:
    for opinion in iter_public_opinions(session, batch=BATCH):
        yield {
            "id": opinion["id"],
            "law": opinion["law"],
            "version": opinion["version"],
            "article_keys": [a["key"] for a in opinion["articles"]],
            "article_labels": [a["label"] for a in opinion["articles"]],
            "office": opinion["office"],
            "channel": opinion["channel"],
            "contributor_category": opinion["contributor"]["category"],
            "contributor_name": opinion["contributor"]["name"],
            "received_on": opinion["received_on"],
            "summary": opinion["summary"],
            "reference": opinion["reference"],
            "outcome": opinion["outcome"],
            "decided_at": opinion["decided_at"],
            "reason_code": opinion["reason_code"],
            "public_reason": opinion["public_reason"],
            "changes": [c["id"] for c in opinion["changes"]],
        }
