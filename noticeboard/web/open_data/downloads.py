"""``/open-data``: the bulk downloads (CSV and JSON for everyone, one XLSX workbook for
staff), their data dictionary, and a Frictionless ``datapackage.json``."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, abort, render_template, stream_with_context, url_for
from flask_login import login_required

from noticeboard.extensions import db
from noticeboard.services.open_data import datasets as open_data
from noticeboard.services.open_data import dictionary
from noticeboard.services.open_data.files import csv_cells, csv_chunks, json_chunks
from noticeboard.web.core.exports import xlsx_response

bp = Blueprint("open_data", __name__, url_prefix="/open-data")
MAX_AGE = 300
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


@bp.get("")
def index() -> str:
    return render_template(
        "open_data/index.html",
        datasets=dictionary.DATASETS,
        columns=dictionary.COLUMNS,
        formats=FORMATS,
    )


@bp.get("/<dataset>.<fmt>")
def download(dataset: str, fmt: str) -> Response:
    if dataset not in open_data.DATASETS or fmt not in FORMATS:
        abort(404)
    # The scoped session, not the Session behind it now: the stream runs after the view
    # returned (and its session was removed), and the session it opens must be the one
    # removed when the stream ends, or its connection stays idle in a transaction.
    session: Any = db.session
    if fmt == "csv":
        chunks = csv_chunks(open_data.COLUMNS[dataset], open_data.rows(session, dataset))
    else:
        chunks = json_chunks(open_data.records(session, dataset))
    response = Response(stream_with_context(chunks), mimetype=FORMATS[fmt].split(";")[0])
    response.headers["Content-Type"] = FORMATS[fmt]
    response.headers["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(f'noticeboard-{dataset}.{fmt}')}"
    )
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/noticeboard.xlsx")
@login_required
def workbook() -> Response:
    session = db.session()
    sheets = (
        (name, open_data.COLUMNS[name], csv_cells(open_data.rows(session, name)))
        for name in open_data.DATASETS
    )
    response = xlsx_response("noticeboard-open-data.xlsx", sheets)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/datapackage.json")
def datapackage() -> Response:
    base = url_for("open_data.index", _external=True) + "/"
    response = Response(
        json.dumps(dictionary.datapackage(base), ensure_ascii=False, indent=2),
        mimetype="application/json",
    )
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response
