"""A law's adoption board: the public's suggestions that made it into the text."""

from __future__ import annotations

from flask import Blueprint, render_template

from noticeboard.extensions import db
from noticeboard.services.adoption_board import law_adoptions
from noticeboard.web import public_labels

bp = Blueprint("adoptions", __name__, url_prefix="/laws")
public_labels.install(bp)


@bp.get("/<slug>/adopted")
def law_board(slug: str) -> str:
    return render_template("laws/adopted.html", page=law_adoptions(db.session(), slug))
