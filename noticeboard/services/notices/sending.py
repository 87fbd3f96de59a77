"""The notices job: send every notice that is due, at the configured rate, one commit per
notice, so a run killed at any point loses nothing and repeats nothing
(``states`` and ``transport`` say how).

Several runs may overlap (two workers, a run queued while one ends): each takes its own
notices with a compare-and-set, so none is sent twice. Notices that must wait for a retry
are sent by a later run, which a worker's sweep queues once they are due.
"""

from __future__ import annotations

import logging
import time
from contextlib import ExitStack
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from noticeboard.models import Notice, NoticeChannel, NoticeState, utcnow
from noticeboard.services.jobs.messages import job_message
from noticeboard.services.jobs.running import JobContext, JobFailed, JobResult
from noticeboard.services.notices import states
from noticeboard.services.notices.compose import compose_email, compose_sms, message_id
from noticeboard.services.notices.content import NoticeContent, load_contents
from noticeboard.services.notices.settings import NoticeSettings, notice_settings
from noticeboard.services.notices.transport import (
    ClaimLost,
    DeliveryError,
    MailConnection,
    ServerUnreachable,
)

log = logging.getLogger(__name__)
BATCH = 200  # notices claimed, read and sent on one connection at a time
SENDING = job_message("sending outcome notices")
SENT = job_message("outcome notices sent")
SERVER_DOWN = job_message("the mail server cannot be reached: the notices wait for a retry")
BROKE = job_message("stopped on an error: the notices sent stay sent, the others wait")
NO_CONTACT = "the contact was erased before the notice could be sent"


@dataclass
class Tally:
    sent: int = 0
    failed: int = 0
    retry: int = 0
    total: int = 0
    unreachable: str = ""
    counts: dict[str, int] = field(default_factory=dict)

    def as_result(self) -> dict[str, int]:
        return {"sent": self.sent, "failed": self.failed, "retry": self.retry}


class Pacer:
    """At most ``rate`` notices a second, spread evenly (0: no limit)."""

    def __init__(self, rate: float) -> None:
        self._gap = 1.0 / rate if rate > 0 else 0.0
        self._next = time.monotonic()

    def wait(self) -> None:
        if not self._gap:
            return
        now = time.monotonic()
        if self._next > now:
            time.sleep(self._next - now)
        self._next = max(self._next, now) + self._gap


def run_notices(context: JobContext) -> JobResult:
    settings = notice_settings()
    run = (context.job_id, context.attempt)
    with Session(context.work.get_bind(), expire_on_commit=False) as session:
        states.recover_abandoned(session)
        states.expire_kept_contacts(session, settings.retention_days)
        session.commit()
        tally = Tally(total=_due_count(session))
        context.progress(0, tally.total, SENDING)
        pacer = Pacer(settings.rate)
        while not tally.unreachable:
            batch = states.claim_due(session, run, BATCH)
            if not batch:
                break
            try:
                _send_batch(session, settings, run, batch, pacer, tally)
            except Exception as exc:
                log.exception("the notices job stopped")
                session.rollback()
                states.release(session, [n.id for n in batch])
                session.commit()
                raise JobFailed(BROKE, result=tally.as_result()) from exc
            done = tally.sent + tally.failed + tally.retry
            context.progress(done, max(tally.total, done), SENDING)
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


def _send_batch(
    session: Session,
    settings: NoticeSettings,
    run: tuple[str, int],
    batch: list[Notice],
    pacer: Pacer,
    tally: Tally,
) -> None:
    contents = load_contents(session, batch)
    left = {n.id for n in batch}
    with ExitStack() as stack:
        mail: MailConnection | None = None
        for notice in batch:
            content = contents.get(notice.id)
            if content is None or not content.contact:
                states.mark_failed(session, [notice.id], NO_CONTACT)
                session.commit()
                tally.failed += 1
                left.discard(notice.id)
                continue
            pacer.wait()
            try:
                if notice.channel is NoticeChannel.EMAIL and mail is None:
                    mail = stack.enter_context(settings.mail.connect())
                _send_one(session, settings, run, notice, content, mail)
            except ClaimLost:
                left.discard(notice.id)
                continue
            except ServerUnreachable as exc:
                # Nothing more can go now: this notice and every other one due waits.
                tally.unreachable = exc.message
                tally.retry += states.server_down(
                    session,
                    sorted(left),
                    exc.message,
                    channel=notice.channel,
                    attempts=notice.attempts + 1,
                    retry_seconds=settings.retry_seconds,
                    max_attempts=settings.max_attempts,
                )
                session.commit()
                return
            except DeliveryError as exc:
                if exc.permanent:
                    states.mark_failed(session, [notice.id], exc.message)
                    tally.failed += 1
                else:
                    failed = _retry(session, settings, [notice.id], notice, exc)
                    tally.failed += len(failed)
                    tally.retry += 1 - len(failed)
                session.commit()
                left.discard(notice.id)
                continue
            states.mark_sent(session, notice)
            session.commit()
            tally.sent += 1
            left.discard(notice.id)


def _send_one(
    session: Session,
    settings: NoticeSettings,
    run: tuple[str, int],
    notice: Notice,
    content: NoticeContent,
    mail: MailConnection | None,
) -> None:
    if notice.channel is NoticeChannel.SMS:
        text = compose_sms(settings, content)
        key = message_id(settings, content).strip("<>")
        settings.sms.send(
            content.contact, text, key, lambda: states.mark_sending(session, notice, run, key)
        )
        return
    assert mail is not None
    message = compose_email(settings, content, notice.message_id)
    sent_id = str(message["Message-ID"])
    mail.send(message, content.contact, lambda: states.mark_sending(session, notice, run, sent_id))


def _retry(
    session: Session,
    settings: NoticeSettings,
    ids: list[int],
    tried: Notice,
    error: DeliveryError,
) -> list[int]:
    return states.retry_later(
        session,
        ids,
        error.message,
        attempts=tried.attempts + 1,
        retry_seconds=settings.retry_seconds,
        max_attempts=settings.max_attempts,
    )
