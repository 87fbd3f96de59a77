"""Reading opinions for staff: lists and single opinions within the actor's offices,
the choices of the entry form, and where an opinion's articles went in later versions."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from noticeboard.models import (
    CollectionPoint,
    DraftVersion,
    Law,
    Office,
    Opinion,
    VersionArticle,
    VersionStatus,
    utcnow,
)
from noticeboard.services.accounts.offices import office_tree
from noticeboard.services.accounts.scope import office_scope
from noticeboard.services.errors import NotFound
from noticeboard.services.opinions.filters import OpinionFilter
from noticeboard.services.permissions import Actor, Permission, require
from noticeboard.services.public.visibility import is_public_version

PER_PAGE = 50


@dataclass(frozen=True)
class OpinionPage:
    items: Sequence[Opinion]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def get_opinion(session: Session, actor: Actor, opinion_id: int) -> Opinion:
    """One opinion, when it is within the actor's offices (else not found: staff of one
    office do not learn what another office holds), with what its pages show: law,
    version, office, collection point and articles."""
    require(actor, Permission.RECORD_OPINIONS)
    # A query, not session.get: an opinion already in the session (expired by a rollback,
    # say) gets its relationships loaded too.
    opinion = session.scalar(
        select(Opinion)
        .where(Opinion.id == opinion_id)
        .options(
            joinedload(Opinion.law),
            joinedload(Opinion.version),
            joinedload(Opinion.office),
            joinedload(Opinion.collection_point),
            selectinload(Opinion.articles),
        )
    )
    if opinion is None or not office_scope(session, actor).covers(opinion.office_id):
        raise NotFound("No such opinion.")
    return opinion


def list_opinions(
    session: Session,
    actor: Actor,
    *,
    law_slug: str | None = None,
    office_slug: str | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    filters: OpinionFilter | None = None,
) -> OpinionPage:
    """Opinions within the actor's offices, filtered and sorted (newest first by default)."""
    require(actor, Permission.RECORD_OPINIONS)
    chosen = filters or OpinionFilter(law_slug=law_slug, office_slug=office_slug)
    where = [office_scope(session, actor).where(Opinion.office_id), *chosen.conditions()]
    total = session.scalar(select(func.count()).select_from(Opinion).where(*where)) or 0
    page = max(1, page)
    items = session.scalars(
        chosen.ordered(
            select(Opinion)
            .where(*where)
            .options(
                joinedload(Opinion.law),
                joinedload(Opinion.version),
                joinedload(Opinion.office),
                selectinload(Opinion.articles),
            )
        )
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return OpinionPage(items=items, total=total, page=page, per_page=per_page)


def iter_opinions(
    session: Session, actor: Actor, filters: OpinionFilter, *, batch: int = 1000
) -> Iterator[Opinion]:
    """Every opinion of the list, in batches, for exports that stream."""
    require(actor, Permission.RECORD_OPINIONS)
    where = [office_scope(session, actor).where(Opinion.office_id), *filters.conditions()]
    query = filters.ordered(
        select(Opinion)
        .where(*where)
        .options(
            joinedload(Opinion.law),
            joinedload(Opinion.version),
            joinedload(Opinion.office),
            selectinload(Opinion.articles),
        )
    )
    offset = 0
    while True:
        rows = session.scalars(query.limit(batch).offset(offset)).unique().all()
        yield from rows
        if len(rows) < batch:
            return
        offset += batch
        session.expunge_all()  # keep memory flat on long exports


@dataclass(frozen=True)
class ArticleTrail:
    """An article an opinion targets, and the same article (by its stable key) in the
    law's latest published version: "on 第十二条 of the first draft, now 第十四条"."""

    article: VersionArticle
    latest: DraftVersion | None  # None when the opinion's version is the latest
    now: VersionArticle | None  # None when the article is gone from the latest version

    @property
    def renumbered(self) -> bool:
        return self.now is not None and self.now.label != self.article.label


def article_trails(session: Session, opinion: Opinion) -> list[ArticleTrail]:
    latest = session.scalar(
        select(DraftVersion)
        .where(DraftVersion.law_id == opinion.law_id, is_public_version())
        .order_by(DraftVersion.sequence.desc())
        .limit(1)
    )
    if latest is None or latest.sequence <= opinion.version.sequence:
        return [ArticleTrail(article, None, None) for article in opinion.articles]
    keys = [article.key for article in opinion.articles]
    later = {
        row.key: row
        for row in session.scalars(
            select(VersionArticle).where(
                VersionArticle.version_id == latest.id, VersionArticle.key.in_(keys)
            )
        )
    }
    return [ArticleTrail(a, latest, later.get(a.key)) for a in opinion.articles]


@dataclass(frozen=True)
class EntryChoices:
    versions: Sequence[DraftVersion]  # published; open consultations first
    offices: Sequence[Office]  # active offices the actor records for
    points: Sequence[CollectionPoint]  # active points of those offices
    office_optional: bool  # whether an opinion may come in through no office


def entry_choices(session: Session, actor: Actor) -> EntryChoices:
    require(actor, Permission.RECORD_OPINIONS)
    scope = office_scope(session, actor)
    now = utcnow()
    versions = session.scalars(
        select(DraftVersion)
        .join(DraftVersion.law)
        .where(DraftVersion.status == VersionStatus.PUBLISHED)
        .options(joinedload(DraftVersion.law))
        .order_by(Law.title, DraftVersion.sequence.desc())
    ).all()
    versions = sorted(
        versions,
        key=lambda v: not (v.comment_closes_at is not None and v.comment_closes_at >= now),
    )
    offices = [
        office
        for _depth, office in office_tree(session)
        if office.is_active and scope.covers(office.id)
    ]
    points = session.scalars(
        select(CollectionPoint)
        .where(CollectionPoint.is_active, CollectionPoint.office_id.in_([o.id for o in offices]))
        .options(joinedload(CollectionPoint.office))
        .order_by(CollectionPoint.office_id, CollectionPoint.name)
    ).all()
    return EntryChoices(versions, offices, points, office_optional=scope.everything)


@dataclass(frozen=True)
class EntryRows:
    """The rows an entry form names by id; None where it names none or an unknown one."""

    version: DraftVersion | None
    office: Office | None
    collection_point: CollectionPoint | None


def entry_rows(
    session: Session, *, version_id: int | None, office_id: int | None, point_id: int | None
) -> EntryRows:
    """What the checks of ``record_opinion`` need: the version, office and point chosen."""
    return EntryRows(
        version=session.get(DraftVersion, version_id) if version_id else None,
        office=session.get(Office, office_id) if office_id else None,
        collection_point=session.get(CollectionPoint, point_id) if point_id else None,
    )


def version_articles(session: Session, version_id: int) -> Sequence[VersionArticle]:
    return session.scalars(
        select(VersionArticle)
        .where(VersionArticle.version_id == version_id)
        .order_by(VersionArticle.position)
    ).all()
