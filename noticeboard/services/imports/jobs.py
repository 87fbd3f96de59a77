"""Imports started from the web: a job row, and the work done off the request.

The page uploads the file, gets a job id and polls the job row for progress. The work
runs with two sessions: one reads and writes the opinions in a single transaction (all
or nothing), the other commits progress as it goes, so the page sees it at once.
"""

from __future__ import annotations

import io
import logging
import secrets
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from noticeboard.models import ImportJob, ImportStatus, Role, User, utcnow
from noticeboard.services.background import BackgroundRunner, run_after_commit
from noticeboard.services.errors import NotFound, ServiceError, ValidationFailed
from noticeboard.services.imports.files import open_table
from noticeboard.services.imports.opinion_import import check_import, save_import
from noticeboard.services.permissions import Actor, Permission, require

log = logging.getLogger(__name__)
MAX_STORED_ERRORS = 300  # the page shows these; the count says how many in all
PROGRESS_INTERVAL = 0.25  # seconds between progress commits


def create_job(
    session: Session, actor: Actor, *, filename: str, law_slug: str | None, dry_run: bool
) -> ImportJob:
    require(actor, Permission.RECORD_OPINIONS)
    job = ImportJob(
        id=secrets.token_hex(16),
        user_id=actor.id,
        filename=filename[:255] or "upload",
        law_slug=law_slug or None,
        dry_run=dry_run,
    )
    session.add(job)
    session.flush()
    return job


def start_import(
    session: Session,
    actor: Actor,
    runner: BackgroundRunner,
    *,
    filename: str,
    law_slug: str | None,
    dry_run: bool,
    payload: bytes,
) -> ImportJob:
    """A new import job whose work ``runner`` starts once this transaction commits.

    The work opens sessions of its own on the same database (one for the rows, one for
    progress), so it outlives the request that started it."""
    job = create_job(session, actor, filename=filename, law_slug=law_slug, dry_run=dry_run)
    engine = session.get_bind()
    job_id = job.id

    def work() -> None:
        run_import_job(lambda: Session(engine, expire_on_commit=False), job_id, payload)

    run_after_commit(session, runner, work, name=f"import-{job_id[:8]}")
    return job


def get_job(session: Session, actor: Actor, job_id: str) -> ImportJob:
    """A job, for the staff member who started it (and admins)."""
    require(actor, Permission.RECORD_OPINIONS)
    job = session.get(ImportJob, job_id)
    mine = job is not None and (
        job.user_id == actor.id or (isinstance(actor, User) and actor.role is Role.ADMIN)
    )
    if job is None or not mine:
        raise NotFound("No such import.")
    return job


def error_entry(row: int | None, column: str, error: ServiceError) -> dict[str, Any]:
    """A stored error: the English template and its values, translated when shown."""
    return {"row": row, "column": column, "template": error.template, "params": error.params}


def run_import_job(make_session: Callable[[], Session], job_id: str, payload: bytes) -> None:
    """Do the import of ``job_id``; every outcome ends up on the job row, never raised."""
    with make_session() as tracker, make_session() as work:
        job = tracker.get(ImportJob, job_id)
        if job is None:
            return
        try:
            _run(tracker, work, job, payload)
        except Exception:
            log.exception("import %s failed", job_id)
            work.rollback()
            tracker.rollback()
            error = ValidationFailed("The import stopped on an error; nothing was saved.")
            _finish(tracker, job, ImportStatus.FAILED, errors=[error_entry(None, "", error)])


def _run(tracker: Session, work: Session, job: ImportJob, payload: bytes) -> None:
    actor = work.get(User, job.user_id) if job.user_id is not None else None
    if actor is None or not actor.is_active:
        error = ValidationFailed("The account that started the import is gone.")
        _finish(tracker, job, ImportStatus.FAILED, errors=[error_entry(None, "", error)])
        return
    job.status = ImportStatus.CHECKING
    tracker.commit()
    last = time.monotonic()

    def progress(rows: int) -> None:
        nonlocal last
        if time.monotonic() - last >= PROGRESS_INTERVAL:
            job.processed_rows = rows
            tracker.commit()
            last = time.monotonic()

    try:
        table = open_table(io.BytesIO(payload))
        job.total_rows = table.estimated_rows
        tracker.commit()
        report = check_import(work, actor, table, law_slug=job.law_slug, progress=progress)
    except ServiceError as exc:
        work.rollback()
        _finish(tracker, job, ImportStatus.FAILED, errors=[error_entry(None, "", exc)])
        return
    job.processed_rows = job.total_rows = report.rows
    job.error_count = report.error_count
    if not report.ok or job.dry_run:
        work.rollback()
        errors = [error_entry(e.row, e.column, e.error) for e in report.errors]
        status = ImportStatus.DONE if report.ok else ImportStatus.FAILED
        _finish(tracker, job, status, errors=errors[:MAX_STORED_ERRORS])
        return

    # End the reading transaction first: SQLite lets a connection write only from a
    # snapshot that is current, and the progress commits have moved it on.
    work.rollback()
    job.status = ImportStatus.SAVING
    tracker.commit()
    save_import(work, actor, report, source_name=job.filename, law_slug=job.law_slug)
    # The job is marked done in the same transaction as the rows it saved.
    done = work.get(ImportJob, job.id)
    assert done is not None
    done.status = ImportStatus.DONE
    done.created_count = report.created
    done.processed_rows = done.total_rows = report.rows
    done.finished_at = utcnow()
    work.commit()
    tracker.expire(job)


def _finish(
    tracker: Session, job: ImportJob, status: ImportStatus, *, errors: list[dict[str, Any]]
) -> None:
    job.status = status
    job.errors = errors
    job.error_count = max(job.error_count, len(errors))
    job.finished_at = utcnow()
    tracker.commit()
