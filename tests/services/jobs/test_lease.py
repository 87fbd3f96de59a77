"""A running job's lease, read the same whatever the machine's own time zone."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from noticeboard.models import Job, JobKind, JobState
from noticeboard.services.jobs.records import lease_expired, view_job
from noticeboard.worker.queue import job_queue


@pytest.fixture
def shanghai_clock() -> Iterator[None]:
    """The process's local time zone set to UTC+8, as on a server configured for China."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ")
    else:
        os.environ["TZ"] = before
    time.tzset()


def _running(session: Session, started: datetime) -> Job:
    job = Job(id="a" * 32, kind=JobKind.EXPORT, state=JobState.RUNNING, started_at=started)
    session.add(job)
    session.commit()
    session.expire_all()  # read back from the database
    found = session.get(Job, job.id)
    assert found is not None
    return found


@pytest.mark.usefixtures("shanghai_clock")
def test_a_job_just_started_is_not_stale_on_a_server_eight_hours_ahead(
    app: Flask, db_session: Session
) -> None:
    queue = job_queue(app)
    job = _running(db_session, datetime.now(UTC))
    assert not lease_expired(job, queue, lease_seconds=60, now=time.time())
    assert view_job(job, queue, 60).state is JobState.RUNNING


def test_a_job_whose_lease_lapsed_shows_interrupted_before_any_sweep(
    app: Flask, db_session: Session
) -> None:
    queue = job_queue(app)
    job = _running(db_session, datetime.now(UTC) - timedelta(minutes=5))
    assert lease_expired(job, queue, lease_seconds=60, now=time.time())
    assert view_job(job, queue, 60).state is JobState.INTERRUPTED
    queue.beat(job.id)  # its worker speaks again: the lease is renewed
    assert not lease_expired(job, queue, lease_seconds=60, now=time.time())
    assert db_session.get(Job, job.id).state is JobState.RUNNING  # type: ignore[union-attr]
