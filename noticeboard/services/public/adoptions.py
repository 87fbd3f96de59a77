"""Read models of adopted suggestions: what the public may see of each adopted or
partially adopted opinion, and of the change in the text it shaped.

Privacy follows ``visibility`` for every public page and the board JSON: the
contributor's name only when they consented and it was not erased, otherwise their
category and office. The contact and the opinion's own text are never read by this
module; the public words are the staff's ``summary``.

A change is shown only when both versions of its comparison are public: an adoption
into a draft still being prepared is listed without its (not yet public) wording.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, select
from sqlalchemy.orm import Session, aliased, load_only

from noticeboard.models import (
    Change,
    ChangeArticle,
    ChangeKind,
    ChangeLink,
    ContributorCategory,
    DraftVersion,
    Law,
    LinkDegree,
    Office,
    Opinion,
    OpinionCluster,
    OpinionTriage,
    Outcome,
    VersionArticle,
    VersionComparison,
    opinion_article,
)
from noticeboard.services.public.visibility import (
    NAME_CONSENT_COLUMNS,
    is_public_version,
    public_contributor_name,
)

ADOPTED = (Outcome.ADOPTED, Outcome.PARTIALLY_ADOPTED)
Ops = list[list[Any]]  # [[op, text], ...]: -1 deleted, 0 equal, 1 inserted


@dataclass(frozen=True)
class PublicContributor:
    """Who made a suggestion, as the public may read it."""

    name: str | None  # only with consent
    category: ContributorCategory
    office_name: str | None
    office_name_en: str | None


@dataclass(frozen=True)
class ShapedChange:
    """A published change in the text, as credited to an opinion."""

    id: int
    kind: ChangeKind
    labels: tuple[str, ...]  # in the newer version; the older one's for a deletion
    key: str | None  # the article's stable key, for its history page
    position: int  # where it stands in the newer text, for ordering by article
    ops: Ops  # the whole redline: for an added or deleted article, its text as one run
    degree: LinkDegree
    from_label: str
    to_label: str


@dataclass(frozen=True)
class AdoptedItem:
    opinion_id: int
    law_id: int
    law_slug: str
    law_title: str
    law_title_en: str | None
    outcome: Outcome
    summary: str
    contributor: PublicContributor
    decided_at: datetime | None
    change: ShapedChange | None
    # The change's article labels; without a published change, the articles targeted.
    article_labels: tuple[str, ...]


def public_contributor(opinion: Opinion, office: Office | None) -> PublicContributor:
    return PublicContributor(
        name=public_contributor_name(opinion),
        category=opinion.contributor_category,
        office_name=office.name if office is not None else None,
        office_name_en=office.name_en if office is not None else None,
    )


# Columns a public read may load: never `text` or `contact`.
_PUBLIC_COLUMNS = (
    Opinion.id,
    Opinion.law_id,
    Opinion.office_id,
    Opinion.outcome,
    Opinion.summary,
    Opinion.contributor_category,
    *NAME_CONSENT_COLUMNS,
    Opinion.decided_at,
)


def adopted_query(
    *, office_ids: Collection[int] | None = None, law_id: int | None = None
) -> Select[Opinion]:
    query = (
        select(Opinion)
        .options(load_only(*_PUBLIC_COLUMNS))
        .where(Opinion.outcome.in_(ADOPTED))
        .order_by(Opinion.decided_at.desc(), Opinion.id.desc())
    )
    if office_ids is not None:
        query = query.where(Opinion.office_id.in_(sorted(office_ids)))
    if law_id is not None:
        query = query.where(Opinion.law_id == law_id)
    return query


def _a_campaign_copy() -> ColumnElement[bool]:
    """The opinion is in a campaign whose first letter is another opinion."""
    return exists().where(
        OpinionTriage.opinion_id == Opinion.id,
        OpinionCluster.id == OpinionTriage.cluster_id,
        OpinionCluster.representative_id != Opinion.id,
    )


def adopted_items(
    session: Session,
    *,
    office_ids: Collection[int] | None = None,
    law_id: int | None = None,
    limit: int | None = 50,
) -> list[AdoptedItem]:
    """Adopted and partially adopted opinions, newest decision first: one item per
    published change each shaped (an opinion may shape several), or one without a change.

    A campaign shows once, by its first letter: two hundred copies adopted together
    would otherwise fill a board with one item (the counters still count them all)."""
    query = adopted_query(office_ids=office_ids, law_id=law_id).where(~_a_campaign_copy())
    if limit is not None:
        query = query.limit(limit)
    return items_for(session, list(session.scalars(query)))


def items_for(session: Session, opinions: list[Opinion]) -> list[AdoptedItem]:
    if not opinions:
        return []
    laws = _by_id(session, Law, {o.law_id for o in opinions})
    offices = _by_id(session, Office, {o.office_id for o in opinions if o.office_id is not None})
    changes = shaped_changes(session, [o.id for o in opinions])
    targeted = _targeted_labels(session, [o.id for o in opinions if o.id not in changes])
    items: list[AdoptedItem] = []
    for opinion in opinions:
        law = laws[opinion.law_id]
        office = offices.get(opinion.office_id) if opinion.office_id is not None else None
        contributor = public_contributor(opinion, office)
        shaped: list[ShapedChange | None] = list(changes.get(opinion.id, [])) or [None]
        for change in shaped:
            items.append(
                AdoptedItem(
                    opinion_id=opinion.id,
                    law_id=law.id,
                    law_slug=law.slug,
                    law_title=law.title,
                    law_title_en=law.title_en,
                    outcome=opinion.outcome,
                    summary=opinion.summary,
                    contributor=contributor,
                    decided_at=opinion.decided_at,
                    change=change,
                    article_labels=change.labels if change else targeted.get(opinion.id, ()),
                )
            )
    return items


def shaped_changes(session: Session, opinion_ids: list[int]) -> dict[int, list[ShapedChange]]:
    """The published changes linked to each opinion, in the order of the text."""
    old_v, new_v = aliased(DraftVersion), aliased(DraftVersion)
    rows = session.execute(
        select(ChangeLink.opinion_id, ChangeLink.degree, Change, old_v.label, new_v.label)
        .join(Change, Change.id == ChangeLink.change_id)
        .join(VersionComparison, VersionComparison.id == Change.comparison_id)
        .join(old_v, old_v.id == VersionComparison.from_version_id)
        .join(new_v, new_v.id == VersionComparison.to_version_id)
        .where(
            ChangeLink.opinion_id.in_(opinion_ids),
            is_public_version(old_v),
            is_public_version(new_v),
        )
        .order_by(ChangeLink.opinion_id, Change.ordinal)
    ).all()
    sides = _change_articles(session, {row[2].id for row in rows})
    result: dict[int, list[ShapedChange]] = {}
    for opinion_id, degree, change, from_label, to_label in rows:
        result.setdefault(opinion_id, []).append(
            _shaped(change, degree, from_label, to_label, sides.get(change.id, {}))
        )
    return result


def shaped_by(session: Session, change_ids: Iterable[int]) -> dict[int, list[AdoptedItem]]:
    """For each change, the adopted or partially adopted opinions credited with it.

    A link alone is staff's proposal; only opinions decided adopted or partially adopted
    count as having shaped the text in public."""
    ids = sorted(set(change_ids))
    if not ids:
        return {}
    pairs = session.execute(
        select(ChangeLink.change_id, ChangeLink.opinion_id)
        .join(Opinion, Opinion.id == ChangeLink.opinion_id)
        .where(ChangeLink.change_id.in_(ids), Opinion.outcome.in_(ADOPTED))
    ).all()
    if not pairs:
        return {}
    opinions = list(
        session.scalars(
            adopted_query().where(Opinion.id.in_(sorted({opinion for _, opinion in pairs})))
        )
    )
    items = items_for(session, opinions)
    by_pair = {(i.opinion_id, i.change.id): i for i in items if i.change is not None}
    newest_first = {o.id: n for n, o in enumerate(opinions)}
    result: dict[int, list[AdoptedItem]] = {}
    for change_id, opinion_id in sorted(pairs, key=lambda pair: newest_first[pair[1]]):
        item = by_pair.get((opinion_id, change_id))
        if item is not None:
            result.setdefault(change_id, []).append(item)
    return result


def _by_id(session: Session, model: Any, ids: set[int]) -> dict[int, Any]:
    if not ids:
        return {}
    return {row.id: row for row in session.scalars(select(model).where(model.id.in_(sorted(ids))))}


def _change_articles(
    session: Session, change_ids: set[int]
) -> dict[int, dict[str, list[VersionArticle]]]:
    if not change_ids:
        return {}
    rows = session.execute(
        select(ChangeArticle.change_id, ChangeArticle.side, VersionArticle)
        .join(VersionArticle, VersionArticle.id == ChangeArticle.article_id)
        .where(ChangeArticle.change_id.in_(sorted(change_ids)))
        .order_by(VersionArticle.position)
    ).all()
    result: dict[int, dict[str, list[VersionArticle]]] = {}
    for change_id, side, article in rows:
        result.setdefault(change_id, {}).setdefault(side, []).append(article)
    return result


def _shaped(
    change: Change,
    degree: LinkDegree,
    from_label: str,
    to_label: str,
    sides: dict[str, list[VersionArticle]],
) -> ShapedChange:
    old, new = sides.get("old", []), sides.get("new", [])
    main = new or old
    return ShapedChange(
        id=change.id,
        kind=change.kind,
        labels=tuple(change.new_labels or change.old_labels),
        key=main[0].key if main else None,
        position=main[0].position if main else change.ordinal,
        ops=change_ops(change, "\n".join(a.text for a in old), "\n".join(a.text for a in new)),
        degree=degree,
        from_label=from_label,
        to_label=to_label,
    )


def change_ops(change: Change, old_text: str, new_text: str) -> Ops:
    """The redline of a change as diff ops, whatever its kind."""
    if change.kind is ChangeKind.ADDED:
        return [[1, new_text]]
    if change.kind is ChangeKind.DELETED:
        return [[-1, old_text]]
    if change.diff:
        return [[int(op), str(text)] for op, text in change.diff]
    return [[0, new_text or old_text]]


def _targeted_labels(session: Session, opinion_ids: list[int]) -> dict[int, tuple[str, ...]]:
    if not opinion_ids:
        return {}
    rows = session.execute(
        select(opinion_article.c.opinion_id, VersionArticle.label)
        .join(VersionArticle, VersionArticle.id == opinion_article.c.article_id)
        .where(opinion_article.c.opinion_id.in_(opinion_ids))
        .order_by(opinion_article.c.opinion_id, VersionArticle.position)
    ).all()
    result: dict[int, tuple[str, ...]] = {}
    for opinion_id, label in rows:
        result[opinion_id] = (*result.get(opinion_id, ()), label)
    return result
