"""Staff: the noticeboard screens of the offices one may set up, with their addresses and
a live preview of each."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user, login_required

from noticeboard.extensions import db
from noticeboard.services.public.boards import board_offices
from noticeboard.services.public.catalogue import public_laws
from noticeboard.web.board.kiosk import LAYOUTS, ROTATE_DEFAULT, ROTATE_MAX, ROTATE_MIN

bp = Blueprint("boards", __name__, url_prefix="/boards")


@bp.get("/")
@login_required
def index() -> str:
    offices = board_offices(db.session(), current_user)
    laws = public_laws(db.session())
    lang = request.args.get("lang") if request.args.get("lang") in ("zh", "en") else None
    law = request.args.get("law") if request.args.get("law") in {law.slug for law in laws} else None
    layout = request.args.get("layout") if request.args.get("layout") in LAYOUTS else None
    rotate = request.args.get("rotate", type=int)
    rotate = max(ROTATE_MIN, min(ROTATE_MAX, rotate)) if rotate else None
    options = {
        "lang": lang,
        "law": law,
        "layout": layout,
        "rotate": rotate if rotate != ROTATE_DEFAULT else None,
    }
    boards = [
        (office, url_for("board.kiosk", slug=office.slug, _external=True, **options))
        for office in offices
    ]
    return render_template(
        "staff/boards.html",
        boards=boards,
        laws=laws,
        options=options,
        portrait=layout == "portrait",
    )
