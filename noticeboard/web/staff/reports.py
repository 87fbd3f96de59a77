"""The adoption report of a law, on screen (printable) and as XLSX."""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from noticeboard.extensions import db
from noticeboard.services.decisions.reports import (
    OUTCOME_KEYS,
    AdoptionReport,
    Tally,
    adoption_report,
)
from noticeboard.services.permissions import Permission
from noticeboard.services.public.law_pages import get_law
from noticeboard.web.core.auth import current_staff, requires
from noticeboard.web.core.exports import Cell, xlsx_response
from noticeboard.web.core.vocabulary import CHANNEL, OUTCOME, Vocabulary

bp = Blueprint("reports", __name__, url_prefix="/laws")


def _report(slug: str) -> AdoptionReport:
    return adoption_report(db.session(), current_staff(), get_law(db.session(), slug))


@bp.get("/<slug>/report")
@requires(Permission.DECIDE_OPINIONS)
def show(slug: str) -> str:
    return render_template(
        "staff/laws/report.html",
        report=_report(slug),
        outcomes=OUTCOME_KEYS,
    )


@bp.get("/<slug>/report.xlsx")
@requires(Permission.DECIDE_OPINIONS)
def xlsx(slug: str) -> Response:
    from flask_babel import gettext as _

    report = _report(slug)
    header = [
        _("Name"),
        _("Received"),
        *(OUTCOME.staff(o) for o in OUTCOME_KEYS),
        _("Adoption rate"),
    ]
    titles = {"office": _("By office"), "channel": _("By channel"), "article": _("By article")}

    def rows(tallies: list[Tally], names: Vocabulary | None = None) -> list[list[Cell]]:
        return [
            [
                names.staff(t.label) if names and t.label in names else t.label,
                t.received,
                *(t.counts[o] for o in OUTCOME_KEYS),
                round(t.adopted_share, 3),
            ]
            for t in tallies
        ]

    sheets: list[tuple[str, list[str], list[list[Cell]]]] = [
        (_("Total"), header, rows([report.total]))
    ]
    for name, tallies in report.sections():
        sheets.append((titles[name], header, rows(tallies, CHANNEL if name == "channel" else None)))
    return xlsx_response(f"{slug}-adoption-report.xlsx", sheets)
