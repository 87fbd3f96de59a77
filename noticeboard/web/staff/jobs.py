"""``/staff/jobs``: recent background jobs, their state and who started them, and a
button to start again a job that stopped without saving anything."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from noticeboard.extensions import db
from noticeboard.models import Job, JobKind
from noticeboard.services.errors import NotFound, QueueUnavailable, ServiceError
from noticeboard.services.jobs.queue import QUEUE_EXTENSION, JobQueue
from noticeboard.services.jobs.records import (
    JobView,
    get_job,
    recent_jobs,
    retry_job,
    retry_safe,
    view_job,
)
from noticeboard.services.permissions import Permission
from noticeboard.web.core.auth import current_staff, requires
from noticeboard.web.core.errors import translate_error
from noticeboard.web.core.transaction import form_failed

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


class RetryForm(FlaskForm):
    """The retry button: a POST with its CSRF token and nothing else."""


def job_queue() -> JobQueue:
    queue: JobQueue = current_app.extensions[QUEUE_EXTENSION]
    return queue


def shown(job: Job) -> JobView:
    """The job as pages show it: a running job whose lease lapsed shows as interrupted."""
    return view_job(job, job_queue(), current_app.config["JOB_LEASE_SECONDS"])


def job_page_url(job: Job) -> str:
    if job.kind is JobKind.IMPORT:
        return url_for("staff.imports.job", job_id=job.id)
    return url_for("staff.jobs.index", _anchor=f"job-{job.id}")


@bp.get("")
@requires(Permission.RECORD_OPINIONS)
def index() -> str:
    session = db.session()
    jobs = recent_jobs(session, current_staff())
    views = [shown(job) for job in jobs]
    retryable = {job.id for job in jobs if retry_safe(session, job)}
    try:
        job_queue().check()
        queue_down = ""
    except QueueUnavailable as exc:
        queue_down = translate_error(exc)
    return render_template(
        "staff/jobs/index.html",
        queue_down=queue_down,
        views=views,
        retryable=retryable,
        links={job.id: job_page_url(job) for job in jobs},
        form=RetryForm(),
    )


@bp.post("/<job_id>/retry")
@requires(Permission.RECORD_OPINIONS)
def retry(job_id: str) -> Response:
    if not RetryForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return redirect(url_for(".index"))
    session = db.session()
    try:
        job = retry_job(session, current_staff(), job_queue(), job_id)
    except NotFound:
        raise  # a job this account may not see: as if it did not exist (404)
    except ServiceError as exc:
        form_failed(exc)
        return redirect(url_for(".index"))
    flash(_("The job is queued again."), "success")
    return redirect(job_page_url(get_job(session, current_staff(), job.id)))
