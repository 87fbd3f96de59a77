"""Open data on changes: what became of each article between consecutive published
versions, and the opinions credited with each change."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from noticeboard.models import (
    Change,
    ChangeArticle,
    DraftVersion,
    Law,
    VersionArticle,
    VersionComparison,
)
from noticeboard.services.errors import NotFound
from noticeboard.services.open_data.opinions import linked_public_opinions
from noticeboard.services.open_data.texts import (
    Json,
    Page,
    change_filter_kind,
    engine_change,
    public_comparisons,
    public_law,
)
from noticeboard.services.public.law_pages import visible_versions


def change_dicts(
    session: Session, rows: Sequence[tuple[Change, VersionComparison]], law_slug: str
) -> list[Json]:
    """Each change in the engine's shape, with its id, versions, article key, and the ids
    of the opinions credited with it."""
    ids = [change.id for change, _ in rows]
    keys = _keys(session, ids)
    credited = linked_public_opinions(session, ids)
    sequences = _sequences(session, [c for _, c in rows])
    return [
        {
            "id": change.id,
            "law": law_slug,
            "from": sequences[comparison.from_version_id],
            "to": sequences[comparison.to_version_id],
            "key": keys.get(change.id),
        }
        | engine_change(change).to_dict()
        | {
            "opinions": [
                {"id": o["id"], "degree": o["degree"]} for o in credited.get(change.id, [])
            ]
        }
        for change, comparison in rows
    ]


def list_changes(
    session: Session,
    slug: str,
    *,
    version: int | None = None,
    kind: str | None = None,
    article: str | None = None,
    after: int | None = None,
    limit: int = 50,
) -> Page:
    """Changes between consecutive published versions of a law (``version``: only those
    into that version), by id."""
    law = public_law(session, slug)
    comparisons = _comparisons(session, law, version)
    query = select(Change).where(Change.comparison_id.in_([c.id for c in comparisons]))
    wanted = change_filter_kind(kind)
    if wanted is not None:
        query = query.where(Change.kind == wanted)
    if article:
        query = query.where(
            Change.id.in_(
                select(ChangeArticle.change_id)
                .join(VersionArticle, VersionArticle.id == ChangeArticle.article_id)
                .where(VersionArticle.key == article)
            )
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if after is not None:
        query = query.where(Change.id > after)
    changes = list(session.scalars(query.order_by(Change.id).limit(limit + 1)))
    more = len(changes) > limit
    changes = changes[:limit]
    by_id = {c.id: c for c in comparisons}
    rows = [(change, by_id[change.comparison_id]) for change in changes]
    return Page(
        items=change_dicts(session, rows, law.slug),
        next_after=changes[-1].id if more and changes else None,
        total=total,
    )


def change_detail(session: Session, slug: str, change_id: int) -> Json:
    """One change with the texts on both sides and the opinions credited with it."""
    law = public_law(session, slug)
    change = session.scalar(
        select(Change)
        .where(Change.id == change_id)
        .options(
            joinedload(Change.comparison).joinedload(VersionComparison.from_version),
            joinedload(Change.comparison).joinedload(VersionComparison.to_version),
        )
    )
    visible = {v.id for v in visible_versions(session, law, staff=False)}
    if change is None:
        raise NotFound("No such change.")
    comparison = change.comparison
    if comparison.from_version_id not in visible or comparison.to_version_id not in visible:
        raise NotFound("No such change.")
    if comparison.from_version.law_id != law.id:
        raise NotFound("No such change.")
    body = change_dicts(session, [(change, comparison)], law.slug)[0]
    sides: dict[str, list[str]] = {"old": [], "new": []} | _texts(session, change.id)
    body["old_text"] = "\n".join(sides["old"])
    body["new_text"] = "\n".join(sides["new"])
    body["opinions"] = linked_public_opinions(session, [change.id]).get(change.id, [])
    return body


def iter_public_changes(session: Session) -> Iterator[Json]:
    """Every change between consecutive published versions of every law, law by law."""
    for law in session.scalars(select(Law).order_by(Law.slug)):
        comparisons = public_comparisons(session, law)
        if not comparisons:
            continue
        by_id = {c.id: c for c in comparisons}
        after = 0
        while True:
            changes = list(
                session.scalars(
                    select(Change)
                    .where(Change.comparison_id.in_(sorted(by_id)), Change.id > after)
                    .order_by(Change.id)
                    .limit(500)
                )
            )
            if not changes:
                break
            rows = [(change, by_id[change.comparison_id]) for change in changes]
            yield from change_dicts(session, rows, law.slug)
            after = changes[-1].id


def _comparisons(session: Session, law: Law, version: int | None) -> list[VersionComparison]:
    comparisons = public_comparisons(session, law)
    if version is None:
        return comparisons
    chosen = [c for c in comparisons if c.to_version.sequence == version]
    if not chosen and version not in {
        v.sequence for v in visible_versions(session, law, staff=False)
    }:
        raise NotFound("No such version of this law.")
    return chosen


def _keys(session: Session, change_ids: list[int]) -> dict[int, str]:
    """The stable key of each change's first article (the new side's, else the old)."""
    best: dict[int, tuple[tuple[int, int], str]] = {}
    rows = session.execute(
        select(
            ChangeArticle.change_id, ChangeArticle.side, VersionArticle.position, VersionArticle.key
        )
        .join(VersionArticle, VersionArticle.id == ChangeArticle.article_id)
        .where(ChangeArticle.change_id.in_(change_ids))
    )
    for change_id, side, position, key in rows:
        rank = (0 if side == "new" else 1, position)
        if change_id not in best or rank < best[change_id][0]:
            best[change_id] = (rank, key)
    return {change_id: key for change_id, (_, key) in best.items()}


def _sequences(session: Session, comparisons: list[VersionComparison]) -> dict[int, int]:
    ids = {c.from_version_id for c in comparisons} | {c.to_version_id for c in comparisons}
    if not ids:
        return {}
    return dict(
        session.execute(
            select(DraftVersion.id, DraftVersion.sequence).where(DraftVersion.id.in_(ids))
        ).all()
    )


def _texts(session: Session, change_id: int) -> dict[str, list[str]]:
    sides: dict[str, list[str]] = {}
    for side, text in session.execute(
        select(ChangeArticle.side, VersionArticle.text)
        .join(VersionArticle, VersionArticle.id == ChangeArticle.article_id)
        .where(ChangeArticle.change_id == change_id)
        .order_by(VersionArticle.position)
    ):
        sides.setdefault(side, []).append(text)
    return sides
