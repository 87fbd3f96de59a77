"""Nothing half-written: a fault at any insert of a version upload or of a bulk import
leaves every table exactly as it was, on both engines."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from noticeboard.extensions import db
from noticeboard.models import Job, JobState, Opinion, User
from noticeboard.services.accounts.offices import create_collection_point
from noticeboard.services.imports.jobs import SAVED, start_import
from noticeboard.services.jobs.handlers import job_handlers
from noticeboard.services.jobs.messages import CRASHED
from noticeboard.services.jobs.running import run_job
from noticeboard.services.opinions.bulk import CHUNK
from noticeboard.services.permissions import SYSTEM
from noticeboard.worker.queue import job_queue
from tests import factories
from tests.durability.helpers import FailOnInsert, failing_inserts, row_fault, snapshot
from tests.queues import LEASE, HeldQueue
from tests.samples import sample_text

OLD = sample_text("cn/duiwai-maoyifa/2016.txt")
NEW = sample_text("cn/duiwai-maoyifa/2022.txt")
NEVER = 10**9


def _engine(app: Flask) -> Engine:
    with app.app_context():
        return db.engine


def _disconnect() -> OperationalError:
    return OperationalError(
        "INSERT", {}, Exception("server closed the connection"), connection_invalidated=True
    )


def _upload(client: FlaskClient, slug: str) -> int:
    data = {"label": "2022年修正文本", "text": NEW}
    return client.post(f"/staff/laws/{slug}/versions?lang=en", data=data).status_code


def test_a_version_upload_that_fails_at_any_row_writes_nothing(
    app: Flask, staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    client = staff_client("commission")
    for slug in ("counted", "target"):
        factories.make_version(db_session, factories.make_law(db_session, slug=slug), OLD)
    db_session.commit()
    engine = _engine(app)

    with row_fault(engine) as fault:
        # The same upload on another law, to learn how many rows it writes.
        assert _upload(client, "counted") == 302
        total = fault.seen
        assert total > 70  # the version, its articles, the comparison, its changes, the audit
        before = snapshot(engine)
        for nth in sorted({1, 2, total // 2, total - 1, total}):
            fault.arm(nth)
            assert _upload(client, "target") == 500
            assert snapshot(engine) == before, f"half-written after a fault at row {nth}"
            assert fault.seen == 0  # the counter's own updates were rolled back too
        fault.arm(0)

    # The connection dropping mid-upload: a 503, and nothing written either.
    for nth in (1, 40):
        with failing_inserts(engine, FailOnInsert(nth, error=_disconnect())) as hook:
            assert _upload(client, "target") == 503
        assert hook.fired
        assert snapshot(engine) == before

    assert _upload(client, "target") == 302  # and without a fault it goes through


HEADER = ["law", "articles", "office", "collection_point", "channel", "received_on", "text"]
ROWS = CHUNK + 300  # more than one chunk of the bulk writer


@pytest.fixture
def import_world(db_session: Session) -> dict[str, Any]:
    law = factories.make_law(db_session, slug="minors")
    factories.make_version(db_session, law, label="一审稿")
    office = factories.make_office(db_session, slug="hongqiao")
    create_collection_point(db_session, SYSTEM, office, slug="teahouse", name="社区茶馆")
    user = factories.make_user(db_session, role="admin")
    db_session.commit()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for n in range(ROWS):
        writer.writerow(
            ["minors", "第二条, 3", "hongqiao", "teahouse", "symposium", "2024-05-06", f"意见{n}"]
        )
    return {"user": user, "payload": buffer.getvalue().encode()}


def _queue(db_session: Session, queue: HeldQueue, user: User, payload: bytes) -> str:
    """An import as the web page starts it: the job row and its file, committed."""
    job = start_import(
        db_session, user, queue, filename="big.csv", law_slug=None, dry_run=False, payload=payload
    )
    db_session.commit()
    return job.id


def _work(db_session: Session, engine: Engine, queue: HeldQueue, job_id: str) -> Job:
    """What the worker given the job's id does, with its own sessions; the job's row."""
    run_job(engine, queue.real, job_id, job_handlers(), worker="test:1", lease_seconds=LEASE)
    db_session.expire_all()
    finished = db_session.get(Job, job_id)
    assert finished is not None
    db_session.expunge(finished)
    # Hold no lock on the tables the triggers leave (on PostgreSQL their removal would
    # wait for it), even when a check below fails.
    db_session.rollback()
    return finished


def test_an_import_that_fails_at_any_row_writes_nothing(
    app: Flask, db_session: Session, import_world: dict[str, Any]
) -> None:
    engine = _engine(app)
    queue = HeldQueue(job_queue(app))
    user, payload = import_world["user"], import_world["payload"]
    with row_fault(engine) as fault:
        job = _work(db_session, engine, queue, _queue(db_session, queue, user, payload))
        # Counted: it goes in whole.
        assert (job.state, job.message, job.result["created"]) == (JobState.DONE, SAVED, ROWS)
        total = fault.seen - 2  # less the job's row and its file's
        assert total == ROWS * 3 + 1  # opinions, two article links each, one audit event
        # Opinions of the first and second chunk, their links, the audit event last.
        for nth in sorted({1, CHUNK + 1, ROWS + 1, ROWS * 2, total}):
            job_id = _queue(db_session, queue, user, payload)
            before = snapshot(engine)
            fault.arm(nth)
            failed = _work(db_session, engine, queue, job_id)
            fault.arm(0)
            after = snapshot(engine)
            # Only the job row tells what happened, and its file is dropped (it failed: a
            # new upload starts it again); no opinion, link or audit row is left.
            assert after.pop("job") != before.pop("job")
            kept = [row for row in before.pop("job_payload") if row[0] != job_id]
            assert after.pop("job_payload") == kept
            assert after == before, f"half-written after a fault at row {nth}"
            assert (failed.state, failed.message) == (JobState.FAILED, CRASHED)
            assert "created" not in failed.result
    count = db_session.scalar(select(func.count()).select_from(Opinion))
    assert count == ROWS
