"""Job queues for tests: the app's real queue (Huey in immediate mode), held back so a
test decides when a worker runs a job, or refusing jobs as an unreachable queue does.

Both keep the real queue's leases, so a sweep or a page reads the beats a worker gave.
"""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from noticeboard.models import Job, utcnow
from noticeboard.services.errors import QueueUnavailable
from noticeboard.services.jobs.queue import JobQueue
from noticeboard.services.jobs.running import claim

LEASE = 60.0


class HeldQueue:
    """A queue whose jobs wait here (``held``) instead of running as they commit."""

    def __init__(self, real: JobQueue) -> None:
        self.real = real
        self.held: list[str] = []

    def check(self) -> None:
        self.real.check()

    def enqueue(self, job_id: str) -> None:
        self.held.append(job_id)

    def beat(self, job_id: str) -> None:
        self.real.beat(job_id)

    def last_beat(self, job_id: str) -> float | None:
        return self.real.last_beat(job_id)

    def forget(self, job_id: str) -> None:
        self.real.forget(job_id)


class NoWorkerQueue:
    """A queue no worker reads: its jobs stay queued, as on a site whose workers are all
    busy. For worlds built from a session alone, with no app at hand."""

    def __init__(self) -> None:
        self.held: list[str] = []
        self._beats: dict[str, float] = {}

    def check(self) -> None:
        pass

    def enqueue(self, job_id: str) -> None:
        self.held.append(job_id)

    def beat(self, job_id: str) -> None:
        self._beats[job_id] = time.time()

    def last_beat(self, job_id: str) -> float | None:
        return self._beats.get(job_id)

    def forget(self, job_id: str) -> None:
        self._beats.pop(job_id, None)


class LostQueue(HeldQueue):
    """A queue that answers the check, then is gone by the time the job is handed over."""

    def enqueue(self, job_id: str) -> None:
        raise QueueUnavailable("The job queue is unavailable (%(reason)s).", reason="gone")


def start_running(session: Session, job_id: str, *, worker: str = "gone:1", ago: float) -> int:
    """Claim a queued job for a worker that then stopped: it started ``ago`` seconds ago
    and never renewed its lease. The attempt number."""
    attempt = claim(session, job_id, worker)
    assert attempt is not None
    session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(started_at=utcnow() - timedelta(seconds=ago))
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return attempt


def interrupt(session: Session, queue: JobQueue, job_id: str) -> None:
    """A queued import as a dead worker leaves it once a sweep has found it: interrupted."""
    from noticeboard.services.jobs.reaping import sweep_stale_jobs

    start_running(session, job_id, ago=10 * LEASE)
    swept = sweep_stale_jobs(session, queue, lease_seconds=LEASE)
    session.commit()
    assert job_id in swept.interrupted, swept
