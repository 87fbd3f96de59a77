"""The migrations build exactly the models' schema, on every engine, from one head, and
carry the data they move."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import MetaData, Table, insert, inspect, select
from sqlalchemy.orm import Session

from noticeboard import create_app
from noticeboard.app import resource_dir
from noticeboard.extensions import db
from noticeboard.models import Job, JobKind, JobState
from noticeboard.services.jobs.messages import CHECKING, INTERRUPTED, SAVING
from noticeboard.services.jobs.reaping import sweep_stale_jobs
from noticeboard.worker.queue import job_queue
from tests import factories
from tests.conftest import ENGINES, TEST_CONFIG


def test_single_head() -> None:
    config = Config()
    config.set_main_option("script_location", str(resource_dir("migrations")))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_upgrade_from_empty_gives_the_models_schema(
    engine: str, empty_database: Callable[[str], str]
) -> None:
    app = create_app({**TEST_CONFIG, "DATABASE_URL": empty_database(engine)})
    with app.app_context():
        directory = app.extensions["migrate"].directory
        upgrade(directory=directory)
        with db.engine.connect() as conn:
            differences = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata
            )
        assert differences == []

        # And the way back works, so a bad release can be rolled back.
        downgrade(directory=directory, revision="base")
        with db.engine.connect() as conn:
            remaining = set(inspect(conn).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        db.engine.dispose()


BEFORE_JOBS = "a3c5e7f9b1d2"  # the last revision with import_job


@pytest.mark.parametrize("engine", ENGINES)
def test_import_jobs_become_jobs_on_the_queue(
    engine: str, empty_database: Callable[[str], str]
) -> None:
    """Each import_job row becomes an import job: queued, checking and saving (their
    threads are gone) running with the phase as message, so the first sweep interrupts
    them; done and failed as they were."""
    app = create_app({**TEST_CONFIG, "DATABASE_URL": empty_database(engine)})
    created = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    finished = datetime(2026, 11, 30, 9, 5, tzinfo=UTC)
    old = {
        "queued": ("q" * 32, "queued.csv", None, False, None, 0, 0, 0, [], "", None),
        "checking": ("c" * 32, "checking.csv", "minors", False, 1000, 400, 0, 0, [], "", None),
        "saving": ("s" * 32, "saving.csv", None, False, 20, 20, 0, 0, [], "", None),
        "done": ("d" * 32, "done.csv", "minors", True, 3, 3, 3, 0, [], "", finished),
        "failed": (
            "f" * 32,
            "bad.csv",
            None,
            False,
            2,
            2,
            0,
            1,
            [{"row": 3, "column": "received_on", "template": "Not a date", "params": {}}],
            "",
            finished,
        ),
    }
    with app.app_context():
        directory = app.extensions["migrate"].directory
        upgrade(directory=directory, revision=BEFORE_JOBS)
        with Session(db.engine) as session:  # the account table is as it is today
            user_id = factories.make_user(session, role="office").id
            session.commit()
        import_job = Table("import_job", MetaData(), autoload_with=db.engine)
        with db.engine.begin() as conn:
            for status, row in old.items():
                job_id, name, law, dry, total, processed, made, count, errors, msg, end = row
                conn.execute(
                    insert(import_job).values(
                        id=job_id,
                        user_id=user_id,
                        filename=name,
                        law_slug=law,
                        dry_run=dry,
                        status=status,
                        total_rows=total,
                        processed_rows=processed,
                        created_count=made,
                        error_count=count,
                        errors=errors,
                        message=msg,
                        created_at=created,
                        finished_at=end,
                    )
                )

        upgrade(directory=directory)

        assert "import_job" not in inspect(db.engine).get_table_names()
        with Session(db.engine) as session:
            jobs = {job.id: job for job in session.scalars(select(Job))}
            assert set(jobs) == {row[0] for row in old.values()}
            got = {
                status: (
                    jobs[row[0]].kind,
                    jobs[row[0]].state,
                    jobs[row[0]].message,
                    jobs[row[0]].params,
                    jobs[row[0]].result,
                    (jobs[row[0]].processed, jobs[row[0]].total, jobs[row[0]].error_count),
                )
                for status, row in old.items()
            }
            assert got == {
                # Its thread never started and no queue holds it: swept like the others.
                "queued": (
                    JobKind.IMPORT,
                    JobState.RUNNING,
                    "",
                    {"filename": "queued.csv", "law_slug": None, "dry_run": False},
                    {"created": 0},
                    (0, None, 0),
                ),
                "checking": (
                    JobKind.IMPORT,
                    JobState.RUNNING,
                    CHECKING,
                    {"filename": "checking.csv", "law_slug": "minors", "dry_run": False},
                    {"created": 0},
                    (400, 1000, 0),
                ),
                "saving": (
                    JobKind.IMPORT,
                    JobState.RUNNING,
                    SAVING,
                    {"filename": "saving.csv", "law_slug": None, "dry_run": False},
                    {"created": 0},
                    (20, 20, 0),
                ),
                "done": (
                    JobKind.IMPORT,
                    JobState.DONE,
                    "",
                    {"filename": "done.csv", "law_slug": "minors", "dry_run": True},
                    {"created": 3},
                    (3, 3, 0),
                ),
                "failed": (
                    JobKind.IMPORT,
                    JobState.FAILED,
                    "",
                    {"filename": "bad.csv", "law_slug": None, "dry_run": False},
                    {"created": 0},
                    (2, 2, 1),
                ),
            }
            failed = jobs["f" * 32]
            assert failed.errors == old["failed"][8]
            assert {job.user_id for job in jobs.values()} == {user_id}
            assert {job.created_at for job in jobs.values()} == {created}
            assert (failed.finished_at, failed.started_at, failed.attempts) == (finished, None, 0)
            running = [jobs["q" * 32], jobs["c" * 32], jobs["s" * 32]]
            assert [(j.started_at, j.attempts) for j in running] == [(created, 1)] * 3

            # The first worker's sweep finds them: their lease lapsed long ago.
            swept = sweep_stale_jobs(session, job_queue(app), lease_seconds=60)
            session.commit()
            assert sorted(swept.interrupted) == ["c" * 32, "q" * 32, "s" * 32]
            states = {j.id: (j.state, j.message) for j in session.scalars(select(Job))}
            for unfinished in ("q", "c", "s"):
                assert states[unfinished * 32] == (JobState.INTERRUPTED, INTERRUPTED)
            assert states["d" * 32] == (JobState.DONE, "")

        downgrade(directory=directory, revision=BEFORE_JOBS)
        tables = set(inspect(db.engine).get_table_names())
        assert "import_job" in tables
        assert not tables & {"job", "job_payload"}
        db.engine.dispose()
