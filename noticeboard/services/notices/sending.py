"""The notices job: send every notice that is due, at the configured rate, over a few
connections at once, one commit per notice, so a run killed at any point loses nothing
and repeats nothing (``states`` and ``transport`` say how).

Several runs may overlap (two workers, a run queued while one ends): each takes its own
notices with a compare-and-set, so none is sent twice. Notices that must wait for a retry
are sent by a later run, which a worker's sweep queues once they are due.
"""

from __future__ import annotations

import logging
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from noticeboard.models import Notice, NoticeState, utcnow
from noticeboard.services.jobs.messages import job_message
from noticeboard.services.jobs.running import JobContext, JobFailed, JobResult
from noticeboard.services.notices import states
from noticeboard.services.notices.batch import send_claimed
from noticeboard.services.notices.pace import Pacer, Tally
from noticeboard.services.notices.settings import notice_settings

log = logging.getLogger(__name__)
BATCH = 100  # notices claimed, read and sent on one connection at a time
SENDING = job_message("sending outcome notices")
SENT = job_message("outcome notices sent")
SERVER_DOWN = job_message("the mail server cannot be reached: the notices wait for a retry")
BROKE = job_message("stopped on an error: the notices sent stay sent, the others wait")


def run_notices(context: JobContext) -> JobResult:
    settings = notice_settings()
    run = (context.job_id, context.attempt)
    engine = context.work.get_bind()
    assert isinstance(engine, Engine), "a job's session is bound to the app's engine"
    # SQLite has one writer at a time: more connections would only queue for it.
    connections = 1 if engine.dialect.name == "sqlite" else max(1, settings.connections)
    with Session(engine, expire_on_commit=False) as session:
        states.recover_abandoned(session)
        states.expire_kept_contacts(session, settings.retention_days)
        session.commit()
        tally = Tally(total=_due_count(session))
        context.progress(0, tally.total, SENDING)
        pacer = Pacer(settings.rate)
        with ThreadPoolExecutor(connections, thread_name_prefix="notices") as pool:
            running: set[Future[None]] = set()
            while True:
                while len(running) < connections and not tally.unreachable:
                    batch = [n.id for n in states.claim_due(session, run, BATCH)]
                    if not batch:
                        break
                    running.add(
                        pool.submit(send_claimed, engine, settings, run, batch, pacer, tally)
                    )
                if not running:
                    break
                finished, running = wait(running, timeout=0.25, return_when=FIRST_COMPLETED)
                for future in finished:
                    if future.exception() is not None:
                        tally.unreachable = tally.unreachable or "stopped"
                        wait(running)
                        log.error("the notices job stopped", exc_info=future.exception())
                        raise JobFailed(BROKE, result=tally.as_result())
                context.progress(tally.done, max(tally.total, tally.done), SENDING)
    message = SERVER_DOWN if tally.unreachable else SENT
    return JobResult(result=tally.as_result(), message=message, processed=tally.sent)


def _due_count(session: Session) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Notice)
            .where(Notice.state == NoticeState.PENDING, Notice.next_attempt_at <= utcnow())
        )
        or 0
    )
