"""Moving notices between states, each move a compare-and-set. Claiming and the move to
``sending`` commit themselves (others must see them at once); the sender commits each of
the other moves as it makes it, so what a run has done is saved as it goes.

When a notice is delivered, or fails for good, the opinion's contact has served its
purpose and is erased in the same commit (the contact rule, ``services.opinions
.contributors``), unless another notice of the opinion still needs it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.orm import Session, aliased

from noticeboard.models import Job, JobState, Notice, NoticeChannel, NoticeState, Opinion, utcnow
from noticeboard.services.notices.outbox import OPEN_STATES

COUNTED_AS_SENT = "its worker stopped after handing it over: counted as sent"
KEPT_NO_LONGER = "the contact was kept no longer than %(days)d days after the decision"


def _claimed_by(run: tuple[str, int]) -> Any:
    return and_(Notice.claimed_by == run[0], Notice.claim_attempt == run[1])


def claim_due(session: Session, run: tuple[str, int], size: int) -> list[Notice]:
    """Up to ``size`` due notices, oldest first, taken for this run (job id, attempt)."""
    now = utcnow()
    ids = session.scalars(
        select(Notice.id)
        .where(Notice.state == NoticeState.PENDING, Notice.next_attempt_at <= now)
        .order_by(Notice.next_attempt_at, Notice.id)
        .limit(size)
    ).all()
    if not ids:
        return []
    session.execute(
        update(Notice)
        .where(Notice.id.in_(ids), Notice.state == NoticeState.PENDING)
        .values(state=NoticeState.CLAIMED, claimed_by=run[0], claim_attempt=run[1])
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return list(
        session.scalars(
            select(Notice)
            .where(Notice.id.in_(ids), Notice.state == NoticeState.CLAIMED, _claimed_by(run))
            .order_by(Notice.next_attempt_at, Notice.id)
        )
    )


def mark_sending(session: Session, notice: Notice, run: tuple[str, int], message_id: str) -> bool:
    """Committed just before the message becomes final; False if it is no longer ours."""
    moved = session.execute(
        update(Notice)
        .where(Notice.id == notice.id, Notice.state == NoticeState.CLAIMED, _claimed_by(run))
        .values(state=NoticeState.SENDING, message_id=message_id)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return bool(moved.rowcount)  # type: ignore[attr-defined]


def mark_sent(session: Session, notice_ids: list[int], note: str = "") -> None:
    """Delivered. Several at once: each is ``sending`` until then, which already counts
    as delivered should this run die, so the sender records them a batch at a time."""
    _close(session, notice_ids, NoticeState.SENT, note, sent=True)


def mark_failed(session: Session, notice_ids: list[int], error: str) -> None:
    _close(session, notice_ids, NoticeState.FAILED, error, sent=False)


def _close(session: Session, ids: list[int], state: NoticeState, note: str, *, sent: bool) -> None:
    now = utcnow()
    values: dict[str, Any] = {"state": state, "last_error": note[:500], "claimed_by": None}
    values.update({"sent_at": now} if sent else {"closed_at": now})
    session.execute(
        update(Notice)
        .where(Notice.id.in_(ids))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    erase_served_contacts(session, ids)


def erase_served_contacts(session: Session, notice_ids: list[int]) -> None:
    """Erase the contact of these notices' opinions, unless another open notice needs it."""
    other = aliased(Notice)
    session.execute(
        update(Opinion)
        .where(
            Opinion.id.in_(select(Notice.opinion_id).where(Notice.id.in_(notice_ids))),
            Opinion.contact != "",
            ~exists().where(other.opinion_id == Opinion.id, other.state.in_(OPEN_STATES)),
        )
        .values(contact="", contact_erased_at=utcnow(), lock_version=Opinion.lock_version + 1)
        .execution_options(synchronize_session=False)
    )


def retry_due(now: datetime, retry_seconds: float, attempts: int) -> datetime:
    """When a notice tried ``attempts`` times goes again: the first wait, doubled each time."""
    return now + timedelta(seconds=retry_seconds * 2 ** (attempts - 1))


def retry_later(
    session: Session,
    notice_ids: list[int],
    error: str,
    *,
    attempts: int,
    retry_seconds: float,
    max_attempts: int,
) -> list[int]:
    """Back to pending with one more attempt counted, due after a doubling wait; those out
    of attempts fail for good. Returns the ids that failed."""
    if attempts >= max_attempts:
        session.execute(
            update(Notice)
            .where(Notice.id.in_(notice_ids))
            .values(attempts=attempts)
            .execution_options(synchronize_session=False)
        )
        mark_failed(session, notice_ids, error)
        return notice_ids
    due = retry_due(utcnow(), retry_seconds, attempts)
    session.execute(
        update(Notice)
        .where(Notice.id.in_(notice_ids))
        .values(
            state=NoticeState.PENDING,
            attempts=attempts,
            next_attempt_at=due,
            last_error=error[:500],
            claimed_by=None,
            claim_attempt=None,
        )
        .execution_options(synchronize_session=False)
    )
    return []


def server_down(
    session: Session,
    notice_ids: list[int],
    error: str,
    *,
    channel: NoticeChannel,
    attempts: int,
    retry_seconds: float,
    max_attempts: int,
) -> int:
    """The server cannot be reached: these notices, and every other one due now by the
    same channel, had an
    attempt fail. All wait the same doubling time; those out of attempts fail for good.
    Returns how many wait."""
    now = utcnow()
    hit = or_(
        Notice.id.in_(notice_ids),
        and_(
            Notice.state == NoticeState.PENDING,
            Notice.next_attempt_at <= now,
            Notice.channel == channel,
        ),
    )
    due = retry_due(now, retry_seconds, attempts)
    moved = session.execute(
        update(Notice)
        .where(hit)
        .values(
            state=NoticeState.PENDING,
            attempts=Notice.attempts + 1,
            next_attempt_at=due,
            last_error=error[:500],
            claimed_by=None,
            claim_attempt=None,
        )
        .execution_options(synchronize_session=False)
    )
    spent = list(
        session.scalars(
            select(Notice.id).where(
                Notice.state == NoticeState.PENDING,
                Notice.next_attempt_at == due,
                Notice.attempts >= max_attempts,
            )
        )
    )
    for start in range(0, len(spent), 1000):
        mark_failed(session, spent[start : start + 1000], error)
    return int(moved.rowcount) - len(spent)  # type: ignore[attr-defined]


def release(session: Session, notice_ids: list[int]) -> None:
    """Claimed but never tried: back to pending as they were."""
    session.execute(
        update(Notice)
        .where(Notice.id.in_(notice_ids), Notice.state == NoticeState.CLAIMED)
        .values(state=NoticeState.PENDING, claimed_by=None, claim_attempt=None)
        .execution_options(synchronize_session=False)
    )


def recover_abandoned(session: Session) -> int:
    """Notices a dead run left: claimed ones go back to pending (their message never got
    its final dot), ones being sent count as sent (it may have). Returns how many."""
    live = exists().where(
        Job.id == Notice.claimed_by,
        Job.state == JobState.RUNNING,
        Job.attempts == Notice.claim_attempt,
    )
    stranded = or_(Notice.state == NoticeState.CLAIMED, Notice.state == NoticeState.SENDING)
    rows = session.execute(select(Notice.id, Notice.state).where(stranded, ~live)).all()
    claimed = [r.id for r in rows if r.state is NoticeState.CLAIMED]
    sending = [r.id for r in rows if r.state is NoticeState.SENDING]
    if claimed:
        session.execute(
            update(Notice)
            .where(Notice.id.in_(claimed), Notice.state == NoticeState.CLAIMED, ~live)
            .values(state=NoticeState.PENDING, claimed_by=None, claim_attempt=None)
            .execution_options(synchronize_session=False)
        )
    if sending:
        _close(session, sending, NoticeState.SENT, COUNTED_AS_SENT, sent=True)
    return len(rows)


def expire_kept_contacts(session: Session, retention_days: int) -> int:
    """Open notices of decisions older than the retention: they fail for good, and their
    contacts are erased. Returns how many."""
    cutoff = utcnow() - timedelta(days=retention_days)
    ids = list(
        session.scalars(
            select(Notice.id)
            .join(Opinion, Opinion.id == Notice.opinion_id)
            .where(Notice.state == NoticeState.PENDING, Opinion.decided_at < cutoff)
        )
    )
    for start in range(0, len(ids), 1000):
        mark_failed(session, ids[start : start + 1000], KEPT_NO_LONGER % {"days": retention_days})
    return len(ids)
