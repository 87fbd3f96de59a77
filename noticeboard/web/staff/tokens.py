"""Staff screens for API tokens: each staff member makes and revokes their own; admins
see and revoke everyone's. A new token is shown once, on the answer to the form."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from noticeboard.extensions import db
from noticeboard.models import Role
from noticeboard.services.accounts.api_tokens import create_token, list_tokens, revoke_token
from noticeboard.services.errors import ValidationFailed
from noticeboard.web.core.auth import current_staff
from noticeboard.web.core.errors import translate_error
from noticeboard.web.core.transaction import discard_request

bp = Blueprint("tokens", __name__, url_prefix="/tokens")


def _page(status: int = 200, **context: object) -> tuple[str, int]:
    staff = current_staff()
    html = render_template(
        "staff/tokens.html",
        tokens=list_tokens(db.session(), staff),
        everyone=staff.role is Role.ADMIN,
        **context,
    )
    return html, status


@bp.get("")
@login_required
def index() -> tuple[str, int]:
    return _page()


@bp.post("")
@login_required
def create() -> tuple[str, int]:
    name = request.form.get("name", "")
    try:
        made = create_token(db.session(), current_staff(), name)
    except ValidationFailed as exc:
        discard_request()
        return _page(422, error=translate_error(exc), name=name)
    # The secret is in this answer only: like every staff answer, it is never cached
    # (``home.bp``'s no_store).
    return _page(201, secret=made.secret, made=made.token)


@bp.post("/<int:token_id>/revoke")
@login_required
def revoke(token_id: int) -> Response:
    token = revoke_token(db.session(), current_staff(), token_id)
    flash(_("Token “%(name)s” revoked.", name=token.name), "success")
    return redirect(url_for("staff.tokens.index"))
