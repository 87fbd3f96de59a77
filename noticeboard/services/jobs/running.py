"""Running one job in a worker: claim it, keep its lease, do its work, record the end.

The work and the row that says it is done are committed in one transaction, so a job is
done exactly when its work is saved. Every change of state is a compare-and-set on the
row's state and attempt number:

- a claim succeeds only for a queued job, so two workers given the same id (a message
  delivered twice, a retry pressed twice) never both run it;
- a worker whose lease expired while it worked (it was paused, or its machine lost the
  network) finds the job interrupted or claimed again, and rolls its work back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from noticeboard.models import Job, JobKind, JobPayload, JobState, User, utcnow
from noticeboard.services.errors import ServiceError
from noticeboard.services.jobs.messages import ACCOUNT_GONE, CRASHED, DONE, SUPERSEDED
from noticeboard.services.jobs.queue import JobQueue
from noticeboard.services.jobs.records import compare_and_set
from noticeboard.services.permissions import SYSTEM, Actor

log = logging.getLogger(__name__)
PROGRESS_INTERVAL = 0.25  # seconds between progress commits
MAX_STORED_ERRORS = 300  # the page lists these; error_count says how many in all


class JobFailed(Exception):
    """The work found a problem it reports (bad rows, a missing law); nothing is saved."""

    def __init__(
        self,
        message: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        error_count: int | None = None,
        result: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []
        self.error_count = len(self.errors) if error_count is None else error_count
        self.result = result or {}


def error_entry(row: int | None, column: str, error: ServiceError) -> dict[str, Any]:
    """A stored problem: the English template and its values, translated when shown."""
    return {"row": row, "column": column, "template": error.template, "params": error.params}


class JobTakenAway(Exception):
    """The job is no longer this worker's: its lease lapsed and it was interrupted or
    claimed again. The work stops and is rolled back."""


@dataclass
class JobContext:
    """What a handler gets: the job's parameters, the acting account, a session for its
    work (the runner commits it, with the job marked done) and a way to report progress."""

    job_id: str
    attempt: int
    kind: JobKind
    params: dict[str, Any]
    actor: Actor
    work: Session
    _tracker: Session
    _message: str = ""
    _last: float = 0.0

    def payload(self) -> bytes:
        found = self.work.get(JobPayload, self.job_id)
        if found is None:
            raise JobFailed(CRASHED)
        return found.data

    def progress(
        self, processed: int, total: int | None = None, message: str | None = None
    ) -> None:
        """Record progress, committed at most every quarter second (a new message at
        once). Not while the work writes on SQLite: the work holds its only write lock."""
        now = time.monotonic()
        changed = message is not None and message != self._message
        if not changed and now - self._last < PROGRESS_INTERVAL:
            return
        values: dict[str, Any] = {"processed": processed}
        if total is not None:
            values["total"] = total
        if message is not None:
            values["message"] = self._message = message
        moved = _set_if_mine(self._tracker, self.job_id, self.attempt, **values)
        self._tracker.commit()
        self._last = now
        if not moved:
            raise JobTakenAway(self.job_id)


@dataclass(frozen=True)
class JobResult:
    result: dict[str, Any] = field(default_factory=dict)
    message: str = DONE
    processed: int | None = None


Handler = Callable[[JobContext], JobResult]


class Heartbeat:
    """Renews the job's lease from a thread of its own while the work runs."""

    def __init__(self, queue: JobQueue, job_id: str, every: float) -> None:
        self._queue, self._job_id, self._every = queue, job_id, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lease-{job_id[:8]}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._queue.beat(self._job_id)
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        try:
            self._queue.forget(self._job_id)
        except ServiceError:
            log.warning("could not drop the lease of job %s", self._job_id)

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            try:
                self._queue.beat(self._job_id)
            except ServiceError:  # the queue is away: the lease may lapse, and the job with it
                log.warning("could not renew the lease of job %s", self._job_id)


def claim(session: Session, job_id: str, worker: str) -> int | None:
    """Take a queued job for this worker; its attempt number, or None if it is not queued
    (already taken, finished, or unknown). Committed at once, so others see the claim."""
    job = session.get(Job, job_id)
    if job is None or job.state is not JobState.QUEUED:
        return None
    attempt = job.attempts + 1
    taken = compare_and_set(
        session,
        job_id,
        JobState.QUEUED,
        job.attempts,
        state=JobState.RUNNING,
        attempts=attempt,
        worker=worker[:100],
        started_at=utcnow(),
        finished_at=None,
        message="",
        errors=[],
        error_count=0,
    )
    session.commit()
    return attempt if taken else None


def drop_payload(session: Session, job_id: str) -> None:
    """An uploaded file holds names and contacts: kept only while the job may still run."""
    session.execute(delete(JobPayload).where(JobPayload.job_id == job_id))


def _set_if_mine(session: Session, job_id: str, attempt: int, **values: Any) -> bool:
    """Write on the job only while this worker's run of it still holds it."""
    return compare_and_set(session, job_id, JobState.RUNNING, attempt, **values)


def run_job(
    engine: Engine,
    queue: JobQueue,
    job_id: str,
    handlers: dict[JobKind, Handler],
    *,
    worker: str,
    lease_seconds: float,
) -> JobState | None:
    """Run ``job_id`` if it is queued; the state it ended in (None: not ours to run)."""
    with Session(engine, expire_on_commit=False) as tracker:
        attempt = claim(tracker, job_id, worker)
        if attempt is None:
            log.info("job %s is not queued; skipped", job_id)
            return None
        with Heartbeat(queue, job_id, every=max(lease_seconds / 6, 0.2)):
            return _run_claimed(engine, tracker, job_id, attempt, handlers)


def _run_claimed(
    engine: Engine,
    tracker: Session,
    job_id: str,
    attempt: int,
    handlers: dict[JobKind, Handler],
) -> JobState:
    job = tracker.get(Job, job_id, populate_existing=True)
    assert job is not None
    with Session(engine, expire_on_commit=False) as work:
        actor: Actor | None = SYSTEM
        if job.user_id is not None:
            user = work.get(User, job.user_id)
            actor = user if user is not None and user.is_active else None
        try:
            if actor is None:
                raise JobFailed(ACCOUNT_GONE)
            context = JobContext(job_id, attempt, job.kind, dict(job.params), actor, work, tracker)
            outcome = handlers[job.kind](context)
        except JobTakenAway:
            work.rollback()
            tracker.rollback()
            log.warning("job %s: %s", job_id, SUPERSEDED)
            return JobState.INTERRUPTED
        except JobFailed as failed:
            work.rollback()
            tracker.rollback()
            return _finish(tracker, job_id, attempt, JobState.FAILED, failed.message, failed)
        except Exception:
            log.exception("job %s (%s) failed", job_id, job.kind.value)
            work.rollback()
            tracker.rollback()
            return _finish(tracker, job_id, attempt, JobState.FAILED, CRASHED, None)
        # Done in the same transaction as the work: both are saved, or neither.
        values: dict[str, Any] = {
            "state": JobState.DONE,
            "message": outcome.message,
            "result": outcome.result,
            "finished_at": utcnow(),
        }
        if outcome.processed is not None:
            values.update(processed=outcome.processed, total=outcome.processed)
        if not _set_if_mine(work, job_id, attempt, **values):
            work.rollback()
            log.warning("job %s was taken from this worker; its work is rolled back", job_id)
            return JobState.INTERRUPTED
        drop_payload(work, job_id)
        work.commit()
    tracker.expire_all()
    return JobState.DONE


def _finish(
    tracker: Session,
    job_id: str,
    attempt: int,
    state: JobState,
    message: str,
    failed: JobFailed | None,
) -> JobState:
    values: dict[str, Any] = {"state": state, "message": message, "finished_at": utcnow()}
    if failed is not None:
        values.update(
            errors=failed.errors[:MAX_STORED_ERRORS],
            error_count=failed.error_count,
            result=failed.result,
        )
    ended = _set_if_mine(tracker, job_id, attempt, **values)
    if ended:
        drop_payload(tracker, job_id)  # a failed job is started anew with a corrected file
    tracker.commit()
    if not ended:
        log.warning("job %s: %s", job_id, SUPERSEDED)
        return JobState.INTERRUPTED
    return state
