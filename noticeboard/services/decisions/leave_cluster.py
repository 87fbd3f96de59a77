"""Staff take an opinion out of its campaign: it is not a copy of that letter after all.

A staff decision about the clustering, so it lives with the other decisions; it keeps
the clustering's state whole (``services.triage.clustering``): every cluster has two
or more members, and the LSH buckets that led to the opinion lead to a member still in.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from noticeboard.models import ClusterBand, OpinionCluster, OpinionTriage
from noticeboard.services.audit import record_event
from noticeboard.services.errors import NotFound, ValidationFailed
from noticeboard.services.permissions import Actor, Permission, require
from noticeboard.services.triage.staleness import note_queue_changed


def take_out_of_cluster(session: Session, actor: Actor, opinion_id: int) -> None:
    """Staff say this opinion is not a copy of its campaign's letter: out it goes, and
    clustering never puts it back. A cluster left with one member is dissolved, so
    every cluster has two or more. Audited; flushes, never commits."""
    require(actor, Permission.DECIDE_OPINIONS)
    triage = session.get(OpinionTriage, opinion_id)
    if triage is None:
        raise NotFound("No such opinion.")
    if triage.cluster_id is None:
        raise ValidationFailed("This opinion is in no campaign.")
    cluster_id = triage.cluster_id
    cluster = session.get(OpinionCluster, cluster_id, with_for_update=True)
    if cluster is None:
        raise NotFound("No such campaign.")
    triage.cluster_id = None
    triage.kept_apart = True
    session.flush()
    left = session.scalars(
        select(OpinionTriage.opinion_id)
        .where(OpinionTriage.cluster_id == cluster_id)
        .order_by(OpinionTriage.opinion_id)
        .limit(2)
    ).all()
    if len(left) < 2:
        session.execute(
            update(OpinionTriage)
            .where(OpinionTriage.cluster_id == cluster_id)
            .values(cluster_id=None)
            .execution_options(synchronize_session="fetch")
        )
        session.delete(cluster)
    else:
        cluster.size -= 1
        if cluster.representative_id == opinion_id:
            cluster.representative_id = left[0]
        # Its buckets lead later copies to the campaign through a member still in it.
        session.execute(
            update(ClusterBand)
            .where(ClusterBand.law_id == cluster.law_id, ClusterBand.opinion_id == opinion_id)
            .values(opinion_id=cluster.representative_id)
            .execution_options(synchronize_session=False)
        )
    record_event(session, actor, "opinion.cluster_left", "opinion", opinion_id, cluster=cluster_id)
    session.flush()
    note_queue_changed(session, triage.law_id)  # it moves to its article's queue group
