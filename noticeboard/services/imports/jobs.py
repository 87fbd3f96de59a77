"""Imports as jobs: the upload is kept with the job, and a worker checks and saves it.

The page (or ``import-opinions --background``) stores the file and queues the job; a
worker reads every row, then saves them all in one transaction together with the job's
"done", so a worker killed while saving leaves no opinion behind and the job is
interrupted, never half done.
"""

from __future__ import annotations

import io

from sqlalchemy.orm import Session

from noticeboard.models import Job, JobKind
from noticeboard.services.errors import ServiceError
from noticeboard.services.imports.files import open_table
from noticeboard.services.imports.opinion_import import check_import, save_import
from noticeboard.services.jobs.messages import CHECKING, SAVING, job_message
from noticeboard.services.jobs.queue import JobQueue
from noticeboard.services.jobs.records import create_job
from noticeboard.services.jobs.running import JobContext, JobFailed, JobResult, error_entry
from noticeboard.services.permissions import Actor, Permission, require

BAD_ROWS = job_message("rows with problems: nothing was saved")
BAD_FILE = job_message("the file cannot be read: nothing was saved")
CHECKED = job_message("every row is good: nothing was saved (check only)")
SAVED = job_message("saved")


def start_import(
    session: Session,
    actor: Actor,
    queue: JobQueue,
    *,
    filename: str,
    law_slug: str | None,
    dry_run: bool,
    payload: bytes,
) -> Job:
    """A queued import of ``payload``; a worker starts it once this transaction commits."""
    require(actor, Permission.RECORD_OPINIONS)
    params = {"filename": filename[:255] or "upload", "law_slug": law_slug or None}
    return create_job(
        session,
        actor,
        queue,
        JobKind.IMPORT,
        params={**params, "dry_run": dry_run},
        payload=payload,
    )


def run_import(context: JobContext) -> JobResult:
    """Check every row, then save them all (unless a dry run); JobFailed lists the rows."""
    work, params = context.work, context.params
    try:
        table = open_table(io.BytesIO(context.payload()))
        context.progress(0, table.estimated_rows, CHECKING)
        report = check_import(
            work,
            context.actor,
            table,
            law_slug=params.get("law_slug"),
            progress=lambda rows: context.progress(rows),
        )
    except ServiceError as exc:
        raise JobFailed(BAD_FILE, errors=[error_entry(None, "", exc)]) from None
    if not report.ok:
        errors = [error_entry(e.row, e.column, e.error) for e in report.errors]
        raise JobFailed(BAD_ROWS, errors=errors, error_count=report.error_count)
    if params.get("dry_run"):
        work.rollback()
        return JobResult({"created": 0, "rows": report.rows}, CHECKED, report.rows)
    # End the reading transaction first: SQLite lets a connection write only from a
    # snapshot that is current, and the progress commits have moved it on. From here to
    # the commit nothing else is written: on SQLite the save holds the only write lock.
    work.rollback()
    context.progress(report.rows, report.rows, SAVING)
    save_import(
        work,
        context.actor,
        report,
        source_name=params.get("filename") or "upload",
        law_slug=params.get("law_slug"),
    )
    return JobResult({"created": report.created, "rows": report.rows}, SAVED, report.rows)
