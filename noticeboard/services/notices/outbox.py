"""Writing the outbox: one notice per final decision on an opinion whose contributor
asked to be told, in the decision's own transaction, and the notices job queued when it
commits.

A decision that replaces one whose notice has not gone yet cancels that notice: the
contributor is told the outcome that stands, once. Undoing a bulk decision cancels the
notices it wrote that have not gone.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, exists, insert, select, update
from sqlalchemy.orm import Session

from noticeboard.models import (
    Decision,
    Job,
    JobKind,
    JobState,
    Notice,
    NoticeState,
    Opinion,
    utcnow,
)
from noticeboard.services.errors import ServiceError
from noticeboard.services.jobs.queue import app_queue
from noticeboard.services.jobs.records import create_job
from noticeboard.services.notices.contacts import notice_channel
from noticeboard.services.permissions import SYSTEM

log = logging.getLogger(__name__)
NOTICE = cast(Table, Notice.__table__)
OPEN_STATES = [s for s in NoticeState if s.open]
CHUNK = 1000


def write_notices(session: Session, decision_ids: Sequence[int]) -> int:
    """A notice for each of these decisions whose opinion asked for one and still has a
    contact; returns how many. The opinions' earlier notices not yet sent are cancelled."""
    written = 0
    for start in range(0, len(decision_ids), CHUNK):
        chunk = list(decision_ids[start : start + CHUNK])
        rows = session.execute(
            select(Decision.id, Decision.opinion_id, Opinion.contact, Opinion.language)
            .join(Opinion, Opinion.id == Decision.opinion_id)
            .where(Decision.id.in_(chunk), Opinion.notify.is_(True), Opinion.contact != "")
        ).all()
        if not rows:
            continue
        cancel_open(session, [r.opinion_id for r in rows], "superseded by a later decision")
        moment = utcnow()
        values = []
        for row in rows:
            channel = notice_channel(row.contact)
            if channel is None:  # stored before contacts were checked: nothing can reach it
                continue
            values.append(
                {
                    "opinion_id": row.opinion_id,
                    "decision_id": row.id,
                    "channel": channel,
                    "language": row.language,
                    "state": NoticeState.PENDING,
                    "message_token": secrets.token_hex(16),
                    "unsubscribe_token": secrets.token_urlsafe(32),
                    "attempts": 0,
                    "next_attempt_at": moment,
                    "last_error": "",
                    "created_at": moment,
                }
            )
        if values:
            session.execute(insert(NOTICE), values)
            written += len(values)
    if written:
        note_notices_written(session)
    return written


def cancel_open(session: Session, opinion_ids: Sequence[int], why: str) -> None:
    """Cancel the notices of these opinions that are waiting to be sent. One a worker is
    handing over right now (claimed, sending) goes ahead: it cannot be called back."""
    _cancel_pending(session, Notice.opinion_id, opinion_ids, why)


def cancel_for_decisions(session: Session, decision_ids: Sequence[int], why: str) -> None:
    """Cancel the waiting notices these decisions wrote (the decisions were undone)."""
    _cancel_pending(session, Notice.decision_id, decision_ids, why)


def _cancel_pending(session: Session, column: Any, ids: Sequence[int], why: str) -> None:
    for start in range(0, len(ids), CHUNK):
        session.execute(
            update(Notice)
            .where(
                column.in_(list(ids[start : start + CHUNK])),
                Notice.state == NoticeState.PENDING,
            )
            .values(state=NoticeState.CANCELLED, last_error=why, closed_at=utcnow())
            .execution_options(synchronize_session=False)
        )


def note_notices_written(session: Session) -> None:
    """Queue the notices job with this transaction (unless one is waiting: it will find
    these too). Best effort: with the queue away the decision still stands, and a
    worker's sweep queues the job later (``due_notices_waiting``)."""
    try:
        queue_notices_job(session)
    except ServiceError as exc:
        log.warning("notices job not queued (a worker's sweep will): %s", exc)


def queue_notices_job(session: Session) -> Job | None:
    """A notices job once this commits, unless one is waiting already."""
    queue = app_queue()
    if queue is None:
        return None
    waiting = session.scalar(
        select(exists().where(Job.kind == JobKind.NOTICES, Job.state == JobState.QUEUED))
    )
    if waiting:
        return None
    return create_job(session, SYSTEM, queue, JobKind.NOTICES)


def due_notices_waiting(session: Session) -> bool:
    """Notices due now with no notices job queued or running to send them: after a retry's
    wait, or when the queue was away as they were written."""
    due = exists().where(Notice.state == NoticeState.PENDING, Notice.next_attempt_at <= utcnow())
    busy = exists().where(
        Job.kind == JobKind.NOTICES, Job.state.in_([JobState.QUEUED, JobState.RUNNING])
    )
    return bool(session.scalar(select(due & ~busy)))
