"""Staff area: login, logout and the dashboard."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from noticeboard.extensions import db, limiter
from noticeboard.services.accounts import authenticate
from noticeboard.web.forms import LoginForm

bp = Blueprint("staff", __name__, url_prefix="/staff")


def _login_limit() -> str:
    return str(current_app.config["RATELIMIT_LOGIN"])


def _safe_next(target: str | None) -> str:
    """Only same-site paths: a crafted ?next= must not send staff to another site."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("staff.dashboard")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login() -> Response | str | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for("staff.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(
            db.session(),
            form.email.data or "",
            form.password.data or "",
            current_app.extensions["noticeboard.hasher"],
        )
        if user is not None:
            # A fresh session at login: nothing from before survives (session fixation).
            session.clear()
            login_user(user)
            session.permanent = True
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
        flash(_("Wrong email or password."), "error")
        return render_template("staff/login.html", form=form), 401
    return render_template("staff/login.html", form=form)


@bp.post("/logout")
def logout() -> Response:
    # CSRFProtect has checked the token before we get here.
    logout_user()
    session.clear()
    return redirect(url_for("public.home"))


@bp.get("/")
@login_required
def dashboard() -> str:
    return render_template("staff/dashboard.html")
