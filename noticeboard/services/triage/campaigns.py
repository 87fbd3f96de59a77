"""Reading campaigns (clusters of copies of one letter): for staff pages, reports, and
the public figures ("1,240 copies of one letter").

Staff reads give the representative letter's text; the public figures never do (an
opinion's text and its sender's name are not public, see ``services.public.visibility``):
they give sizes, the law, and the staff's public summary of the letter when one was
written on a public version. Every list is paginated with its total beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from noticeboard.models import DraftVersion, Law, Opinion, OpinionCluster, OpinionTriage, Outcome
from noticeboard.services.errors import NotFound
from noticeboard.services.public.visibility import is_public_version

EXCERPT = 300  # characters of the representative letter shown in a list
BIGGEST = 5  # campaigns named in the public figures


@dataclass(frozen=True)
class ClusterSummary:
    id: int
    size: int
    representative_id: int | None
    representative_text: str  # its first EXCERPT characters
    pending: int  # members not decided yet


@dataclass(frozen=True)
class PublicCampaign:
    size: int
    law_slug: str
    law_title: str
    law_title_en: str | None
    summary: str  # the staff's public summary of the letter, "" when none may be shown


@dataclass(frozen=True)
class CampaignFigures:
    campaigns: int
    opinions: int  # opinions that are copies in some campaign
    biggest: list[PublicCampaign]


def count_clusters(session: Session, law_id: int) -> int:
    counted = session.scalar(
        select(func.count()).select_from(OpinionCluster).where(OpinionCluster.law_id == law_id)
    )
    return int(counted or 0)


def clusters_of_law(
    session: Session, law_id: int, *, limit: int = 50, offset: int = 0
) -> list[ClusterSummary]:
    """One page of the law's campaigns, biggest first (``count_clusters`` is the total)."""
    page = (
        select(OpinionCluster.id, OpinionCluster.size, OpinionCluster.representative_id)
        .where(OpinionCluster.law_id == law_id)
        .order_by(OpinionCluster.size.desc(), OpinionCluster.id)
        .limit(limit)
        .offset(offset)
    )
    rows = session.execute(page).all()
    if not rows:
        return []
    ids = [r.id for r in rows]
    reps = [r.representative_id for r in rows if r.representative_id is not None]
    texts: dict[int, str] = dict(
        session.execute(
            select(Opinion.id, func.substr(Opinion.text, 1, EXCERPT)).where(Opinion.id.in_(reps))
        ).all()
    )
    # One grouped count over this page's members (index on triage.cluster_id).
    pending = {
        int(cluster_id or 0): int(n)
        for cluster_id, n in session.execute(
            select(OpinionTriage.cluster_id, func.count())
            .join(Opinion, Opinion.id == OpinionTriage.opinion_id)
            .where(OpinionTriage.cluster_id.in_(ids), Opinion.outcome == Outcome.PENDING)
            .group_by(OpinionTriage.cluster_id)
        )
    }
    return [
        ClusterSummary(
            r.id,
            r.size,
            r.representative_id,
            texts.get(r.representative_id, "") if r.representative_id else "",
            int(pending.get(r.id, 0)),
        )
        for r in rows
    ]


def cluster_size(session: Session, cluster_id: int) -> int:
    """Members counted from the triage rows (the stored size should agree)."""
    counted = session.scalar(
        select(func.count())
        .select_from(OpinionTriage)
        .where(OpinionTriage.cluster_id == cluster_id)
    )
    return int(counted or 0)


def get_cluster(session: Session, cluster_id: int) -> OpinionCluster:
    cluster = session.get(OpinionCluster, cluster_id)
    if cluster is None:
        raise NotFound("No such campaign.")
    return cluster


def cluster_member_ids(session: Session, cluster_id: int) -> list[int]:
    """Every member of the campaign, in the order they arrived."""
    return list(
        session.scalars(
            select(OpinionTriage.opinion_id)
            .where(OpinionTriage.cluster_id == cluster_id)
            .order_by(OpinionTriage.opinion_id)
        )
    )


def campaign_figures(
    session: Session, *, law_id: int | None = None, office_id: int | None = None
) -> CampaignFigures:
    """How many campaigns, how many opinions in them, and the biggest few, for the public.

    With ``office_id``, the campaigns that reached that office and the copies it
    received (a campaign sent to several offices counts at each of them)."""
    if office_id is None:
        where = [OpinionCluster.law_id == law_id] if law_id is not None else []
        campaigns, opinions = session.execute(
            select(func.count(), func.coalesce(func.sum(OpinionCluster.size), 0)).where(*where)
        ).one()
        biggest = session.execute(
            select(OpinionCluster.id, OpinionCluster.size)
            .where(*where)
            .order_by(OpinionCluster.size.desc(), OpinionCluster.id)
            .limit(BIGGEST)
        ).all()
        sized = [(r.id, int(r.size)) for r in biggest]
    else:
        per_cluster = (
            select(OpinionTriage.cluster_id.label("cluster_id"), func.count().label("copies"))
            .join(Opinion, Opinion.id == OpinionTriage.opinion_id)
            .where(Opinion.office_id == office_id, OpinionTriage.cluster_id.is_not(None))
            .group_by(OpinionTriage.cluster_id)
        )
        if law_id is not None:
            per_cluster = per_cluster.where(OpinionTriage.law_id == law_id)
        grouped = per_cluster.subquery()
        campaigns, opinions = session.execute(
            select(func.count(), func.coalesce(func.sum(grouped.c.copies), 0))
        ).one()
        top = session.execute(
            select(grouped.c.cluster_id, grouped.c.copies)
            .order_by(grouped.c.copies.desc(), grouped.c.cluster_id)
            .limit(BIGGEST)
        ).all()
        sized = [(int(r.cluster_id), int(r.copies)) for r in top]
    return CampaignFigures(int(campaigns), int(opinions), _public_campaigns(session, sized))


def _public_campaigns(session: Session, sized: list[tuple[int, int]]) -> list[PublicCampaign]:
    if not sized:
        return []
    rows = session.execute(
        select(
            OpinionCluster.id,
            Law.slug,
            Law.title,
            Law.title_en,
            Opinion.summary,
            Opinion.version_id,
        )
        .join(Law, Law.id == OpinionCluster.law_id)
        .outerjoin(Opinion, Opinion.id == OpinionCluster.representative_id)
        .where(OpinionCluster.id.in_([cluster_id for cluster_id, _ in sized]))
    ).all()
    found = {r.id: r for r in rows}
    public = set(
        session.scalars(
            select(DraftVersion.id).where(
                DraftVersion.id.in_([r.version_id for r in rows if r.version_id is not None]),
                is_public_version(),
            )
        )
    )
    made = []
    for cluster_id, size in sized:
        row = found.get(cluster_id)
        if row is None:
            continue
        # The summary is staff's public wording; it follows its version's visibility.
        summary = (row.summary or "") if row.version_id in public else ""
        made.append(PublicCampaign(size, row.slug, row.title, row.title_en, summary))
    return made
