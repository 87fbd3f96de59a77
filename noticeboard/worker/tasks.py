"""What the queue's tasks do, inside the app: run one job, sweep for dead workers' jobs."""

from __future__ import annotations

import logging

from flask import Flask

from noticeboard.extensions import db
from noticeboard.services.jobs.handlers import job_handlers
from noticeboard.services.jobs.queue import JobQueue
from noticeboard.services.jobs.reaping import sweep_stale_jobs
from noticeboard.services.jobs.running import run_job
from noticeboard.worker.queue import worker_name

log = logging.getLogger(__name__)


def run_job_in_app(app: Flask, queue: JobQueue, job_id: str) -> None:
    with app.app_context():
        run_job(
            db.engine,
            queue,
            job_id,
            job_handlers(),
            worker=worker_name(),
            lease_seconds=app.config["JOB_LEASE_SECONDS"],
        )


def sweep_in_app(app: Flask, queue: JobQueue) -> None:
    """Interrupt, or queue again, the running jobs whose worker stopped renewing its lease.
    A sweep that meets a busy database tries again at the next one."""
    from sqlalchemy.exc import OperationalError

    with app.app_context():
        session = db.session()
        try:
            sweep_stale_jobs(session, queue, lease_seconds=app.config["JOB_LEASE_SECONDS"])
            session.commit()
        except OperationalError as exc:
            session.rollback()
            log.warning("sweep for stopped jobs skipped: %s", exc.orig)
        finally:
            db.session.remove()


def backfill_in_app(app: Flask, queue: JobQueue) -> None:
    """Queue matching for every law with opinions never grouped or matched: after an
    upgrade, or opinions recorded while the queue was away."""
    from noticeboard.services.errors import ServiceError
    from noticeboard.services.triage.staleness import laws_needing_triage, queue_triage

    if not app.config["TRIAGE_ON_RECORD"]:
        return
    with app.app_context():
        session = db.session()
        try:
            for law_id in laws_needing_triage(session):
                queue_triage(session, queue, law_id)
            session.commit()
        except ServiceError as exc:
            session.rollback()
            log.warning("matching backfill not queued: %s", exc)
        finally:
            db.session.remove()
