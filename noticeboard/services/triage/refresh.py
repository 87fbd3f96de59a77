"""The matching job: for one law, cluster the opinions that arrived, then match every
opinion whose matches are missing or out of date (``services.triage.staleness`` says
which, and queues the job).

Unlike an import, this work is derived and idempotent, so the job commits batch by
batch: each batch leaves a consistent state, a worker killed mid-way loses at most one
batch, and the next run goes on from there. On SQLite, short write transactions let
offices go on recording opinions while a large law is matched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from noticeboard.models import Law, Opinion, OpinionTriage
from noticeboard.services.jobs.messages import job_message
from noticeboard.services.jobs.running import JobContext, JobFailed, JobResult
from noticeboard.services.triage.clustering import cluster_pending
from noticeboard.services.triage.matching import match_pending
from noticeboard.services.triage.queue.recount import build_summary

BATCH = 2000
# Another worker took the same opinions (two jobs for one law at once): that batch is
# theirs; give up only if it keeps happening.
MAX_CONFLICTS = 5

LAW_GONE = job_message("the law is gone: nothing to match")
CLUSTERING = job_message("grouping copies of one letter")
MATCHING = job_message("matching opinions to changes")
RECOUNTING = job_message("counting the triage queue")
MATCHED = job_message("opinions grouped and matched")


@dataclass(frozen=True)
class TriageWork:
    to_cluster: int
    to_match: int

    @property
    def total(self) -> int:
        return self.to_cluster + self.to_match


def pending_work(session: Session, law_id: int) -> TriageWork:
    """How much is pending, from three index counts: the law's opinions less its triage
    rows (a triage row goes with its opinion) are the ones never clustered. Cheaper than
    the anti-join, which reads every opinion of the law (0.8 s at 500,000)."""
    opinions = session.scalar(select(func.count(Opinion.id)).where(Opinion.law_id == law_id))
    triaged = session.scalar(
        select(func.count()).select_from(OpinionTriage).where(OpinionTriage.law_id == law_id)
    )
    to_match = session.scalar(
        select(func.count())
        .select_from(OpinionTriage)
        .where(OpinionTriage.law_id == law_id, OpinionTriage.matched_at.is_(None))
    )
    to_cluster = max(0, int(opinions or 0) - int(triaged or 0))
    # Every opinion not clustered yet will be matched too.
    return TriageWork(to_cluster, int(to_match or 0) + to_cluster)


Commit = Callable[[], None]
Progress = Callable[[int, int, str], None]


def triage_law(
    session: Session, law_id: int, commit: Commit, progress: Progress | None = None
) -> dict[str, int]:
    """Cluster, then match, everything pending for the law, committing after each batch;
    then count its triage queue again (``queue.recount``), in one more commit."""
    work = pending_work(session, law_id)
    done, counts = 0, {"clustered": 0, "joined": 0, "clusters": 0, "matched": 0, "pairs": 0}
    for clustering, phase in ((True, CLUSTERING), (False, MATCHING)):
        conflicts, rewound = 0, False
        # Opinions arrive in id order, so the new ones are past the last clustered: start
        # there rather than walk the law's clustered opinions (0.8 s at 500,000).
        after = _last_clustered(session, law_id) if clustering else 0
        while True:
            try:
                if clustering:
                    grouped = cluster_pending(session, law_id, limit=BATCH, after=after)
                    processed = grouped.processed
                    after = max(after, grouped.last_id)
                    counts["clustered"] += processed
                    counts["joined"] += grouped.joined
                    counts["clusters"] += grouped.clusters_created
                else:
                    matched = match_pending(session, law_id, limit=BATCH)
                    processed = matched.processed
                    counts["matched"] += processed
                    counts["pairs"] += matched.stored
                commit()
            except IntegrityError:
                session.rollback()
                conflicts += 1
                if conflicts > MAX_CONFLICTS:
                    raise
                continue
            done += processed
            if progress is not None and processed:
                progress(min(done, work.total), max(work.total, done), phase)
            if processed < BATCH:
                # A short batch took the last pending ones above ``after``. An opinion
                # committed late with a lower id (a long import) is still unseen: one
                # pass from the start, only if the counts say one is missing.
                if (
                    clustering
                    and after
                    and not rewound
                    and pending_work(session, law_id).to_cluster
                ):
                    after, rewound = 0, True
                    continue
                break
    if progress is not None:
        progress(done, max(work.total, done), RECOUNTING)
    # Also when nothing was pending: the job is queued for writes that only move opinions
    # between the queue's groups (a decision, a link) too.
    counts["queue_rows"] = build_summary(session, law_id)
    commit()
    return counts


def _last_clustered(session: Session, law_id: int) -> int:
    found = session.scalar(
        select(func.max(OpinionTriage.opinion_id)).where(OpinionTriage.law_id == law_id)
    )
    return int(found or 0)


def run_matching(context: JobContext) -> JobResult:
    """The job: everything pending for one law."""
    work = context.work
    law_id = int(context.params["law_id"])
    if work.get(Law, law_id) is None:
        raise JobFailed(LAW_GONE)
    counts = triage_law(work, law_id, work.commit, context.progress)
    return JobResult(counts, MATCHED, counts["matched"])
