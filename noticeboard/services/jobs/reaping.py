"""Finding jobs whose worker died: every worker sweeps at start and once a minute.

A job is all or nothing, so a worker killed mid-way (``kill -9``, an OOM kill, a lost
machine) left nothing of it saved: the database rolled its transaction back. What is
left is the row saying "running". A sweep finds each running job whose lease lapsed and
either queues it again, for kinds whose work any worker can simply redo, or marks it
interrupted, for work a person started from a file (an import), who decides whether to
start it again.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from noticeboard.models import Job, JobKind, JobPayload, JobState, utcnow
from noticeboard.services.jobs.messages import INTERRUPTED, RESTARTED
from noticeboard.services.jobs.queue import JobQueue, enqueue_after_commit
from noticeboard.services.jobs.records import compare_and_set, lease_expired

log = logging.getLogger(__name__)

# Work the system can redo on its own; an import waits for the person who uploaded it.
REQUEUED_KINDS = frozenset({JobKind.MATCHING, JobKind.EXPORT, JobKind.RECOMPUTE, JobKind.NOTICES})
MAX_ATTEMPTS = 3  # a job that kills its worker three times is left interrupted
# An interrupted job's file (names, contacts) is kept this long for "start it again".
PAYLOAD_KEPT = timedelta(days=7)


@dataclass(frozen=True)
class Swept:
    requeued: list[str]
    interrupted: list[str]


def sweep_stale_jobs(
    session: Session, queue: JobQueue, *, lease_seconds: float, now: float | None = None
) -> Swept:
    """Queue again or interrupt every running job whose lease lapsed; the caller commits
    (and the queued ones go to the queue then)."""
    now = time.time() if now is None else now
    requeued: list[str] = []
    interrupted: list[str] = []
    running = session.scalars(select(Job).where(Job.state == JobState.RUNNING)).all()
    for job in running:
        if not lease_expired(job, queue, lease_seconds, now):
            continue
        again = job.kind in REQUEUED_KINDS and job.attempts < MAX_ATTEMPTS
        values = (
            {"state": JobState.QUEUED, "message": RESTARTED}
            if again
            else {"state": JobState.INTERRUPTED, "message": INTERRUPTED, "finished_at": utcnow()}
        )
        # Only if it is still the same run: its worker may have come back and finished.
        if not compare_and_set(session, job.id, JobState.RUNNING, job.attempts, **values):
            continue
        if again:
            enqueue_after_commit(session, queue, job.id)
            requeued.append(job.id)
        else:
            interrupted.append(job.id)
        log.warning(
            "job %s (%s): its worker %s stopped; %s",
            job.id,
            job.kind.value,
            job.worker or "(unknown)",
            "queued again" if again else "interrupted",
        )
    _drop_old_payloads(session)
    return Swept(requeued, interrupted)


def _drop_old_payloads(session: Session) -> None:
    """Files of jobs that ended long ago and were never started again."""
    ended = session.scalars(
        select(JobPayload.job_id)
        .join(Job, Job.id == JobPayload.job_id)
        .where(
            Job.state.in_([JobState.INTERRUPTED, JobState.FAILED]),
            Job.finished_at < utcnow() - PAYLOAD_KEPT,
        )
    ).all()
    if ended:  # a sweep that finds nothing writes nothing (on SQLite, no write lock to wait for)
        session.execute(delete(JobPayload).where(JobPayload.job_id.in_(ended)))
