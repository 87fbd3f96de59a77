"""A law's adoption board: the public's suggestions that made it into the text."""

from __future__ import annotations

from flask import Blueprint, render_template

from noticeboard.extensions import db
from noticeboard.services.public.adoption_board import law_adoptions

bp = Blueprint("adoptions", __name__, url_prefix="/laws")


@bp.get("/<slug>/adopted")
def law_board(slug: str) -> str:
    return render_template("public/laws/adopted.html", page=law_adoptions(db.session(), slug))
