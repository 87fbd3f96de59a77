"""What staff see of the notices: one opinion's, newest first, and the outbox at a
glance, read from the indexes a page at a time."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from noticeboard.models import NoticeChannel, NoticeState, Outcome, utcnow
from noticeboard.services.errors import PermissionDenied
from noticeboard.services.notices.status import (
    ContactNote,
    contact_note,
    notice_overview,
    notice_status,
)
from noticeboard.services.permissions import SYSTEM
from tests import factories
from tests.services.notices.rows import asking_opinion, make_notice


def test_an_opinions_notices_newest_first(db_session: Session) -> None:
    opinion = asking_opinion(db_session)
    now = utcnow()
    make_notice(db_session, opinion, NoticeState.CANCELLED, at=now - timedelta(days=2))
    make_notice(
        db_session,
        opinion,
        NoticeState.PENDING,
        at=now - timedelta(hours=1),
        attempts=2,
        last_error="421 try later",
        next_attempt_at=now + timedelta(minutes=10),
        channel=NoticeChannel.SMS,
    )
    make_notice(db_session, asking_opinion(db_session), NoticeState.SENT)  # another's
    db_session.commit()
    rows = notice_status(db_session, opinion.id)
    assert [r.state for r in rows] == [NoticeState.PENDING, NoticeState.CANCELLED]
    newest = rows[0]
    assert newest.retrying
    assert newest.open
    assert (newest.channel, newest.attempts, newest.last_error) == (
        NoticeChannel.SMS,
        2,
        "421 try later",
    )
    assert newest.next_attempt_at > now
    assert newest.created_at.tzinfo is not None
    assert not rows[1].open
    assert notice_status(db_session, 999_999) == []


def test_the_contact_note_says_why_a_contact_is_kept(db_session: Session) -> None:
    opinion = asking_opinion(db_session)
    db_session.commit()
    assert contact_note(opinion, []) is ContactNote.KEPT_FOR_OUTCOME
    opinion.outcome = Outcome.ADOPTED  # with notify the contact outlives the decision
    assert opinion.contact
    waiting = make_notice(db_session, opinion)
    assert contact_note(opinion, notice_status(db_session, opinion.id)) is ContactNote.UNTIL_SENT
    waiting.state = NoticeState.SENT
    db_session.flush()
    assert contact_note(opinion, notice_status(db_session, opinion.id)) is None
    opinion.notify = False
    assert contact_note(opinion, []) is None
    db_session.rollback()


def test_the_overview_counts_states_and_retries_and_pages_the_failures(
    db_session: Session,
) -> None:
    law = factories.make_law(db_session, title="退役军人保障法", title_en="Veterans Act")
    version = factories.make_version(db_session, law)
    opinion = asking_opinion(db_session, version)
    now = utcnow()
    make_notice(db_session, opinion, NoticeState.PENDING)  # due now
    soon = now + timedelta(minutes=5)
    make_notice(db_session, opinion, attempts=1, next_attempt_at=soon)
    make_notice(db_session, opinion, attempts=2, next_attempt_at=now + timedelta(hours=1))
    make_notice(db_session, opinion, NoticeState.SENT)
    make_notice(db_session, opinion, NoticeState.CANCELLED)
    failed = [
        make_notice(
            db_session,
            opinion,
            NoticeState.FAILED,
            at=now - timedelta(hours=i),
            attempts=3,
            last_error=f"550 no such mailbox {i}",
            closed_at=now - timedelta(hours=i),
        )
        for i in range(5)
    ]
    db_session.commit()

    first = notice_overview(db_session, SYSTEM, page=1, per_page=2)
    assert first.counts == {
        NoticeState.PENDING: 3,
        NoticeState.SENT: 1,
        NoticeState.CANCELLED: 1,
        NoticeState.FAILED: 5,
    }
    assert (first.total, first.failed, first.pages, first.has_next) == (10, 5, 3, True)
    assert first.due_now == 1
    assert first.waiting_retry == 2
    assert first.next_retry_at is not None
    assert abs(first.next_retry_at - soon) < timedelta(seconds=1)
    assert [f.notice_id for f in first.failures] == [failed[0].id, failed[1].id]
    row = first.failures[0]
    assert (row.opinion_id, row.law_slug, row.law_title, row.law_title_en) == (
        opinion.id,
        law.slug,
        "退役军人保障法",
        "Veterans Act",
    )
    assert (row.channel, row.attempts, row.last_error) == (
        NoticeChannel.EMAIL,
        3,
        "550 no such mailbox 0",
    )
    assert row.closed_at is not None
    assert not any("asker@example.org" in str(value) for value in vars(row).values())

    last = notice_overview(db_session, SYSTEM, page=3, per_page=2)
    assert [f.notice_id for f in last.failures] == [failed[4].id]
    assert not last.has_next
    assert notice_overview(db_session, SYSTEM, page=9, per_page=2).failures == []


def test_an_empty_outbox(db_session: Session) -> None:
    overview = notice_overview(db_session, SYSTEM)
    assert overview.counts == {}
    assert (overview.due_now, overview.waiting_retry, overview.next_retry_at) == (0, 0, None)
    assert (overview.failures, overview.pages, overview.has_next) == ([], 1, False)


def test_only_those_who_decide_see_the_overview(db_session: Session) -> None:
    office = factories.make_office(db_session)
    clerk = factories.make_user(db_session, role="office", office=office)
    with pytest.raises(PermissionDenied):
        notice_overview(db_session, clerk)
    notice_overview(db_session, factories.make_user(db_session, role="commission"))


# SQLite alone: its EXPLAIN QUERY PLAN is stable at any size; PostgreSQL's planner chooses by
# the table's size, so it was checked with EXPLAIN ANALYZE at a million rows instead.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_overview_reads_indexes_and_sorts_nothing(db_session: Session) -> None:
    """Each statement's plan on SQLite: the notice table through an index, no full scan,
    no temporary sort."""
    make_notice(db_session, asking_opinion(db_session), NoticeState.FAILED)
    db_session.commit()
    statements: list[tuple[str, Any]] = []

    def note(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    engine = db_session.get_bind()
    event.listen(engine, "before_cursor_execute", note)
    try:
        notice_overview(db_session, SYSTEM)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert len(statements) == 4
    with engine.connect() as conn:
        for statement, parameters in statements:
            raw = conn.connection.driver_connection
            plan = [row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)]
            on_notice = [step for step in plan if " notice " in f"{step} "]
            assert on_notice, plan
            assert all("ix_notice_state_due" in step for step in on_notice), plan
            assert not any("TEMP B-TREE" in step for step in plan), plan
