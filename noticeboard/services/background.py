"""Work that must wait for a transaction to commit: queuing a job, handing a code over.

A job's row must be visible before a worker looks for it, and nothing may be queued for
a request that rolled back. ``call_after_commit`` keeps the callbacks on the session and
runs them when its outermost transaction commits; a rollback drops them. The web layer's
one-commit-per-request uses the same mechanism, so there is one rule for both.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

log = logging.getLogger(__name__)

Callback = Callable[[], None]
_PENDING = "noticeboard.after_commit"


def call_after_commit(session: Session, callback: Callback, *, name: str) -> None:
    """Run ``callback`` once ``session``'s transaction commits; drop it on rollback.

    A callback that raises is logged and the others still run: what was committed stays
    committed, and whoever queued the callback records its own failure."""
    if not session.in_transaction():
        session.begin()  # the callback belongs to a transaction, so a rollback can drop it
    pending = session.info.get(_PENDING)
    if pending is None:
        pending = session.info[_PENDING] = []
        event.listen(session, "after_commit", _run_pending)
        event.listen(session, "after_soft_rollback", _drop_pending)
    pending.append((callback, name))


def pending_callbacks(session: Session) -> list[str]:
    """The names of the callbacks waiting for this session's commit."""
    return [name for _, name in session.info.get(_PENDING, [])]


def _run_pending(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released (SQLAlchemy signals it as a commit): not yet
    pending, session.info[_PENDING] = session.info[_PENDING], []
    for callback, name in pending:
        try:
            callback()
        except Exception:
            log.exception("after-commit work %s failed", name)


def _drop_pending(session: Session, previous: SessionTransaction) -> None:
    if previous.parent is None and session.info[_PENDING]:
        names = [name for _, name in session.info[_PENDING]]
        log.info("after-commit work %s dropped: its transaction rolled back", names)
        session.info[_PENDING] = []
