"""Work that waits for a commit: it runs once the transaction that asked for it commits,
and never for one that rolled back."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from noticeboard.models import Job, JobState, Office, Opinion, User
from noticeboard.services.accounts.offices import create_collection_point
from noticeboard.services.background import call_after_commit, pending_callbacks
from noticeboard.services.imports.jobs import start_import
from noticeboard.services.permissions import SYSTEM
from noticeboard.worker.queue import job_queue
from tests import factories
from tests.queues import HeldQueue
from tests.services.imports.test_opinion_import import GOOD, csv_bytes


def test_a_callback_runs_after_the_commit_and_only_once(db_session: Session) -> None:
    done: list[str] = []
    call_after_commit(db_session, lambda: done.append("ran"), name="one")
    assert done == []
    assert pending_callbacks(db_session) == ["one"]
    db_session.commit()
    assert done == ["ran"]
    assert pending_callbacks(db_session) == []
    db_session.commit()
    assert done == ["ran"]


def test_a_callback_sees_what_its_transaction_committed(db_session: Session) -> None:
    seen: list[int] = []

    def count_offices() -> None:
        with Session(db_session.get_bind()) as other:
            seen.append(other.scalar(select(func.count()).select_from(Office)) or 0)

    factories.make_office(db_session, slug="hongqiao")
    call_after_commit(db_session, count_offices, name="count")
    db_session.commit()
    assert seen == [1]


def test_a_callback_is_dropped_when_the_transaction_rolls_back(db_session: Session) -> None:
    done: list[str] = []
    call_after_commit(db_session, lambda: done.append("ran"), name="dropped")
    db_session.rollback()
    assert pending_callbacks(db_session) == []
    db_session.commit()
    assert done == []


def test_a_callback_waits_for_the_outermost_transaction(db_session: Session) -> None:
    done: list[str] = []
    with db_session.begin_nested():
        with db_session.begin_nested():
            call_after_commit(db_session, lambda: done.append("ran"), name="inner")
        assert done == []  # a savepoint released is not a commit (SQLAlchemy signals one)
    assert done == []
    assert pending_callbacks(db_session) == ["inner"]
    db_session.commit()
    assert done == ["ran"]


def test_a_callback_outside_a_transaction_starts_one(db_session: Session) -> None:
    """Queued before anything was read or written, it still belongs to a transaction,
    so a rollback drops it."""
    db_session.commit()
    assert not db_session.in_transaction()
    done: list[str] = []
    call_after_commit(db_session, lambda: done.append("ran"), name="early")
    assert db_session.in_transaction()
    db_session.rollback()
    db_session.commit()
    assert done == []


def test_a_failing_callback_is_logged_and_the_others_still_run(
    db_session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    done: list[str] = []

    def explode() -> None:
        raise RuntimeError("queue on fire")

    factories.make_office(db_session, slug="kept")
    call_after_commit(db_session, lambda: done.append("first"), name="first")
    call_after_commit(db_session, explode, name="exploding")
    call_after_commit(db_session, lambda: done.append("last"), name="last")
    with caplog.at_level(logging.ERROR, logger="noticeboard.services.background"):
        db_session.commit()  # does not raise
    assert done == ["first", "last"]
    failed = [r for r in caplog.records if r.name == "noticeboard.services.background"]
    assert [r.getMessage() for r in failed] == ["after-commit work exploding failed"]
    assert failed[0].exc_info is not None
    # What was committed stays committed.
    with Session(db_session.get_bind()) as other:
        assert other.scalar(select(Office.slug).where(Office.slug == "kept")) == "kept"


def test_each_session_keeps_its_own_callbacks(db_session: Session) -> None:
    done: list[str] = []
    with Session(db_session.get_bind()) as other:
        call_after_commit(other, lambda: done.append("other"), name="other")
        call_after_commit(db_session, lambda: done.append("mine"), name="mine")
        other.rollback()
        db_session.commit()
        assert done == ["mine"]


def _office_staff(session: Session) -> User:
    law = factories.make_law(session, slug="minors")
    factories.make_version(session, law)
    office = factories.make_office(session, slug="hongqiao")
    create_collection_point(session, SYSTEM, office, slug="teahouse", name="茶馆")
    staff = factories.make_user(session, role="office", office=office)
    session.commit()
    return staff


def test_an_import_started_in_a_transaction_runs_once_it_commits(
    app: Flask, db_session: Session
) -> None:
    staff = _office_staff(db_session)
    job = start_import(
        db_session,
        staff,
        job_queue(app),
        filename="a.csv",
        law_slug=None,
        dry_run=False,
        payload=csv_bytes([GOOD] * 3),
    )
    assert pending_callbacks(db_session) == [f"job {job.id[:8]}"]
    with Session(db_session.get_bind()) as other:  # not visible, not run: not committed
        assert other.scalar(select(func.count()).select_from(Job)) == 0
    assert db_session.scalar(select(func.count()).select_from(Opinion)) == 0
    db_session.commit()  # immediate mode: the worker runs it now
    db_session.expire_all()
    saved = db_session.get(Job, job.id)
    assert saved is not None
    assert (saved.state, saved.result.get("created")) == (JobState.DONE, 3)
    assert db_session.scalar(select(func.count()).select_from(Opinion)) == 3


def test_an_import_whose_request_rolls_back_leaves_no_job_and_queues_nothing(
    app: Flask, db_session: Session
) -> None:
    staff = _office_staff(db_session)
    queue = HeldQueue(job_queue(app))
    start_import(
        db_session,
        staff,
        queue,
        filename="a.csv",
        law_slug=None,
        dry_run=False,
        payload=b"x",
    )
    db_session.rollback()
    db_session.commit()
    assert queue.held == []
    assert db_session.scalar(select(func.count()).select_from(Job)) == 0
