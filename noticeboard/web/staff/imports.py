"""Bulk import pages: upload, a progress bar while the rows are checked and saved, the
report by row number, and the templates to fill in."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    jsonify,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from noticeboard.extensions import db
from noticeboard.models import Job, JobKind, JobState
from noticeboard.services.errors import QueueUnavailable
from noticeboard.services.imports.jobs import start_import
from noticeboard.services.imports.template import template_csv, template_xlsx
from noticeboard.services.jobs.messages import CHECKING, SAVING
from noticeboard.services.jobs.records import get_job, retry_safe
from noticeboard.services.opinions.queries import entry_choices
from noticeboard.services.permissions import Permission
from noticeboard.web.core.auth import current_staff, requires
from noticeboard.web.core.transaction import form_failed
from noticeboard.web.staff.jobs import RetryForm, job_queue, shown
from noticeboard.web.staff.opinion_forms import ImportForm

bp = Blueprint("imports", __name__, url_prefix="/opinions/import")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form() -> ImportForm:
    form = ImportForm()
    laws = {v.law.slug: v.law.title for v in entry_choices(db.session(), current_staff()).versions}
    blank = SelectChoice("", _("The file names the law in a column"))
    form.law.choices = [blank] + [SelectChoice(slug, title) for slug, title in laws.items()]
    return form


@bp.get("")
@requires(Permission.RECORD_OPINIONS)
def start() -> str:
    return render_template("staff/opinions/import.html", form=_form())


@bp.post("")
@requires(Permission.RECORD_OPINIONS)
def upload() -> Response | tuple[str, int]:
    form = _form()
    if not form.validate_on_submit():
        return render_template("staff/opinions/import.html", form=form), 422
    upload = form.upload.data
    payload = upload.read()  # at most MAX_CONTENT_LENGTH: the server refused anything larger
    try:
        # Stored with the job; a worker starts it once this request commits.
        job = start_import(
            db.session(),
            current_staff(),
            job_queue(),
            filename=upload.filename or "upload",
            law_slug=form.law.data or None,
            dry_run=bool(form.dry_run.data),
            payload=payload,
        )
    except QueueUnavailable as exc:
        form_failed(exc)
        return render_template("staff/opinions/import.html", form=form), 503
    return redirect(url_for(".job", job_id=job.id))


@bp.get("/<job_id>")
@requires(Permission.RECORD_OPINIONS)
def job(job_id: str) -> str:
    session = db.session()
    found = get_job(session, current_staff(), job_id, JobKind.IMPORT)
    return render_template(
        "staff/opinions/import_job.html",
        job=found,
        progress=progress(found),
        retryable=retry_safe(session, found),
        retry_form=RetryForm(),
    )


@bp.get("/<job_id>/status")
@requires(Permission.RECORD_OPINIONS)
def status(job_id: str) -> Response:
    return jsonify(progress(get_job(db.session(), current_staff(), job_id, JobKind.IMPORT)))


def progress(job: Job) -> dict[str, Any]:
    """What the page polls: the state (as its lease implies), the phase and the counts."""
    view = shown(job)
    phases = {CHECKING: "checking", SAVING: "saving"}
    phase = phases.get(view.message, "checking") if view.state is JobState.RUNNING else ""
    return {
        "state": view.state.value,
        "phase": "queued" if view.state is JobState.QUEUED else phase,
        "message": view.message,
        "finished": view.state.finished,
        "processed": job.processed,
        "total": job.total,
        "created": job.result.get("created", 0),
        "errors": job.error_count,
        "percent": int(100 * view.progress),
    }


@bp.get("/template.csv")
@requires(Permission.RECORD_OPINIONS)
def template_as_csv() -> Response:
    return Response(
        template_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=opinions-template.csv"},
    )


@bp.get("/template.xlsx")
@requires(Permission.RECORD_OPINIONS)
def template_as_xlsx() -> Response:
    return Response(
        template_xlsx(),
        mimetype=XLSX,
        headers={"Content-Disposition": "attachment; filename=opinions-template.xlsx"},
    )
