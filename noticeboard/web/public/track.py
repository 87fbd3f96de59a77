"""Citizens look up the outcome of their opinion with the code on their slip, and can
follow it in a feed. The code only ever travels in a POST body."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from flask import Blueprint, Response, abort, current_app, render_template, url_for

from noticeboard.extensions import db, limiter
from noticeboard.services.decisions.outcomes import decision_history
from noticeboard.services.public.lookup import (
    LookupStatus,
    lookup_receipt,
    opinion_by_feed_token,
    tracked,
)
from noticeboard.web.public.atom import xml_text
from noticeboard.web.staff.forms import LookupForm

bp = Blueprint("track", __name__)


def _lookup_limit() -> str:
    return str(current_app.config["RATELIMIT_LOOKUP"])


@bp.get("/track")
def form() -> str:
    return render_template("public/track/form.html", form=LookupForm(formdata=None))


@bp.post("/track")
@limiter.limit(_lookup_limit)
def lookup() -> tuple[str, int]:
    started = time.monotonic()
    form = LookupForm()
    if form.validate_on_submit():
        result = lookup_receipt(db.session(), form.code.data or "")
    else:
        result = None
    if result is not None and result.status is LookupStatus.FOUND:
        html = render_template("public/track/result.html", opinion=result.opinion)
    else:
        status = result.status if result is not None else LookupStatus.MALFORMED
        html = render_template("public/track/form.html", form=form, status=status.value)
    # Found or not, answer after the same time: timing must not tell codes apart.
    remaining = current_app.config["LOOKUP_MIN_SECONDS"] - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)
    return html, 200


@bp.get("/feeds/receipt/<token>.atom")
@limiter.limit(_lookup_limit)
def feed(token: str) -> Response:
    opinion = opinion_by_feed_token(db.session(), token)
    if opinion is None:
        abort(404)
    view = tracked(db.session(), opinion)
    decisions = decision_history(db.session(), opinion)
    moments = [datetime.combine(view.received_on, datetime.min.time(), tzinfo=UTC)]
    moments += [d.decided_at for d in decisions]
    moments += [v.published_at for v in view.published_since if v.published_at]
    body = render_template(
        "public/feeds/receipt.atom.xml",
        opinion=view,
        decisions=decisions,
        updated=max(moments),
        token=token,
        self_url=url_for("public.track.feed", token=token, _external=True),
        track_url=url_for("public.track.form", _external=True),
    )
    # Control characters typed into a reason or a label are not allowed anywhere in XML.
    return Response(xml_text(body), mimetype="application/atom+xml")
