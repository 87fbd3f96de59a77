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
from noticeboard.services.accounts import users as accounts
from noticeboard.services.accounts.users import authenticate
from noticeboard.web.core.auth import current_staff
from noticeboard.web.core.security import no_store
from noticeboard.web.staff.forms import LoginForm

bp = Blueprint("staff", __name__, url_prefix="/staff")
# Every staff answer, its child blueprints' too (pages, exports with names and contacts,
# printable slips), is private: never cached anywhere.
bp.after_request(no_store)


def _login_limit() -> str:
    return str(current_app.config["RATELIMIT_LOGIN"])


def _account_limit() -> str:
    return str(current_app.config["RATELIMIT_LOGIN_ACCOUNT"])


def _account_key() -> str:
    """Attempts on one account, from any address: slows guessing one staff password
    from many machines."""
    return "login-account:" + accounts.normalise_email(request.form.get("email", ""))[:254]


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
@limiter.limit(_account_limit, key_func=_account_key, methods=["POST"])
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
            return redirect(_safe_next(request.args.get("next")))
        flash(_("Wrong email or password."), "error")
        return render_template("staff/login.html", form=form), 401
    return render_template("staff/login.html", form=form)


@bp.post("/sign-out-everywhere")
@login_required
def sign_out_everywhere() -> Response:
    accounts.sign_out_everywhere(db.session(), current_staff(), current_staff())
    logout_user()
    session.clear()
    flash(_("You were signed out on every device."), "success")
    return redirect(url_for("staff.login"))


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
