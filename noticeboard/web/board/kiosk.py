"""Office noticeboards: the kiosk screen, the board JSON it polls, and QR codes.

Hundreds of screens poll ``/api/v1/boards/<office>`` every minute, so the JSON is built
at most once per ``BOARD_CACHE_SECONDS`` for each office, language and law filter, and
answered with a strong ETag: a screen whose data did not change gets an empty 304.
Content that comes out the same after a rebuild keeps its body, its ``generated_at``
and its ETag, so the 304s go on across rebuilds.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from functools import lru_cache
from io import BytesIO
from typing import Any

import segno
from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from noticeboard.extensions import cache, db
from noticeboard.services.accounts.offices import get_office
from noticeboard.services.public.boards import Board, office_board, trim_ops
from noticeboard.web.core.names import contributor_text, localized, office_name

bp = Blueprint("board", __name__)

ROTATE_DEFAULT, ROTATE_MIN, ROTATE_MAX = 12, 1, 600
RELOAD_MAX, RELOAD_MIN = 60, 2
LAYOUTS = ("landscape", "portrait")
KEEP_LAST = 24 * 3600  # how long an unchanged body (and its ETag) is remembered
_QR_PATH = re.compile(r"^/(?!/)[A-Za-z0-9/_.~%-]{0,200}$")


def board_language() -> str:
    asked = request.args.get("lang")
    return asked if asked in current_app.config["LANGUAGES"] else str(get_locale())


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def board_document(board: Board) -> dict[str, Any]:
    """The board JSON (see INTERFACES.md) in the current locale, without generated_at."""
    items = []
    for item in board.items:
        change = item.change
        url = (
            url_for("public.laws.change", slug=item.law_slug, change_id=change.id)
            if change is not None
            else url_for("public.adoptions.law_board", slug=item.law_slug)
        )
        items.append(
            {
                "law": localized(item.law_title, item.law_title_en),
                "article": "、".join(item.article_labels),
                "outcome": item.outcome.value,
                "summary": item.summary,
                "contributor": contributor_text(item.contributor),
                "decided_at": _iso(item.decided_at),
                "url": url,
                "diff": trim_ops(change.ops) if change is not None else [],
            }
        )
    return {
        "office": {"slug": board.office.slug, "name": office_name(board.office)},
        "counters": {
            "laws": board.counters.laws,
            "opinions": board.counters.opinions,
            "adopted": board.counters.adopted,
        },
        "items": items,
        "open_consultations": [
            {
                "law": localized(c.law_title, c.law_title_en),
                "until": _iso(c.closes_at),
                "url": url_for("public.laws.show", slug=c.law_slug),
            }
            for c in board.consultations
        ],
    }


def _cached_board(slug: str, lang: str, law: str | None) -> dict[str, str]:
    key = f"board:{slug}:{lang}:{law or ''}"
    entry: dict[str, str] | None = cache.get(key)
    if entry is not None:
        return entry
    with force_locale(lang):
        document = board_document(office_board(db.session(), slug, law_slug=law))
    fingerprint = hashlib.sha256(
        json.dumps(document, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    last: dict[str, str] | None = cache.get(key + ":last")
    if last is not None and last["fingerprint"] == fingerprint:
        entry = last
    else:
        ordered = {
            "office": document["office"],
            "generated_at": _iso(datetime.now(UTC)),
            **{k: v for k, v in document.items() if k != "office"},
        }
        body = json.dumps(ordered, ensure_ascii=False, separators=(",", ":"))
        entry = {"body": body, "etag": fingerprint[:32], "fingerprint": fingerprint}
    cache.set(key, entry, timeout=current_app.config["BOARD_CACHE_SECONDS"])
    cache.set(key + ":last", entry, timeout=KEEP_LAST)
    return entry


@bp.get("/api/v1/boards/<slug>")
def board_json(slug: str) -> Response:
    entry = _cached_board(slug, board_language(), request.args.get("law") or None)
    # Headers set as plain strings and the 304 decided here: this is the hot path of
    # every screen, cheaper than the generic conditional-response machinery.
    headers = {
        "ETag": f'"{entry["etag"]}"',
        "Cache-Control": f"public, max-age={current_app.config['BOARD_CACHE_SECONDS']}",
    }
    if "lang" not in request.args:
        headers["Vary"] = "Accept-Language, Cookie"
    if request.if_none_match.contains_weak(entry["etag"]):
        return current_app.response_class(status=304, headers=headers)
    return current_app.response_class(entry["body"], mimetype="application/json", headers=headers)


def _seconds(name: str, default: int, low: int, high: int) -> int:
    value = request.args.get(name, type=int)
    return default if value is None else max(low, min(high, value))


@bp.get("/board/<slug>")
def kiosk(slug: str) -> str:
    office = get_office(db.session(), slug)
    lang = board_language()
    law = request.args.get("law") or None
    layout = request.args.get("layout")
    api = url_for("board.board_json", slug=office.slug, lang=lang, law=law)
    return render_template(
        "board/kiosk.html",
        office=office,
        lang=lang,
        api=api,
        rotate=_seconds("rotate", ROTATE_DEFAULT, ROTATE_MIN, ROTATE_MAX),
        reload=_seconds("reload", RELOAD_MAX, RELOAD_MIN, RELOAD_MAX),
        layout=layout if layout in LAYOUTS else "auto",
        strings=kiosk_strings(),
    )


def kiosk_strings() -> dict[str, str]:
    """Words the kiosk script writes, in the page's language (no catalog in the browser)."""
    return {
        "adopted": _("Suggestion adopted"),
        "partially_adopted": _("Suggestion partly adopted"),
        "before": _("Before"),
        "after": _("After"),
        "new_article": _("(a new article)"),
        "deleted_article": _("(article deleted)"),
        "suggested_by": _("Suggested by %(who)s"),
        "decided_on": _("decided %(date)s"),
        "scan_change": _("Scan to see this change"),
        "scan_track": _("Scan to follow your own opinion"),
        "as_of": _("Data as of %(time)s"),
        "offline": _("Connection lost: showing the data as of %(time)s"),
        "waiting": _("Waiting for data…"),
        "open_now": _("Open for comment now"),
        "until": _("until %(date)s"),
        "none_open": _("No draft is open for comment right now."),
        "have_your_say": _("Have your say on the laws being drafted"),
        "nothing_yet": _(
            "No suggestion from this office has been adopted yet: the first could be yours."
        ),
        "take_part": _("How to take part"),
        "step_send": _(
            "Give your opinion on a draft at this office: at a meeting, by letter, "
            "or online through the QR code on our posters."
        ),
        "step_receipt": _("Keep the receipt slip: its code lets you follow your opinion."),
        "step_board": _("Adopted suggestions are shown on this screen."),
    }


@lru_cache(maxsize=512)
def _qr_svg(target: str) -> bytes:
    buffer = BytesIO()
    segno.make(target, error="m").save(
        buffer, kind="svg", scale=4, border=4, dark="#000", light="#fff",
        xmldecl=False, omitsize=True, svgclass=None, lineclass=None,
    )  # fmt: skip
    return buffer.getvalue()


@bp.get("/board/qr.svg")
def qr_code() -> Response:
    """A QR code of one page of this site (never another site's address)."""
    path = request.args.get("path", "/")
    if not _QR_PATH.match(path):
        abort(404)
    # The same public address as the receipt slips' QR codes, when one is configured.
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    body = _qr_svg(base.rstrip("/") + path)
    response = current_app.response_class(body, mimetype="image/svg+xml")
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    response.cache_control.public = True
    response.cache_control.max_age = 7 * 24 * 3600
    return response.make_conditional(request)
