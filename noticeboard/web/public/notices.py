"""``/notices/unsubscribe/<token>``: the link in every outcome notice. Opening it only
asks (mail scanners open links); the button, or the mail program's own one-click POST
(RFC 8058, ``List-Unsubscribe=One-Click``), stops the messages and erases the contact.

The one-click POST carries no CSRF token, so the route is exempt: the unguessable token
in the address is the credential, and all it can do is withdraw a consent. Every answer
is kept out of caches and sends no Referer, so the address does not travel on.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from werkzeug.wrappers import Response

from noticeboard.extensions import csrf, db
from noticeboard.services.notices.unsubscribe import find_by_token, is_unsubscribed, unsubscribe
from noticeboard.web.core.security import no_store

bp = Blueprint("notices", __name__, url_prefix="/notices")

TEMPLATE = "public/notices/unsubscribe.html"


@bp.get("/unsubscribe/<token>")
def unsubscribe_page(token: str) -> str:
    notice = find_by_token(db.session(), token)
    if notice is None:
        abort(404)
    state = "already" if is_unsubscribed(db.session(), notice) else "ask"
    return render_template(TEMPLATE, state=state, token=token)


@bp.post("/unsubscribe/<token>")
@csrf.exempt
def unsubscribe_now(token: str) -> str:
    """The page's button and the one-click POST alike; doing it twice changes nothing."""
    if find_by_token(db.session(), token) is None:
        abort(404)
    unsubscribe(db.session(), token)
    return render_template(TEMPLATE, state="done", token=token)


@bp.after_app_request
def keep_private(response: Response) -> Response:
    # An app-wide handler, registered before the security headers' one and so run after
    # it: Talisman sets the site's Referrer-Policy on every answer, this one overrides it.
    if request.blueprint == "public.notices":
        no_store(response)
        response.headers["Referrer-Policy"] = "no-referrer"
    return response
