"""What makes triage out of date, and the matching job queued for it.

Whatever records opinions (a form, the API, a public submission, an import), adds a
version or replaces its text calls ``note_triage_needed`` or ``version_changed``; when
the session commits, the law's matching job is queued (``services.triage.refresh`` runs
it). Whatever moves opinions between the triage queue's groups or counters (a decision,
a link, a campaign left) calls ``note_queue_changed``: the same job, which ends by
counting the law's queue again (``queue.recount``). A job already waiting for the law
takes the new work too, so a busy office queues one job, not one per opinion. Kept
apart from the job itself so that recording an opinion does not import the matching
engine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import event, exists, select, update
from sqlalchemy.orm import Session, SessionTransaction

from noticeboard.models import DraftVersion, Job, JobKind, JobState, Law, Opinion, OpinionTriage
from noticeboard.services.errors import ServiceError
from noticeboard.services.jobs.queue import JobQueue
from noticeboard.services.jobs.records import create_job
from noticeboard.services.permissions import SYSTEM

log = logging.getLogger(__name__)

_NOTED = "noticeboard.triage_laws"
# The queue, or None where the work should wait; told whether the job is for opinions
# just recorded (the app can turn that off) or for a recount (never off).
QueueProvider = Callable[[bool], JobQueue | None]
_RECORDED, _RECOUNT = True, False
_providers: list[QueueProvider] = []


def unclustered(law_id: int) -> Any:
    """Opinions of the law that no clustering has seen yet (an anti-join on the triage
    row's primary key)."""
    return (Opinion.law_id == law_id) & ~exists().where(OpinionTriage.opinion_id == Opinion.id)


def rematch_versions(session: Session, version_ids: list[int]) -> int:
    """Mark the opinions on these versions for matching again (their next version, or
    its comparison, changed); how many. One UPDATE on the triage rows."""
    if not version_ids:
        return 0
    on_versions = select(Opinion.id).where(Opinion.version_id.in_(version_ids))
    result = session.execute(
        update(OpinionTriage)
        .where(OpinionTriage.opinion_id.in_(on_versions), OpinionTriage.matched_at.is_not(None))
        .values(matched_at=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def previous_version_ids(session: Session, version: DraftVersion) -> list[int]:
    """The version just before ``version`` of its law: its opinions' next version changed."""
    found = session.scalar(
        select(DraftVersion.id)
        .where(DraftVersion.law_id == version.law_id, DraftVersion.sequence < version.sequence)
        .order_by(DraftVersion.sequence.desc())
        .limit(1)
    )
    return [found] if found is not None else []


def version_changed(session: Session, version: DraftVersion) -> None:
    """A version was added or its text replaced: the opinions on it and on the version
    before it face other changes now, so they are matched again once this commits."""
    rematch_versions(session, [*previous_version_ids(session, version), version.id])
    note_triage_needed(session, version.law_id)


def matching_job_for(session: Session, law_id: int, states: tuple[JobState, ...]) -> bool:
    """Whether a matching job for the law is in one of ``states``. The law is a JSON
    parameter, so the (few) matching jobs in those states are read and looked through."""
    jobs = session.scalars(select(Job).where(Job.kind == JobKind.MATCHING, Job.state.in_(states)))
    return any(job.params.get("law_id") == law_id for job in jobs)


def queue_triage(session: Session, queue: JobQueue, law_id: int) -> Job | None:
    """A matching job for the law once this commits, unless one is waiting already
    (it will see this work too); the job, or None when one was waiting.

    The system's job, not the caller's: every staff member sees it, and it runs even if
    the account that caused it is closed."""
    if matching_job_for(session, law_id, (JobState.QUEUED,)):
        return None
    return create_job(session, SYSTEM, queue, JobKind.MATCHING, params={"law_id": law_id})


def set_queue_provider(provider: QueueProvider) -> None:
    """Where ``note_triage_needed`` finds the queue when the session commits (the app's,
    or None where opinions should wait for a backfill or an explicit ``triage``)."""
    _providers[:] = [provider]


def note_triage_needed(session: Session, law_id: int) -> None:
    """New opinions of this law: queue its matching job when the session commits.

    Best effort by design: recording an opinion must not fail because the queue is
    away; a worker starting later finds the opinions (``laws_needing_triage``)."""
    _note(session, _RECORDED, law_id)


def note_queue_changed(session: Session, law_id: int) -> None:
    """Opinions of this law moved between its triage queue's groups or counters: queue
    its matching job, which counts the queue again, once the session commits. Best
    effort too: until then the queue shows the count it has, and when it was made."""
    _note(session, _RECOUNT, law_id)


def _note(session: Session, recorded: bool, law_id: int) -> None:
    if not session.in_transaction():
        session.begin()  # the note belongs to a transaction, so a rollback can drop it
    noted = session.info.get(_NOTED)
    if noted is None:
        noted = session.info[_NOTED] = set()
        event.listen(session, "before_commit", _queue_noted)
        event.listen(session, "after_soft_rollback", _forget_noted)
    noted.add((recorded, law_id))


def _queue_noted(session: Session) -> None:
    noted: set[tuple[bool, int]] = session.info.get(_NOTED) or set()
    if not noted or session.in_nested_transaction():
        return
    session.info[_NOTED] = set()
    queued: set[int] = set()
    for recorded, law_id in sorted(noted, key=lambda n: (n[1], not n[0])):
        queue = _providers[0](recorded) if _providers else None
        if queue is None or law_id in queued:
            continue
        queued.add(law_id)
        try:
            queue_triage(session, queue, law_id)
        except ServiceError:
            log.warning("could not queue matching for law %s: the backfill will", law_id)


def _forget_noted(session: Session, previous: SessionTransaction) -> None:
    if previous.parent is None and session.info.get(_NOTED):
        session.info[_NOTED] = set()


def laws_needing_triage(session: Session) -> list[int]:
    """Laws with opinions never clustered or never matched: after an upgrade, the
    backfill. Per law, the first such opinion ends the search."""
    laws = session.scalars(select(Law.id).order_by(Law.id)).all()
    return [
        law_id
        for law_id in laws
        if session.scalar(select(exists().where(unclustered(law_id))))
        or session.scalar(
            select(
                exists().where(OpinionTriage.law_id == law_id, OpinionTriage.matched_at.is_(None))
            )
        )
    ]
