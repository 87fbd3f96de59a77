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
from noticeboard.models import ImportJob, ImportStatus, Opinion, User
from noticeboard.services.accounts.offices import create_collection_point
from noticeboard.services.imports.jobs import create_job, run_import_job
from noticeboard.services.opinions.bulk import CHUNK
from noticeboard.services.permissions import SYSTEM
from tests import factories
from tests.durability.helpers import FailOnInsert, failing_inserts, row_fault, snapshot
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


def _import(db_session: Session, engine: Engine, user: User, payload: bytes) -> ImportJob:
    """An import as the web page runs it: a job row, then the worker with its sessions."""
    job = create_job(db_session, user, filename="big.csv", law_slug=None, dry_run=False)
    db_session.commit()
    run_import_job(lambda: Session(engine, expire_on_commit=False), job.id, payload)
    db_session.expire_all()
    finished = db_session.get(ImportJob, job.id)
    assert finished is not None
    return finished


def test_an_import_that_fails_at_any_row_writes_nothing(
    app: Flask, db_session: Session, import_world: dict[str, Any]
) -> None:
    engine = _engine(app)
    user, payload = import_world["user"], import_world["payload"]
    with row_fault(engine) as fault:
        job = _import(db_session, engine, user, payload)  # counted: it goes in whole
        assert (job.status, job.created_count) == (ImportStatus.DONE, ROWS)
        total = fault.seen - 1  # less the job row itself
        assert total == ROWS * 3 + 1  # opinions, two article links each, one audit event
        # Opinions of the first and second chunk, their links, the audit event last.
        for nth in sorted({1, CHUNK + 1, ROWS + 1, ROWS * 2, total}):
            job = create_job(db_session, user, filename="big.csv", law_slug=None, dry_run=False)
            db_session.commit()
            before = snapshot(engine)
            fault.arm(nth)
            run_import_job(lambda: Session(engine, expire_on_commit=False), job.id, payload)
            fault.arm(0)
            after = snapshot(engine)
            # Only the job row tells what happened; no opinion, link or audit row is left.
            assert after.pop("import_job") != before.pop("import_job")
            assert after == before, f"half-written after a fault at row {nth}"
            db_session.expire_all()
            failed = db_session.get(ImportJob, job.id)
            assert failed is not None
            assert (failed.status, failed.created_count) == (ImportStatus.FAILED, 0)
            db_session.rollback()  # hold no lock on the tables the triggers leave
    count = db_session.scalar(select(func.count()).select_from(Opinion))
    assert count == ROWS
