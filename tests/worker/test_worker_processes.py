"""Jobs on real worker processes: a worker killed while saving, two workers on one queue,
and a worker that cannot start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from noticeboard.extensions import db
from noticeboard.models import JobState
from noticeboard.services.accounts.offices import create_collection_point
from noticeboard.services.imports.jobs import start_import
from noticeboard.services.jobs.messages import INTERRUPTED, SAVING
from noticeboard.services.jobs.records import retry_job
from noticeboard.services.permissions import SYSTEM
from noticeboard.worker.queue import job_queue
from tests import factories
from tests.services.imports.test_opinion_import import GOOD, csv_bytes
from tests.worker.conftest import LEASE_SECONDS, WorkerSite


def _world(site: WorkerSite) -> None:
    with site.session() as session:
        law = factories.make_law(session, slug="minors")
        factories.make_version(session, law, label="一审稿")
        office = factories.make_office(session, slug="hongqiao")
        create_collection_point(session, SYSTEM, office, slug="teahouse", name="社区茶馆")
        session.commit()


def _queue_import(site: WorkerSite, rows: int, name: str = "opinions.csv") -> str:
    with site.app.app_context():
        session = db.session()
        job = start_import(
            session,
            SYSTEM,
            job_queue(site.app),
            filename=name,
            law_slug=None,
            dry_run=False,
            payload=csv_bytes([GOOD] * rows),
        )
        session.commit()
        job_id = job.id
        db.session.remove()
    return job_id


def test_a_worker_killed_while_saving_leaves_nothing_and_the_retry_saves_once(
    worker_site: WorkerSite,
) -> None:
    _world(worker_site)
    rows = 15_000  # about a second of saving on either engine: time to catch it there
    worker_site.start_worker()
    job_id = _queue_import(worker_site, rows)
    saving = worker_site.wait_for(
        job_id, lambda j: j.state is JobState.RUNNING and j.message == SAVING, poll=0.01
    )
    os.kill(int(saving.worker.rsplit(":", 1)[1]), signal.SIGKILL)
    # The killed process's transaction is gone with it: nothing of the import is saved.
    time.sleep(0.5)
    assert worker_site.opinions() == 0

    interrupted = worker_site.wait_for(
        job_id, lambda j: j.state is not JobState.RUNNING, timeout=LEASE_SECONDS * 10
    )
    assert (interrupted.state, interrupted.message) == (JobState.INTERRUPTED, INTERRUPTED)
    assert worker_site.opinions() == 0

    # The consumer replaced its dead process; the retry runs the same file once more.
    with worker_site.app.app_context():
        session = db.session()
        retry_job(session, SYSTEM, job_queue(worker_site.app), job_id)
        session.commit()
        db.session.remove()
    done = worker_site.wait_for(job_id, lambda j: j.state.finished, timeout=120)
    assert (done.state, done.result["created"], done.attempts) == (JobState.DONE, rows, 2)
    assert worker_site.opinions() == rows


def test_two_workers_on_one_queue_run_each_job_once(worker_site: WorkerSite) -> None:
    _world(worker_site)
    worker_site.start_worker()
    worker_site.start_worker()
    jobs = [_queue_import(worker_site, 30, f"batch-{n}.csv") for n in range(8)]
    # The same job delivered twice (a message sent again, a retry pressed twice) is
    # claimed by one worker only.
    with worker_site.app.app_context():
        job_queue(worker_site.app).enqueue(jobs[0])
        job_queue(worker_site.app).enqueue(jobs[1])
    finished = [worker_site.wait_for(job_id, lambda j: j.state.finished) for job_id in jobs]
    assert [job.state for job in finished] == [JobState.DONE] * 8
    assert [job.attempts for job in finished] == [1] * 8
    assert worker_site.opinions() == 8 * 30
    time.sleep(1)  # the second delivery of jobs[0] and jobs[1] has been seen and skipped
    assert worker_site.opinions() == 8 * 30
    assert {job.worker for job in finished} <= {
        f"{os.uname().nodename}:{pid}" for pid in _worker_pids(worker_site)
    }


def _worker_pids(site: WorkerSite) -> set[int]:
    """The consumers' own ids and their worker processes' (children) ids."""
    pids = {process.pid for process in site.workers}
    for pid in list(pids):
        children = Path(f"/proc/{pid}/task/{pid}/children")
        if children.exists():
            pids.update(int(c) for c in children.read_text().split())
    return pids


def _start_failing(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "noticeboard", "worker"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_worker_that_cannot_reach_the_database_says_so_in_one_line(
    worker_site: WorkerSite,
) -> None:
    env = {
        **worker_site.env,
        "NOTICEBOARD_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
    }
    result = _start_failing(env)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 1
    assert lines[-1].startswith("Error: worker not started: cannot reach the database:"), lines
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_worker_that_cannot_reach_redis_says_so_in_one_line(worker_site: WorkerSite) -> None:
    env = {**worker_site.env, "NOTICEBOARD_REDIS_URL": "redis://127.0.0.1:1/0"}
    result = _start_failing(env)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 1
    assert lines[-1].startswith("Error: worker not started: cannot reach the job queue at Redis"), (
        lines
    )
    assert "Traceback" not in result.stderr
