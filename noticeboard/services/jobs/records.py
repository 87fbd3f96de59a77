"""Job rows: created by the service that needs the work, read by pages and the console,
and started again where that is safe."""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, or_, select, update
from sqlalchemy.orm import Session, joinedload

from noticeboard.models import Job, JobKind, JobPayload, JobState, utcnow
from noticeboard.services.audit import record_event
from noticeboard.services.errors import Conflict, NotFound, QueueUnavailable
from noticeboard.services.jobs.messages import INTERRUPTED, NOT_QUEUED
from noticeboard.services.jobs.queue import JobQueue, enqueue_after_commit
from noticeboard.services.permissions import Actor, Permission, can, require

RECENT = 50


def create_job(
    session: Session,
    actor: Actor,
    queue: JobQueue,
    kind: JobKind,
    *,
    params: dict[str, Any] | None = None,
    payload: bytes | None = None,
) -> Job:
    """A queued job, handed to a worker once this transaction commits.

    The queue is checked first, so a caller hears at once that no worker could get the
    job (QueueUnavailable) and the request saves nothing."""
    queue.check()
    job = Job(
        id=secrets.token_hex(16),
        kind=kind,
        state=JobState.QUEUED,
        user_id=actor.id,
        params=params or {},
    )
    session.add(job)
    if payload is not None:
        session.add(JobPayload(job_id=job.id, data=payload))
    session.flush()
    enqueue_after_commit(session, queue, job.id)
    return job


def _visible(actor: Actor) -> Any:
    """Admins see every job; other staff their own and the system's."""
    if can(actor, Permission.VIEW_AUDIT):
        return True
    return or_(Job.user_id == actor.id, Job.user_id.is_(None))


def get_job(session: Session, actor: Actor, job_id: str, kind: JobKind | None = None) -> Job:
    require(actor, Permission.RECORD_OPINIONS)
    job = session.scalar(
        select(Job).where(Job.id == job_id, _visible(actor)).options(joinedload(Job.user))
    )
    if job is None or (kind is not None and job.kind is not kind):
        raise NotFound("No such job.")
    return job


def recent_jobs(session: Session, actor: Actor, limit: int = RECENT) -> Sequence[Job]:
    """The newest jobs this actor may see, newest first, with who started them."""
    require(actor, Permission.RECORD_OPINIONS)
    return session.scalars(
        select(Job)
        .where(_visible(actor))
        .order_by(Job.created_at.desc(), Job.id)
        .limit(limit)
        .options(joinedload(Job.user))
    ).all()


def has_payload(session: Session, job: Job) -> bool:
    """Whether the job's file is still kept (asked without reading the file itself)."""
    return bool(session.scalar(select(exists().where(JobPayload.job_id == job.id))))


def compare_and_set(
    session: Session, job_id: str, state: JobState, attempts: int, /, **values: Any
) -> bool:
    """Write ``values`` on the job only if it is still in ``state`` at attempt ``attempts``:
    every change of a job's state goes through here, so whoever moved it first wins and a
    stale worker, sweep or retry changes nothing. True if it was written."""
    written = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state == state, Job.attempts == attempts)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(written.rowcount == 1)  # type: ignore[attr-defined]


def retry_safe(session: Session, job: Job) -> bool:
    """A job may run again when it stopped before saving anything (interrupted, or never
    queued) and still has what it needs: an import needs its file."""
    if job.state is not JobState.INTERRUPTED and not (
        job.state is JobState.FAILED and job.result.get("retryable")
    ):
        return False
    return job.kind is not JobKind.IMPORT or has_payload(session, job)


def retry_job(session: Session, actor: Actor, queue: JobQueue, job_id: str) -> Job:
    """Queue a job that stopped without saving anything again, under the same id."""
    job = get_job(session, actor, job_id)  # only the starter, or an admin, sees it
    if not retry_safe(session, job):
        raise Conflict("This job cannot be started again; start a new one.")
    queue.check()
    if not compare_and_set(
        session,
        job.id,
        job.state,
        job.attempts,
        state=JobState.QUEUED,
        message="",
        finished_at=None,
        processed=0,
    ):
        raise Conflict("Someone started this job again already.")
    session.refresh(job)
    record_event(session, actor, "job.retry", "job", None, job=job.id, kind=job.kind.value)
    enqueue_after_commit(session, queue, job.id)
    return job


def mark_unqueued(session: Session, job_id: str, reason: str) -> None:
    """The job's row was committed but the queue refused it: fail it, retryably."""
    session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state == JobState.QUEUED)
        .values(
            state=JobState.FAILED,
            message=NOT_QUEUED,
            result={"retryable": True, "reason": reason},
            finished_at=utcnow(),
        )
    )


@dataclass(frozen=True)
class JobView:
    """A job as a page or the console shows it: the state its lease implies."""

    job: Job
    state: JobState
    message: str

    @property
    def progress(self) -> float:
        """0.0 to 1.0: the row's, or 1.0 for a job that only its lapsed lease ended."""
        return 1.0 if self.state.finished else round(self.job.progress, 4)

    def as_json(self) -> dict[str, Any]:
        """The shape of ``noticeboard jobs --json`` (INTERFACES.md)."""
        return {
            "id": self.job.id,
            "kind": self.job.kind.value,
            "state": self.state.value,
            "progress": self.progress,
            "message": self.message,
        }


def lease_expired(job: Job, queue: JobQueue, lease_seconds: float, now: float) -> bool:
    """A running job whose worker gave no sign of life within the lease."""
    if job.state is not JobState.RUNNING:
        return False
    # Stored times come back in UTC with their zone (models.base.UTCDateTime), so this is
    # right whatever the machine's own zone.
    started = job.started_at.timestamp() if job.started_at else 0.0
    beat = queue.last_beat(job.id) or 0.0
    return now - max(started, beat) > lease_seconds


def view_job(job: Job, queue: JobQueue | None, lease_seconds: float) -> JobView:
    """What to show of a job: a running job whose lease expired shows as interrupted
    even before a worker's sweep writes that down."""
    if queue is not None:
        try:
            if lease_expired(job, queue, lease_seconds, time.time()):
                return JobView(job, JobState.INTERRUPTED, INTERRUPTED)
        except QueueUnavailable:
            pass
    return JobView(job, job.state, job.message)
