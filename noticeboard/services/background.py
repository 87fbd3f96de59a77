"""Work that must not run inside a request, handed to a runner once the request commits.

A service never starts background work itself: it names the work and calls
``run_after_commit``, so the work starts only if the transaction that created its job row
commits, and never for a request that rolled back. Which runner does the work is the
caller's choice (``BackgroundRunner``); today ``ThreadRunner`` runs it in a thread of
this process. A real job queue that survives restarts replaces it in the next step.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Protocol

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

log = logging.getLogger(__name__)

Work = Callable[[], None]


class BackgroundRunner(Protocol):
    """Runs a piece of work off the request, later, somewhere."""

    def __call__(self, work: Work, *, name: str) -> None: ...


class ThreadRunner:
    """A daemon thread per piece of work, in this process."""

    def __init__(self) -> None:
        self.started: list[threading.Thread] = []

    def __call__(self, work: Work, *, name: str) -> None:
        thread = threading.Thread(target=work, name=name, daemon=True)
        thread.start()
        self.started.append(thread)


_QUEUE = "noticeboard.after_commit"


def run_after_commit(session: Session, runner: BackgroundRunner, work: Work, *, name: str) -> None:
    """Hand ``work`` to ``runner`` when ``session``'s transaction commits; drop it on rollback."""
    if not session.in_transaction():
        session.begin()  # the work belongs to a transaction, so a rollback can drop it
    queue = session.info.get(_QUEUE)
    if queue is None:
        queue = session.info[_QUEUE] = []
        event.listen(session, "after_commit", _run_queued)
        event.listen(session, "after_soft_rollback", _drop_queued)
    queue.append((runner, work, name))


def _run_queued(session: Session) -> None:
    queued, session.info[_QUEUE] = session.info[_QUEUE], []
    for runner, work, name in queued:
        runner(work, name=name)


def _drop_queued(session: Session, previous: SessionTransaction) -> None:
    if previous.parent is None and session.info[_QUEUE]:
        names = [name for _, _, name in session.info[_QUEUE]]
        log.info("background work %s dropped: its transaction rolled back", names)
        session.info[_QUEUE] = []
