"""Citizens look up the outcome of their opinion with the code on their slip, and can
follow it in a feed. The code only ever travels in a POST body."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from flask import Blueprint, Response, abort, current_app, make_response, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from noticeboard.extensions import db, limiter
from noticeboard.models import Decision
from noticeboard.services.decisions.outcomes import decision_history
from noticeboard.services.public.lookup import (
    LookupStatus,
    TrackedOpinion,
    lookup_receipt,
    opinion_by_feed_token,
    tracked,
)
from noticeboard.web.core.security import no_store
from noticeboard.web.core.vocabulary import OUTCOME, REASON
from noticeboard.web.public.atom import MIMETYPE, AtomEntry, atom_feed, tag_uri
from noticeboard.web.staff.forms import LookupForm

bp = Blueprint("track", __name__)


def _lookup_limit() -> str:
    return str(current_app.config["RATELIMIT_LOOKUP"])


@bp.get("/track")
def form() -> str:
    return render_template("public/track/form.html", form=LookupForm(formdata=None))


@bp.post("/track")
@limiter.limit(_lookup_limit)
def lookup() -> Response:
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
    # Found or not, the answer is private: a shared PC's back button must not show it.
    return no_store(make_response(html))


@bp.get("/feeds/receipt/<token>.atom")
@limiter.limit(_lookup_limit)
def feed(token: str) -> Response:
    opinion = opinion_by_feed_token(db.session(), token)
    if opinion is None:
        abort(404)
    view = tracked(db.session(), opinion)
    body = receipt_feed(view, decision_history(db.session(), opinion), token)
    # No Cache-Control: the address is private to whoever holds the token, so no shared
    # cache may keep it (atom_response marks the public feeds cacheable by anyone).
    return Response(body, mimetype=MIMETYPE)


def receipt_feed(view: TrackedOpinion, decisions: list[Decision], token: str) -> str:
    """One opinion's feed, newest first: its decisions, the drafts published since, and
    its receipt. Ids name the feed token, never the receipt code."""
    track_url = url_for("public.track.form", _external=True)
    law_url = url_for("public.laws.show", slug=view.law_slug, _external=True)
    entries = [
        AtomEntry(
            id=tag_uri("receipt", token, "decision", d.id),
            title=OUTCOME.public(d.outcome),
            updated=d.decided_at,
            link=track_url,
            content=(f"{REASON.public(d.reason_code)}. " if d.reason_code else "")
            + d.public_reason,
        )
        for d in reversed(decisions)
    ]
    entries += [
        AtomEntry(
            id=tag_uri("receipt", token, "version", v.id),
            title=_("New draft published: %(label)s", label=v.label),
            updated=v.published_at or v.created_at,
            link=law_url,
        )
        for v in reversed(view.published_since)
    ]
    entries.append(
        AtomEntry(
            id=tag_uri("receipt", token, "received"),
            title=_("Received"),
            updated=datetime.combine(view.received_on, datetime.min.time(), tzinfo=UTC),
            link=track_url,
            content=_("Your suggestion on %(law)s was received.", law=view.law_title),
        )
    )
    return atom_feed(
        feed_id=tag_uri("receipt", token),
        title=_("Your suggestion on %(law)s", law=view.law_title),
        self_url=url_for("public.track.feed", token=token, _external=True),
        alternate_url=track_url,
        entries=entries,
        author=_("Noticeboard"),
        lang="zh-Hans" if str(get_locale()) == "zh" else "en",
    )
