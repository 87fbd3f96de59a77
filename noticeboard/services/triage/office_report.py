"""The office's report upward: for each article of a version, how many opinions the
office received, the distinct positions among them and what became of them.

A *position* is a campaign (an ``OpinionCluster``: its copies count once as a position,
with their number), or, for opinions in no campaign, the change that best answers them
(their rank-1 ``OpinionMatch``), or "no matching change". Articles are followed across
renumbering by their stable key, in the order of the report's version; articles the
opinions cited that the version no longer has come after, and opinions citing no article
last. Outcome counts reuse the adoption report's ``Tally``.

Two grouped statements read the whole law (one for cited articles, one for the rest);
sample texts and change labels are read in batches for the positions found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import Session

from noticeboard.models import (
    Change,
    DraftVersion,
    Law,
    Office,
    Opinion,
    OpinionCluster,
    OpinionMatch,
    OpinionTriage,
    VersionArticle,
    opinion_article,
)
from noticeboard.services.accounts.scope import office_scope
from noticeboard.services.decisions.reports import Tally
from noticeboard.services.errors import NotFound, PermissionDenied
from noticeboard.services.permissions import Actor, Permission, SystemActor, require
from noticeboard.services.triage.queue.details import SAMPLE_CHARS, article_labels

CLUSTER, CHANGE, NO_CHANGE = "cluster", "change", "none"
_BATCH = 1000  # ids per IN list


@dataclass
class Position:
    kind: str  # CLUSTER, CHANGE (singletons best matched to one change) or NO_CHANGE
    cluster_id: int | None
    change_id: int | None
    tally: Tally  # outcomes of the position's opinions; ``tally.received`` is its size
    sample_id: int = 0
    sample: str = ""
    change_labels: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return self.tally.received


@dataclass
class ArticleSection:
    key: str  # "" for opinions citing no article
    label: str
    tally: Tally
    positions: list[Position] = field(default_factory=list)

    @property
    def opinions(self) -> int:
        return self.tally.received


@dataclass(frozen=True)
class OfficeReport:
    law: Law
    version: DraftVersion
    office: Office | None  # None: every office
    sections: list[ArticleSection]
    total: Tally


def report_office(session: Session, actor: Actor, slug: str | None) -> Office | None:
    """The office the actor reports on: office staff their own (or one below it),
    others the one they chose, or every office."""
    require(actor, Permission.RECORD_OPINIONS)
    scope = office_scope(session, actor)
    office = session.scalar(select(Office).where(Office.slug == slug)) if slug else None
    if slug and office is None:
        raise NotFound("No office with the slug %(slug)s.", slug=slug)
    if scope.everything:
        return office
    if office is None and not isinstance(actor, SystemActor) and actor.office_id is not None:
        return session.get(Office, actor.office_id)
    if office is None or not scope.covers(office.id):
        raise PermissionDenied("Your account reports on its own office only.")
    return office


def office_report(
    session: Session,
    actor: Actor,
    law: Law,
    office: Office | None,
    version: DraftVersion | None = None,
) -> OfficeReport:
    require(actor, Permission.RECORD_OPINIONS)
    scope = office_scope(session, actor)
    if office is None and not scope.everything:
        raise PermissionDenied("Your account reports on its own office only.")
    if office is not None and not scope.covers(office.id):
        raise PermissionDenied("Your account reports on its own office only.")
    version = version or _latest_version(session, law)
    where = [Opinion.law_id == law.id]
    if office is not None:
        where.append(Opinion.office_id == office.id)
    rows = _position_rows(session, where)
    sections = _sections(session, law, version, rows)
    # An opinion citing two articles counts in both sections, but once in the total.
    total = Tally(law.title)
    total.counts.update(
        (o.value, n)
        for o, n in session.execute(
            select(Opinion.outcome, func.count()).where(*where).group_by(Opinion.outcome)
        ).all()
    )
    return OfficeReport(law, version, office, sections, total)


def _latest_version(session: Session, law: Law) -> DraftVersion:
    found = session.scalar(
        select(DraftVersion)
        .where(DraftVersion.law_id == law.id)
        .order_by(DraftVersion.sequence.desc())
        .limit(1)
    )
    if found is None:
        raise NotFound("This law has no version yet.")
    return found


def _position_rows(session: Session, where: Sequence[Any]) -> list[Any]:
    """(key, cluster, best change, outcome, count, first opinion) for every position."""
    best = and_(OpinionMatch.opinion_id == Opinion.id, OpinionMatch.rank == 1)
    # Campaign members count under their campaign, whatever each one's best match.
    change = case((OpinionTriage.cluster_id.is_(None), OpinionMatch.change_id), else_=None)
    measures = (
        OpinionTriage.cluster_id,
        change.label("change_id"),
        Opinion.outcome,
        func.count(Opinion.id),
        func.min(Opinion.id),
    )
    cited = (
        select(VersionArticle.key, *measures)
        .select_from(Opinion)
        .join(opinion_article, opinion_article.c.opinion_id == Opinion.id)
        .join(VersionArticle, VersionArticle.id == opinion_article.c.article_id)
        .outerjoin(OpinionTriage, OpinionTriage.opinion_id == Opinion.id)
        .outerjoin(OpinionMatch, best)
        .where(*where)
        .group_by(VersionArticle.key, OpinionTriage.cluster_id, change, Opinion.outcome)
    )
    uncited = (
        select(*measures)
        .select_from(Opinion)
        .outerjoin(OpinionTriage, OpinionTriage.opinion_id == Opinion.id)
        .outerjoin(OpinionMatch, best)
        .where(*where, ~exists().where(opinion_article.c.opinion_id == Opinion.id))
        .group_by(OpinionTriage.cluster_id, change, Opinion.outcome)
    )
    rows: list[Any] = list(session.execute(cited).all())
    rows += [("", *row) for row in session.execute(uncited).all()]
    return rows


def _sections(
    session: Session, law: Law, version: DraftVersion, rows: Sequence[Any]
) -> list[ArticleSection]:
    order = dict(
        session.execute(
            select(VersionArticle.key, VersionArticle.position).where(
                VersionArticle.version_id == version.id
            )
        ).all()
    )
    labels = dict(
        session.execute(
            select(VersionArticle.key, VersionArticle.label).where(
                VersionArticle.version_id == version.id
            )
        ).all()
    )
    others = sorted({r[0] for r in rows if r[0] and r[0] not in labels})
    labels |= article_labels(session, law, others)
    sections: dict[str, ArticleSection] = {}
    positions: dict[tuple[str, int | None, int | None], Position] = {}
    for key, cluster_id, change_id, outcome, n, first_id in rows:
        section = sections.setdefault(key, ArticleSection(key, labels.get(key, key), Tally(key)))
        section.tally.counts[outcome.value] += n
        kind = CLUSTER if cluster_id is not None else CHANGE if change_id is not None else NO_CHANGE
        ident = (key, cluster_id, change_id)
        position = positions.get(ident)
        if position is None:
            position = positions[ident] = Position(kind, cluster_id, change_id, Tally(kind))
            position.sample_id = first_id
            section.positions.append(position)
        position.tally.counts[outcome.value] += n
        position.sample_id = min(position.sample_id, first_id)
    _fill_positions(session, list(positions.values()))
    for section in sections.values():
        section.positions.sort(key=lambda p: (-p.size, p.kind, p.cluster_id or 0, p.change_id or 0))
    last = len(order) + 1
    return sorted(
        sections.values(),
        key=lambda s: (not s.key, s.key not in order, order.get(s.key, last), s.label),
    )


def _fill_positions(session: Session, positions: list[Position]) -> None:
    """Sample texts (a campaign's representative letter) and change labels, in batches."""
    clusters = sorted({p.cluster_id for p in positions if p.cluster_id is not None})
    representative: dict[int, int] = {}
    for part in _batches(clusters):
        representative.update(
            (cid, rid)
            for cid, rid in session.execute(
                select(OpinionCluster.id, OpinionCluster.representative_id).where(
                    OpinionCluster.id.in_(part)
                )
            ).all()
            if rid is not None
        )
    for p in positions:
        if p.cluster_id is not None:
            p.sample_id = representative.get(p.cluster_id, p.sample_id)
    texts: dict[int, str] = {}
    for part in _batches(sorted({p.sample_id for p in positions})):
        texts.update(
            session.execute(
                select(Opinion.id, func.substr(Opinion.text, 1, SAMPLE_CHARS)).where(
                    Opinion.id.in_(part)
                )
            ).all()
        )
    changes: dict[int, list[str]] = {}
    for part in _batches(sorted({p.change_id for p in positions if p.change_id is not None})):
        for change in session.scalars(select(Change).where(Change.id.in_(part))):
            changes[change.id] = list(change.new_labels or change.old_labels)
    for p in positions:
        p.sample = texts.get(p.sample_id, "")
        p.change_labels = changes.get(p.change_id, []) if p.change_id is not None else []


def _batches(ids: list[int]) -> list[list[int]]:
    return [ids[start : start + _BATCH] for start in range(0, len(ids), _BATCH)]
