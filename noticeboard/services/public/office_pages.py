"""Read models for the public office pages: the directory and one office's record.

An office's record counts its own opinions and those of every office below it, as its
board does."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, joinedload

from noticeboard.models import CollectionPoint, Law, Office, OfficeTier, Opinion, Outcome
from noticeboard.services.accounts.scope import subtree_ids
from noticeboard.services.errors import NotFound
from noticeboard.services.public.adoptions import ADOPTED, AdoptedItem, adopted_items
from noticeboard.services.public.boards import Counters, opinion_counters
from noticeboard.services.public.consultations import Consultation, open_consultations

_TIER_RANK = {OfficeTier.NATIONAL: 0, OfficeTier.PROVINCIAL: 1, OfficeTier.PREFECTURE: 2}
RECENT = 20


@dataclass
class OfficeEntry:
    office: Office
    depth: int
    opinions: int = 0  # with the offices below
    adopted: int = 0
    children: list[OfficeEntry] = field(default_factory=list)


@dataclass(frozen=True)
class LawRecord:
    slug: str
    title: str
    title_en: str | None
    opinions: int
    adopted: int  # adopted or partially adopted
    decided: int


@dataclass(frozen=True)
class OfficeRecord:
    office: Office
    parent: Office | None
    children: list[Office]
    points: list[CollectionPoint]
    counters: Counters
    laws: list[LawRecord]
    consultations: list[Consultation]
    recent: list[AdoptedItem]


def office_directory(session: Session) -> list[OfficeEntry]:
    """Every office, depth first under its parent, with the opinions of its subtree."""
    adopted = func.sum(case((Opinion.outcome.in_(ADOPTED), 1), else_=0))
    counts = {
        office_id: (int(n), int(a or 0))
        for office_id, n, a in session.execute(
            select(Opinion.office_id, func.count(Opinion.id), adopted).group_by(Opinion.office_id)
        )
    }
    offices = sorted(session.scalars(select(Office)), key=lambda o: (_TIER_RANK[o.tier], o.name))
    entries = {o.id: OfficeEntry(office=o, depth=0) for o in offices}
    roots: list[OfficeEntry] = []
    for office in offices:
        entry = entries[office.id]
        parent = entries.get(office.parent_id) if office.parent_id is not None else None
        (parent.children if parent is not None else roots).append(entry)

    ordered: list[OfficeEntry] = []

    def walk(entry: OfficeEntry, depth: int) -> tuple[int, int]:
        entry.depth = depth
        ordered.append(entry)
        opinions, adopted_n = counts.get(entry.office.id, (0, 0))
        for child in entry.children:
            child_opinions, child_adopted = walk(child, depth + 1)
            opinions, adopted_n = opinions + child_opinions, adopted_n + child_adopted
        entry.opinions, entry.adopted = opinions, adopted_n
        return opinions, adopted_n

    for root in roots:
        walk(root, 0)
    return ordered


def office_record(session: Session, slug: str) -> OfficeRecord:
    office = session.scalar(
        select(Office).where(Office.slug == slug).options(joinedload(Office.parent))
    )
    if office is None:
        raise NotFound("No office with the slug %(slug)s.", slug=slug)
    ids = subtree_ids(session, office.id)
    children = sorted(
        session.scalars(select(Office).where(Office.parent_id == office.id)), key=lambda o: o.name
    )
    points = list(
        session.scalars(
            select(CollectionPoint)
            .where(CollectionPoint.office_id == office.id, CollectionPoint.is_active.is_(True))
            .order_by(CollectionPoint.name)
        )
    )
    return OfficeRecord(
        office=office,
        parent=office.parent,
        children=children,
        points=points,
        counters=opinion_counters(session, office_ids=ids),
        laws=_law_records(session, ids),
        consultations=open_consultations(session),
        recent=adopted_items(session, office_ids=ids, limit=RECENT),
    )


def _law_records(session: Session, office_ids: list[int]) -> list[LawRecord]:
    adopted = func.sum(case((Opinion.outcome.in_(ADOPTED), 1), else_=0))
    decided = func.sum(case((Opinion.outcome != Outcome.PENDING, 1), else_=0))
    rows = session.execute(
        select(Law.slug, Law.title, Law.title_en, func.count(Opinion.id), adopted, decided)
        .join(Opinion, Opinion.law_id == Law.id)
        .where(Opinion.office_id.in_(sorted(office_ids)))
        .group_by(Law.id, Law.slug, Law.title, Law.title_en)
        .order_by(func.count(Opinion.id).desc(), Law.slug)
    ).all()
    return [
        LawRecord(
            slug=slug,
            title=title,
            title_en=title_en,
            opinions=int(n),
            adopted=int(a or 0),
            decided=int(d or 0),
        )
        for slug, title, title_en, n, a, d in rows
    ]
