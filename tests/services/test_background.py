"""Background work starts only once the transaction that asked for it commits."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from noticeboard.models import ImportJob, ImportStatus, Opinion
from noticeboard.services.accounts.offices import create_collection_point
from noticeboard.services.background import ThreadRunner, Work, run_after_commit
from noticeboard.services.imports.jobs import start_import
from noticeboard.services.permissions import SYSTEM
from tests import factories
from tests.services.imports.test_opinion_import import GOOD, csv_bytes


class RecordingRunner:
    """Runs each piece of work at once, in the caller's thread, and remembers its name."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def __call__(self, work: Work, *, name: str) -> None:
        self.names.append(name)
        work()


def test_work_runs_after_commit_and_only_once(db_session: Session) -> None:
    runner, done = RecordingRunner(), []
    run_after_commit(db_session, runner, lambda: done.append("ran"), name="one")
    assert done == []
    db_session.commit()
    db_session.commit()
    assert (done, runner.names) == (["ran"], ["one"])


def test_work_is_dropped_when_the_transaction_rolls_back(db_session: Session) -> None:
    runner, done = RecordingRunner(), []
    run_after_commit(db_session, runner, lambda: done.append("ran"), name="dropped")
    db_session.rollback()
    db_session.commit()
    assert (done, runner.names) == ([], [])


def _office_staff(session: Session) -> object:
    law = factories.make_law(session, slug="minors")
    factories.make_version(session, law)
    office = factories.make_office(session, slug="hongqiao")
    create_collection_point(session, SYSTEM, office, slug="teahouse", name="茶馆")
    staff = factories.make_user(session, role="office", office=office)
    session.commit()
    return staff


def test_an_import_started_in_a_transaction_runs_once_it_commits(db_session: Session) -> None:
    staff = _office_staff(db_session)
    runner = RecordingRunner()
    job = start_import(
        db_session,
        staff,
        runner,
        filename="a.csv",
        law_slug=None,
        dry_run=False,
        payload=csv_bytes([GOOD] * 3),
    )
    assert runner.names == []
    db_session.commit()
    assert runner.names == [f"import-{job.id[:8]}"]
    db_session.expire_all()
    saved = db_session.get(ImportJob, job.id)
    assert saved is not None
    assert (saved.status, saved.created_count) == (ImportStatus.DONE, 3)
    assert db_session.scalar(select(func.count()).select_from(Opinion)) == 3


def test_an_import_whose_request_rolls_back_leaves_no_job_and_runs_nothing(
    db_session: Session,
) -> None:
    staff = _office_staff(db_session)
    runner = RecordingRunner()
    start_import(
        db_session, staff, runner, filename="a.csv", law_slug=None, dry_run=False, payload=b"x"
    )
    db_session.rollback()
    assert runner.names == []
    assert db_session.scalar(select(func.count()).select_from(ImportJob)) == 0


def test_the_thread_runner_runs_work_in_another_thread() -> None:
    import threading

    runner, seen = ThreadRunner(), []
    runner(lambda: seen.append(threading.current_thread().name), name="import-abc")
    runner.started[0].join(timeout=10)
    assert seen == ["import-abc"]
