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
from noticeboard.models import ImportJob
from noticeboard.services.background import ThreadRunner
from noticeboard.services.imports.jobs import get_job, start_import
from noticeboard.services.imports.template import template_csv, template_xlsx
from noticeboard.services.opinions.queries import entry_choices
from noticeboard.services.permissions import Permission
from noticeboard.web.core.auth import current_staff, requires
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
    # The work starts in a thread of its own once this request commits the job row.
    job = start_import(
        db.session(),
        current_staff(),
        ThreadRunner(),
        filename=upload.filename or "upload",
        law_slug=form.law.data or None,
        dry_run=bool(form.dry_run.data),
        payload=payload,
    )
    return redirect(url_for(".job", job_id=job.id))


@bp.get("/<job_id>")
@requires(Permission.RECORD_OPINIONS)
def job(job_id: str) -> str:
    found = get_job(db.session(), current_staff(), job_id)
    return render_template("staff/opinions/import_job.html", job=found, progress=progress(found))


@bp.get("/<job_id>/status")
@requires(Permission.RECORD_OPINIONS)
def status(job_id: str) -> Response:
    return jsonify(progress(get_job(db.session(), current_staff(), job_id)))


def progress(job: ImportJob) -> dict[str, Any]:
    total = job.total_rows or 0
    if job.status.finished:
        percent = 100
    elif total:
        percent = min(99, int(100 * job.processed_rows / total))
    else:
        percent = 0
    return {
        "status": job.status.value,
        "finished": job.status.finished,
        "processed": job.processed_rows,
        "total": job.total_rows,
        "created": job.created_count,
        "errors": job.error_count,
        "percent": percent,
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
