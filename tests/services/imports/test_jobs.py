"""Web imports run off the request: the job row tells the page how far they got."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from noticeboard.extensions import db
from noticeboard.models import ImportJob, ImportStatus, Opinion
from noticeboard.services.accounts.offices import create_collection_point
from noticeboard.services.errors import NotFound
from noticeboard.services.imports.jobs import create_job, get_job, run_import_job
from noticeboard.services.permissions import SYSTEM
from tests import factories
from tests.services.imports.test_opinion_import import GOOD, HEADER, csv_bytes


@pytest.fixture
def session_factory(app: Flask) -> Callable[[], Session]:
    with app.app_context():
        engine = db.engine
    return lambda: Session(engine)


def _start(session: Session, dry_run: bool = False) -> tuple[str, object]:
    law = factories.make_law(session, slug="minors")
    factories.make_version(session, law)
    office = factories.make_office(session, slug="hongqiao")
    create_collection_point(session, SYSTEM, office, slug="teahouse", name="茶馆")
    staff = factories.make_user(session, role="office", office=office)
    job = create_job(session, staff, filename="a.csv", law_slug=None, dry_run=dry_run)
    session.commit()
    return job.id, staff


def _job(session: Session, job_id: str) -> ImportJob:
    session.expire_all()
    job = session.get(ImportJob, job_id)
    assert job is not None
    return job


def test_a_good_file_is_saved_and_the_job_done(
    db_session: Session, session_factory: Callable[[], Session]
) -> None:
    job_id, _ = _start(db_session)
    run_import_job(session_factory, job_id, csv_bytes([GOOD] * 600))
    job = _job(db_session, job_id)
    assert job.status is ImportStatus.DONE
    assert (job.created_count, job.processed_rows, job.error_count) == (600, 600, 0)
    assert job.finished_at is not None
    assert db_session.scalar(select(func.count()).select_from(Opinion)) == 600


def test_bad_rows_fail_the_job_with_the_report_and_save_nothing(
    db_session: Session, session_factory: Callable[[], Session]
) -> None:
    job_id, _ = _start(db_session)
    bad = list(GOOD)
    bad[HEADER.index("received_on")] = "yesterday"
    run_import_job(session_factory, job_id, csv_bytes([GOOD, bad]))
    job = _job(db_session, job_id)
    assert job.status is ImportStatus.FAILED
    assert job.error_count == 1
    assert job.errors[0]["row"] == 3
    assert job.errors[0]["column"] == "received_on"
    assert job.errors[0]["template"].startswith("Not a date")
    assert job.errors[0]["params"] == {"value": "yesterday"}
    assert db_session.scalar(select(func.count()).select_from(Opinion)) == 0


def test_a_file_problem_fails_the_job(
    db_session: Session, session_factory: Callable[[], Session]
) -> None:
    job_id, _ = _start(db_session)
    run_import_job(session_factory, job_id, b"colour\nred\n")
    job = _job(db_session, job_id)
    assert job.status is ImportStatus.FAILED
    assert job.errors[0]["row"] is None
    assert "Unknown column" in job.errors[0]["template"]


def test_dry_run_job_reports_without_saving(
    db_session: Session, session_factory: Callable[[], Session]
) -> None:
    job_id, _ = _start(db_session, dry_run=True)
    run_import_job(session_factory, job_id, csv_bytes([GOOD] * 3))
    job = _job(db_session, job_id)
    assert job.status is ImportStatus.DONE
    assert (job.created_count, job.processed_rows) == (0, 3)
    assert db_session.scalar(select(func.count()).select_from(Opinion)) == 0


def test_an_unexpected_error_is_recorded_not_raised(
    db_session: Session, session_factory: Callable[[], Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    job_id, _ = _start(db_session)

    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("noticeboard.services.imports.jobs.check_import", explode)
    run_import_job(session_factory, job_id, csv_bytes([GOOD]))
    job = _job(db_session, job_id)
    assert job.status is ImportStatus.FAILED
    assert "unexpected" not in job.errors[0]["template"]
    assert "nothing was saved" in job.errors[0]["template"]


def test_only_the_starter_and_admins_see_a_job(db_session: Session) -> None:
    job_id, staff = _start(db_session)
    assert get_job(db_session, staff, job_id).id == job_id  # type: ignore[arg-type]
    admin = factories.make_user(db_session, role="admin")
    assert get_job(db_session, admin, job_id).id == job_id
    other = factories.make_user(db_session, role="commission")
    with pytest.raises(NotFound):
        get_job(db_session, other, job_id)
    with pytest.raises(NotFound):
        get_job(db_session, admin, "0" * 32)
