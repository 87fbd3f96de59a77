"""What services need of the job queue, whatever carries the jobs (Huey on SQLite or
Redis in production, Huey's immediate mode in tests): put a job id on it, and keep a
lease per running job that any machine can read.

Leases live with the queue, not in the database, on purpose: on SQLite a long save holds
the database's only write lock, so a heartbeat written there would wait for the very
work it vouches for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from sqlalchemy.orm import Session

from noticeboard.services.background import call_after_commit
from noticeboard.services.errors import QueueUnavailable

# Where the app keeps its queue: ``app.extensions[QUEUE_EXTENSION]``.
QUEUE_EXTENSION = "noticeboard.queue"


class JobQueue(Protocol):
    def check(self) -> None:
        """Raise QueueUnavailable unless a job queued now would reach a worker."""

    def enqueue(self, job_id: str) -> None:
        """Hand the job to a worker (raises QueueUnavailable)."""

    def beat(self, job_id: str) -> None:
        """Renew the running job's lease: its worker is alive."""

    def last_beat(self, job_id: str) -> float | None:
        """When the job's lease was last renewed (seconds since the epoch), if ever."""

    def forget(self, job_id: str) -> None:
        """Drop the job's lease: it has finished."""


# The app's queue, for services that queue work as a side effect of a write (notices after
# a decision); None where such work should wait (no app, or a console without a queue).
_app_queue: list[Callable[[], JobQueue | None]] = []


def set_app_queue(provider: Callable[[], JobQueue | None]) -> None:
    _app_queue[:] = [provider]


def app_queue() -> JobQueue | None:
    return _app_queue[0]() if _app_queue else None


def enqueue_after_commit(session: Session, queue: JobQueue, job_id: str) -> None:
    """Queue ``job_id`` once the transaction that wrote its row commits, so the worker
    finds the row; a rollback queues nothing."""
    call_after_commit(session, lambda: _enqueue(session, queue, job_id), name=f"job {job_id[:8]}")


def _enqueue(session: Session, queue: JobQueue, job_id: str) -> None:
    from noticeboard.services.jobs.records import mark_unqueued

    try:
        queue.enqueue(job_id)
    except QueueUnavailable as exc:
        # The row is committed but no worker will hear of it: say so on the row, in a
        # transaction of its own, so the page shows it and the retry button queues it.
        with Session(session.get_bind()) as own:
            mark_unqueued(own, job_id, exc.message)
            own.commit()
