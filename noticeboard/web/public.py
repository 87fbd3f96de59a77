"""Public pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from noticeboard.extensions import db
from noticeboard.services.catalogue import headline_counters, public_laws

bp = Blueprint("public", __name__)


@bp.get("/")
def home() -> str:
    return render_template(
        "public/home.html", laws=public_laws(db.session()), counters=headline_counters(db.session())
    )
