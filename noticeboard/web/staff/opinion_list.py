"""The staff opinion list's query string, and its CSV and XLSX exports."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from flask import Blueprint, Response, request
from flask_babel import gettext as _
from flask_login import login_required

from noticeboard.extensions import db
from noticeboard.models import Channel, Opinion, Outcome
from noticeboard.services.opinions.filters import SORTS, OpinionFilter
from noticeboard.services.opinions.queries import iter_opinions
from noticeboard.services.opinions.receipts import format_receipt_code
from noticeboard.web.core.auth import current_staff
from noticeboard.web.core.exports import Cell, csv_response, xlsx_response
from noticeboard.web.core.vocabulary import CATEGORY, CHANNEL, OUTCOME

bp = Blueprint("opinion_list", __name__, url_prefix="/opinions")


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def filters_from_request() -> OpinionFilter:
    args = request.args
    channel, outcome = args.get("channel", ""), args.get("outcome", "")
    return OpinionFilter(
        law_slug=args.get("law") or None,
        version=args.get("version", type=int),
        article=(args.get("article") or "").strip()[:100] or None,
        office_slug=args.get("office") or None,
        channel=Channel(channel) if channel in Channel._value2member_map_ else None,
        outcome=Outcome(outcome) if outcome in Outcome._value2member_map_ else None,
        received_from=_day("from"),
        received_to=_day("to"),
        text=(args.get("q") or "").strip()[:200] or None,
        sort=args.get("sort") if args.get("sort") in SORTS else "newest",
    )


def _header() -> list[str]:
    return [
        _("Receipt"),
        _("Received"),
        _("Law"),
        _("Version"),
        _("Articles"),
        _("Office"),
        _("Channel"),
        _("Contributor"),
        _("Opinion"),
        _("Public summary"),
        _("Outcome"),
        _("Reference"),
    ]


def _rows() -> Iterator[list[Cell]]:
    for o in iter_opinions(db.session(), current_staff(), filters_from_request()):
        yield _row(o)


def _row(o: Opinion) -> list[Cell]:
    # Staff exports carry no contact: it is for reaching the person, not for lists.
    return [
        format_receipt_code(o.receipt_code),
        o.received_on.isoformat(),
        o.law.title,
        o.version.label,
        "、".join(a.label for a in o.articles),
        o.office.name if o.office else "",
        CHANNEL.staff(o.channel),
        CATEGORY.staff(o.contributor_category),
        o.text,
        o.summary,
        OUTCOME.staff(o.outcome),
        o.reference or "",
    ]


@bp.get("/export.csv")
@login_required
def export_csv() -> Response:
    return csv_response("opinions.csv", _header(), _rows())


@bp.get("/export.xlsx")
@login_required
def export_xlsx() -> Response:
    return xlsx_response("opinions.xlsx", [(_("Opinions"), _header(), _rows())])
