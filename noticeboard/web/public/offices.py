"""Public office pages: every outreach office, and one office's record."""

from __future__ import annotations

from flask import Blueprint, render_template

from noticeboard.extensions import db
from noticeboard.services.public.office_pages import office_directory, office_record
from noticeboard.web.public.home import cached

bp = Blueprint("offices", __name__, url_prefix="/offices")


@bp.get("")
def index() -> str:
    entries = cached("office-directory", lambda: office_directory(db.session()))
    return render_template("public/offices/index.html", entries=entries)


@bp.get("/<slug>")
def show(slug: str) -> str:
    return render_template("public/offices/show.html", record=office_record(db.session(), slug))
