"""The outbox at a glance for the commission and admins: notices in each state, the
retries waiting and the notices that failed for good, a page at a time. No contact is
ever shown here; each failure links to its opinion's page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from noticeboard.extensions import db
from noticeboard.models import NoticeState, Opinion
from noticeboard.services.notices.status import contact_note, notice_overview, notice_status
from noticeboard.services.permissions import Permission
from noticeboard.web.core.auth import current_staff, requires

bp = Blueprint("notices", __name__, url_prefix="/notices")

PER_PAGE = 50
# Why a notice was cancelled, as the services record it, in the reader's language; any
# other reason is shown as written.
CANCELLED_BECAUSE = {
    "unsubscribed": _l("the contributor unsubscribed"),
    "superseded by a later decision": _l("superseded by a later decision"),
    "the decision was undone": _l("the decision was undone"),
}


def reason(text: str) -> str:
    said = CANCELLED_BECAUSE.get(text)
    return str(said) if said is not None else text


@bp.get("")
@requires(Permission.DECIDE_OPINIONS)
def index() -> str:
    overview = notice_overview(
        db.session(),
        current_staff(),
        page=request.args.get("page", 1, type=int) or 1,
        per_page=PER_PAGE,
    )

    def page_url(number: int) -> str:
        return url_for(".index", page=number)

    return render_template(
        "staff/notices/index.html",
        overview=overview,
        states=list(NoticeState),
        page_url=page_url,
    )


def opinion_notices(opinion: Opinion) -> dict[str, Any]:
    """What the opinion's page shows of its outcome notices, read before it renders."""
    notices = notice_status(db.session(), opinion.id)
    return {
        "notices": notices,
        "contact_note": contact_note(opinion, notices),
        "notice_reason": reason,
    }
