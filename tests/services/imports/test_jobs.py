"""Imports as jobs: the upload is kept with the job, a worker checks and saves it in one
transaction with the job's end, and the row tells how it went. Jobs left behind by a
dead worker are found by the sweep, and only work that saved nothing runs again."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session

from noticeboard.extensions import db
from noticeboard.models import Job, JobKind, JobPayload, JobState, Office, Opinion, User
from noticeboard.services.accounts.offices import create_collection_point
from noticeboard.services.background import pending_callbacks
from noticeboard.services.errors import Conflict, NotFound
from noticeboard.services.imports.jobs import BAD_FILE, BAD_ROWS, CHECKED, SAVED, start_import
from noticeboard.services.jobs import messages
from noticeboard.services.jobs.handlers import job_handlers
from noticeboard.services.jobs.reaping import MAX_ATTEMPTS, sweep_stale_jobs
from noticeboard.services.jobs.records import create_job, get_job, retry_job, retry_safe
from noticeboard.services.jobs.running import (
    JobContext,
    JobResult,
    claim,
    run_job,
)
from noticeboard.services.permissions import SYSTEM
from noticeboard.worker.queue import HueyQueue, job_queue
from tests import factories
from tests.queues import LEASE, HeldQueue, LostQueue, interrupt, start_running
from tests.services.imports.test_opinion_import import GOOD, HEADER, csv_bytes

WORKER = "test:1"


@pytest.fixture
def engine(app: Flask) -> Engine:
    with app.app_context():
        return db.engine


@pytest.fixture
def queue(app: Flask) -> HueyQueue:
    """The app's real queue: in the tests' immediate mode a job runs as it commits."""
    return job_queue(app)


@pytest.fixture
def held(queue: HueyQueue) -> HeldQueue:
    """The same queue holding jobs back, for the test to run them with ``run_job``."""
    return HeldQueue(queue)


@pytest.fixture
def staff(db_session: Session) -> User:
    law = factories.make_law(db_session, slug="minors")
    factories.make_version(db_session, law)
    office = factories.make_office(db_session, slug="hongqiao")
    create_collection_point(db_session, SYSTEM, office, slug="teahouse", name="茶馆")
    user = factories.make_user(db_session, role="office", office=office)
    db_session.commit()
    return user


def _import(
    session: Session,
    actor: User,
    queue: HueyQueue | HeldQueue,
    payload: bytes,
    *,
    dry_run: bool = False,
) -> str:
    job = start_import(
        session,
        actor,
        queue,
        filename="a.csv",
        law_slug=None,
        dry_run=dry_run,
        payload=payload,
    )
    session.commit()
    return job.id


def _job(session: Session, job_id: str) -> Job:
    session.expire_all()
    job = session.get(Job, job_id)
    assert job is not None
    return job


def _opinions(session: Session) -> int:
    session.expire_all()
    return int(session.scalar(select(func.count()).select_from(Opinion)) or 0)


def _run(engine: Engine, queue: HueyQueue, job_id: str) -> JobState | None:
    """What a worker does with a job id from the queue."""
    return run_job(engine, queue, job_id, job_handlers(), worker=WORKER, lease_seconds=LEASE)


def _bad_row() -> list[str]:
    bad = list(GOOD)
    bad[HEADER.index("received_on")] = "yesterday"
    return bad


# ---- how an import ends ------------------------------------------------------------


def test_a_good_file_is_saved_and_the_job_done(
    db_session: Session, queue: HueyQueue, staff: User
) -> None:
    job_id = _import(db_session, staff, queue, csv_bytes([GOOD] * 600))
    job = _job(db_session, job_id)
    assert job.state is JobState.DONE
    assert job.message == SAVED
    assert job.result["created"] == 600
    assert (job.processed, job.total, job.error_count, job.attempts) == (600, 600, 0, 1)
    assert job.started_at is not None
    assert job.finished_at is not None
    assert job.finished_at >= job.started_at
    assert job.worker.endswith(f":{os.getpid()}")  # host:pid of the worker that ran it
    assert job.progress == 1.0
    assert _opinions(db_session) == 600
    assert queue.last_beat(job_id) is None  # the lease is dropped once it ends


def test_bad_rows_fail_the_job_with_the_report_and_save_nothing(
    db_session: Session, queue: HueyQueue, staff: User
) -> None:
    job_id = _import(db_session, staff, queue, csv_bytes([GOOD, _bad_row()]))
    job = _job(db_session, job_id)
    assert job.state is JobState.FAILED
    assert job.message == BAD_ROWS
    assert job.error_count == 1
    assert job.errors[0]["row"] == 3
    assert job.errors[0]["column"] == "received_on"
    assert job.errors[0]["template"].startswith("Not a date")
    assert job.errors[0]["params"] == {"value": "yesterday"}
    assert job.finished_at is not None
    assert _opinions(db_session) == 0


def test_a_file_that_cannot_be_read_fails_the_job(
    db_session: Session, queue: HueyQueue, staff: User
) -> None:
    job_id = _import(db_session, staff, queue, b"colour\nred\n")
    job = _job(db_session, job_id)
    assert job.state is JobState.FAILED
    assert job.message == BAD_FILE
    assert job.errors[0]["row"] is None
    assert "Unknown column" in job.errors[0]["template"]
    assert _opinions(db_session) == 0


def test_a_dry_run_reports_without_saving(
    db_session: Session, queue: HueyQueue, staff: User
) -> None:
    job_id = _import(db_session, staff, queue, csv_bytes([GOOD] * 3), dry_run=True)
    job = _job(db_session, job_id)
    assert job.state is JobState.DONE
    assert job.message == CHECKED
    assert job.params == {"filename": "a.csv", "law_slug": None, "dry_run": True}
    assert (job.result["created"], job.processed) == (0, 3)
    assert _opinions(db_session) == 0


def test_an_import_whose_account_is_gone_fails_and_saves_nothing(
    db_session: Session, engine: Engine, queue: HueyQueue, held: HeldQueue, staff: User
) -> None:
    job_id = _import(db_session, staff, held, csv_bytes([GOOD] * 3))
    staff.is_active = False  # switched off between the upload and the worker
    db_session.commit()
    assert _run(engine, queue, job_id) is JobState.FAILED
    job = _job(db_session, job_id)
    assert job.state is JobState.FAILED
    assert "account that started the job is gone" in job.message
    assert _opinions(db_session) == 0


def test_an_unexpected_error_is_recorded_not_raised(
    db_session: Session,
    engine: Engine,
    queue: HueyQueue,
    held: HeldQueue,
    staff: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    job_id = _import(db_session, staff, held, csv_bytes([GOOD]))

    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("noticeboard.services.imports.jobs.check_import", explode)
    assert _run(engine, queue, job_id) is JobState.FAILED
    job = _job(db_session, job_id)
    assert (job.state, job.message) == (JobState.FAILED, messages.CRASHED)
    assert "disk on fire" not in job.message
    assert not retry_safe(db_session, job)
    assert _opinions(db_session) == 0


def test_only_the_starter_and_admins_see_a_job_and_everyone_the_systems(
    db_session: Session, held: HeldQueue, staff: User
) -> None:
    job_id = _import(db_session, staff, held, b"x")
    system = start_import(
        db_session, SYSTEM, held, filename="s.csv", law_slug=None, dry_run=False, payload=b"x"
    ).id
    admin = factories.make_user(db_session, role="admin")
    other = factories.make_user(db_session, role="commission")
    db_session.commit()
    assert get_job(db_session, staff, job_id).id == job_id
    assert get_job(db_session, admin, job_id).id == job_id
    with pytest.raises(NotFound):
        get_job(db_session, other, job_id)
    assert get_job(db_session, other, system).id == system
    with pytest.raises(NotFound):  # the page of one kind does not open another's
        get_job(db_session, staff, job_id, JobKind.EXPORT)
    with pytest.raises(NotFound):
        get_job(db_session, admin, "0" * 32)


# ---- each job runs once ------------------------------------------------------------


def test_a_finished_job_is_not_run_again(
    db_session: Session, engine: Engine, queue: HueyQueue, held: HeldQueue, staff: User
) -> None:
    job_id = _import(db_session, staff, held, csv_bytes([GOOD] * 3))
    assert held.held == [job_id]
    assert _run(engine, queue, job_id) is JobState.DONE
    finished = _job(db_session, job_id)
    # The same message delivered again: nothing happens.
    assert _run(engine, queue, job_id) is None
    again = _job(db_session, job_id)
    assert (again.state, again.attempts, again.finished_at) == (
        JobState.DONE,
        1,
        finished.finished_at,
    )
    assert _opinions(db_session) == 3


def test_a_running_job_is_not_claimed_twice(
    db_session: Session, engine: Engine, queue: HueyQueue, held: HeldQueue, staff: User
) -> None:
    job_id = _import(db_session, staff, held, csv_bytes([GOOD] * 3))
    with Session(engine) as first_worker:
        assert claim(first_worker, job_id, "first:1") == 1
        assert claim(first_worker, job_id, "second:2") is None
    assert _run(engine, queue, job_id) is None
    job = _job(db_session, job_id)
    assert (job.state, job.worker, job.attempts) == (JobState.RUNNING, "first:1", 1)
    assert _opinions(db_session) == 0
    assert claim(db_session, "0" * 32, WORKER) is None  # an unknown id


# ---- starting again ----------------------------------------------------------------


def test_an_interrupted_import_started_again_saves_each_row_once(
    db_session: Session, queue: HueyQueue, held: HeldQueue, staff: User
) -> None:
    job_id = _import(db_session, staff, held, csv_bytes([GOOD] * 5))
    interrupt(db_session, queue, job_id)
    job = _job(db_session, job_id)
    assert (job.state, job.message) == (JobState.INTERRUPTED, messages.INTERRUPTED)
    assert retry_safe(db_session, job)
    retry_job(db_session, staff, queue, job_id)
    assert _job(db_session, job_id).state is JobState.QUEUED  # until the retry commits
    db_session.commit()  # immediate mode: it runs now
    job = _job(db_session, job_id)
    assert (job.state, job.result["created"], job.attempts) == (JobState.DONE, 5, 2)
    assert _opinions(db_session) == 5
    with pytest.raises(Conflict):  # done: pressing the button again saves nothing more
        retry_job(db_session, staff, queue, job_id)
    db_session.rollback()
    assert _opinions(db_session) == 5


def test_a_job_failed_on_its_rows_cannot_be_retried(
    db_session: Session, queue: HueyQueue, staff: User
) -> None:
    job_id = _import(db_session, staff, queue, csv_bytes([_bad_row()]))
    job = _job(db_session, job_id)
    assert job.state is JobState.FAILED
    assert not retry_safe(db_session, job)
    with pytest.raises(Conflict):
        retry_job(db_session, staff, queue, job_id)
    db_session.rollback()
    assert _job(db_session, job_id).state is JobState.FAILED


def test_an_interrupted_import_without_its_file_cannot_be_retried(
    db_session: Session, queue: HueyQueue, held: HeldQueue, staff: User
) -> None:
    job_id = _import(db_session, staff, held, csv_bytes([GOOD]))
    interrupt(db_session, queue, job_id)
    db_session.execute(delete(JobPayload).where(JobPayload.job_id == job_id))
    db_session.commit()
    assert not retry_safe(db_session, _job(db_session, job_id))
    with pytest.raises(Conflict):
        retry_job(db_session, staff, queue, job_id)


def test_a_job_the_queue_lost_fails_retryably_and_runs_when_retried(
    db_session: Session, queue: HueyQueue, staff: User
) -> None:
    job_id = _import(db_session, staff, LostQueue(queue), csv_bytes([GOOD] * 2))
    job = _job(db_session, job_id)
    assert (job.state, job.message) == (JobState.FAILED, messages.NOT_QUEUED)
    assert job.result["retryable"] is True
    assert retry_safe(db_session, job)
    retry_job(db_session, staff, queue, job_id)
    db_session.commit()
    job = _job(db_session, job_id)
    assert (job.state, job.result["created"]) == (JobState.DONE, 2)
    assert _opinions(db_session) == 2


# ---- the sweep for dead workers ----------------------------------------------------


def test_the_sweep_interrupts_an_import_whose_lease_lapsed_and_spares_a_live_one(
    db_session: Session, queue: HueyQueue, held: HeldQueue, staff: User
) -> None:
    dead = _import(db_session, staff, held, csv_bytes([GOOD]))
    alive = _import(db_session, staff, held, csv_bytes([GOOD]))
    start_running(db_session, dead, ago=2 * LEASE)
    start_running(db_session, alive, ago=2 * LEASE)
    queue.beat(alive)  # its worker renews its lease: it is working
    swept = sweep_stale_jobs(db_session, queue, lease_seconds=LEASE)
    db_session.commit()
    assert (swept.interrupted, swept.requeued) == ([dead], [])
    job = _job(db_session, dead)
    assert (job.state, job.message) == (JobState.INTERRUPTED, messages.INTERRUPTED)
    assert job.finished_at is not None
    live = _job(db_session, alive)
    assert (live.state, live.message, live.finished_at) == (JobState.RUNNING, "", None)
    assert held.held == [dead, alive]  # an import is never queued again by the sweep
    # Within the lease a job is left alone even without a beat.
    fresh = _import(db_session, staff, held, csv_bytes([GOOD]))
    start_running(db_session, fresh, ago=LEASE / 2)
    assert sweep_stale_jobs(db_session, queue, lease_seconds=LEASE).interrupted == []
    db_session.commit()
    assert _job(db_session, fresh).state is JobState.RUNNING


def _system_job(session: Session, queue: HeldQueue, kind: JobKind, params: dict[str, Any]) -> str:
    job = create_job(session, SYSTEM, queue, kind, params=params)
    session.commit()
    return job.id


def test_the_sweep_queues_redoable_work_again_until_its_third_attempt(
    db_session: Session, queue: HueyQueue, held: HeldQueue
) -> None:
    again = _system_job(db_session, held, JobKind.RECOMPUTE, {"law_slug": "minors"})
    worn = _system_job(db_session, held, JobKind.RECOMPUTE, {"law_slug": "minors"})
    start_running(db_session, again, ago=2 * LEASE)
    start_running(db_session, worn, ago=2 * LEASE)
    db_session.execute(update(Job).where(Job.id == worn).values(attempts=MAX_ATTEMPTS))
    db_session.commit()
    swept = sweep_stale_jobs(db_session, held, lease_seconds=LEASE)
    assert (swept.requeued, swept.interrupted) == ([again], [worn])
    assert pending_callbacks(db_session) == [f"job {again[:8]}"]  # queued as the sweep commits
    assert held.held == [again, worn]  # only create_job's so far
    db_session.commit()
    assert held.held == [again, worn, again]
    job = _job(db_session, again)
    assert (job.state, job.message, job.attempts) == (JobState.QUEUED, messages.RESTARTED, 1)
    assert _job(db_session, worn).state is JobState.INTERRUPTED


def test_a_requeued_export_runs_again_once_the_sweep_commits(
    db_session: Session, queue: HueyQueue, held: HeldQueue, tmp_path: Path
) -> None:
    out = tmp_path / "open-data"
    job_id = _system_job(db_session, held, JobKind.EXPORT, {"out": str(out)})
    start_running(db_session, job_id, ago=2 * LEASE)
    swept = sweep_stale_jobs(db_session, queue, lease_seconds=LEASE)
    assert swept.requeued == [job_id]
    assert _job(db_session, job_id).state is JobState.QUEUED
    db_session.commit()  # the real queue, in immediate mode: a worker runs it now
    job = _job(db_session, job_id)
    assert (job.state, job.attempts) == (JobState.DONE, 2)
    assert (out / "datapackage.json").exists()


def test_a_sweep_that_rolls_back_queues_nothing(
    db_session: Session, queue: HueyQueue, held: HeldQueue
) -> None:
    job_id = _system_job(db_session, held, JobKind.EXPORT, {"out": "/nonexistent"})
    start_running(db_session, job_id, ago=2 * LEASE)
    assert sweep_stale_jobs(db_session, held, lease_seconds=LEASE).requeued == [job_id]
    db_session.rollback()
    db_session.commit()
    assert held.held == [job_id]
    assert _job(db_session, job_id).state is JobState.RUNNING


# ---- a worker whose job was taken from it ------------------------------------------


def _taken_away(engine: Engine, values: dict[str, object]) -> Callable[[JobContext], JobResult]:
    """A handler whose job is changed underneath it (a sweep, another worker) before it
    writes its work and returns."""

    def handler(context: JobContext) -> JobResult:
        with Session(engine) as sweeper:
            sweeper.execute(update(Job).where(Job.id == context.job_id).values(**values))
            sweeper.commit()
        factories.make_office(context.work, slug="written-by-the-lost-worker")
        return JobResult({"created": 1})

    return handler


@pytest.mark.parametrize(
    ("values", "state"),
    [
        ({"state": JobState.INTERRUPTED}, JobState.INTERRUPTED),  # a sweep found it stale
        ({"attempts": 2}, JobState.RUNNING),  # queued again and claimed by another worker
    ],
    ids=["interrupted", "claimed-again"],
)
def test_a_worker_whose_job_was_taken_away_rolls_its_work_back(
    db_session: Session,
    engine: Engine,
    queue: HueyQueue,
    held: HeldQueue,
    staff: User,
    values: dict[str, object],
    state: JobState,
) -> None:
    job_id = _import(db_session, staff, held, csv_bytes([GOOD]))
    handlers = {JobKind.IMPORT: _taken_away(engine, values)}
    outcome = run_job(engine, queue, job_id, handlers, worker=WORKER, lease_seconds=LEASE)
    assert outcome is JobState.INTERRUPTED
    job = _job(db_session, job_id)
    assert job.state is state  # as the other side left it, not done
    assert job.result == {}
    assert db_session.scalar(select(Office).where(Office.slug.startswith("written"))) is None


def test_a_worker_told_by_its_progress_that_the_job_is_gone_stops(
    db_session: Session, engine: Engine, queue: HueyQueue, held: HeldQueue, staff: User
) -> None:
    job_id = _import(db_session, staff, held, csv_bytes([GOOD]))
    reached: list[str] = []

    def handler(context: JobContext) -> JobResult:
        with Session(engine) as sweeper:
            sweeper.execute(
                update(Job).where(Job.id == context.job_id).values(state=JobState.INTERRUPTED)
            )
            sweeper.commit()
        context.progress(1, 1, messages.SAVING)  # raises: the job is no longer its
        reached.append("past the progress")
        factories.make_office(context.work, slug="written-by-the-lost-worker")
        return JobResult()

    outcome = run_job(
        engine, queue, job_id, {JobKind.IMPORT: handler}, worker=WORKER, lease_seconds=LEASE
    )
    assert outcome is JobState.INTERRUPTED
    assert reached == []
    job = _job(db_session, job_id)
    assert (job.state, job.message) == (JobState.INTERRUPTED, "")  # its message not written
    assert db_session.scalar(select(Office).where(Office.slug.startswith("written"))) is None


def test_a_lease_is_renewed_while_the_work_runs(
    db_session: Session, engine: Engine, queue: HueyQueue, held: HeldQueue, staff: User
) -> None:
    job_id = _import(db_session, staff, held, csv_bytes([GOOD]))
    beats: list[float | None] = []

    def handler(context: JobContext) -> JobResult:
        first = queue.last_beat(context.job_id)
        time.sleep(0.5)
        beats.extend([first, queue.last_beat(context.job_id)])
        return JobResult()

    run_job(engine, queue, job_id, {JobKind.IMPORT: handler}, worker=WORKER, lease_seconds=1.2)
    first, later = beats
    assert first is not None
    assert later is not None
    assert later > first  # the heartbeat thread beat again (every 0.2 s here)
    assert queue.last_beat(job_id) is None
