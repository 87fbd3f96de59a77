"""One batch of notices, sent on one connection in a thread of its own, its state saved
notice by notice (``states``) in a session of its own."""

from __future__ import annotations

from contextlib import ExitStack

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from noticeboard.models import Notice, NoticeChannel
from noticeboard.services.notices import states
from noticeboard.services.notices.compose import compose_email, compose_sms, message_id
from noticeboard.services.notices.content import NoticeContent, load_contents
from noticeboard.services.notices.pace import Pacer, Tally
from noticeboard.services.notices.settings import NoticeSettings
from noticeboard.services.notices.transport import (
    ClaimLost,
    DeliveryError,
    MailConnection,
    ServerUnreachable,
)

RECORD_EVERY = 50  # delivered notices recorded as sent (and their contacts erased) at once
NO_CONTACT = "the contact was erased before the notice could be sent"


def send_claimed(
    engine: Engine,
    settings: NoticeSettings,
    run: tuple[str, int],
    notice_ids: list[int],
    pacer: Pacer,
    tally: Tally,
) -> None:
    """Send these notices, claimed by ``run``; on an error, those not tried go back."""
    with Session(engine, expire_on_commit=False) as session:
        batch = list(
            session.scalars(select(Notice).where(Notice.id.in_(notice_ids)).order_by(Notice.id))
        )
        try:
            _send_batch(session, settings, run, batch, pacer, tally)
        except Exception:
            session.rollback()
            states.release(session, notice_ids)
            session.commit()
            raise


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
    delivered: list[int] = []
    with ExitStack() as stack:
        mail: MailConnection | None = None
        for notice in batch:
            if tally.unreachable:  # another connection found the server gone
                break
            content = contents.get(notice.id)
            if content is None or not content.contact:
                states.mark_failed(session, [notice.id], NO_CONTACT)
                session.commit()
                tally.add(failed=1)
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
                _record_delivered(session, delivered, tally)
                tally.unreachable = exc.message
                waiting = states.server_down(
                    session,
                    sorted(left),
                    exc.message,
                    channel=notice.channel,
                    attempts=notice.attempts + 1,
                    retry_seconds=settings.retry_seconds,
                    max_attempts=settings.max_attempts,
                )
                session.commit()
                tally.add(retry=waiting)
                return
            except DeliveryError as exc:
                if exc.permanent:
                    states.mark_failed(session, [notice.id], exc.message)
                    tally.add(failed=1)
                else:
                    failed = _retry(session, settings, [notice.id], notice, exc)
                    tally.add(failed=len(failed), retry=1 - len(failed))
                session.commit()
                left.discard(notice.id)
                continue
            delivered.append(notice.id)
            left.discard(notice.id)
            if len(delivered) >= RECORD_EVERY:
                _record_delivered(session, delivered, tally)
        _record_delivered(session, delivered, tally)
    states.release(session, sorted(left))  # left when the server went away meanwhile
    session.commit()


def _record_delivered(session: Session, delivered: list[int], tally: Tally) -> None:
    if delivered:
        states.mark_sent(session, delivered)
        session.commit()
        tally.add(sent=len(delivered))
        delivered.clear()


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
