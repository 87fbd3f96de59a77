"""The office's report upward (``/staff/laws/<slug>/office-report?office=<slug>``), on
screen and as XLSX and DOCX (the form in which such reports travel), in the visitor's
language. Office staff get their own office; the commission and admins choose one, or
every office."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from flask import Response, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from noticeboard.extensions import db
from noticeboard.services.accounts.offices import list_offices
from noticeboard.services.decisions.reports import OUTCOME_KEYS
from noticeboard.services.laws.queries import get_version
from noticeboard.services.permissions import Permission, can
from noticeboard.services.public.law_pages import get_law
from noticeboard.services.triage.office_report import (
    CLUSTER,
    NO_CHANGE,
    ArticleSection,
    OfficeReport,
    Position,
    office_report,
    report_office,
)
from noticeboard.web.core.auth import current_staff, requires
from noticeboard.web.core.exports import Cell, xlsx_response
from noticeboard.web.core.vocabulary import OUTCOME
from noticeboard.web.staff.triage.blueprint import bp

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The page and the DOCX list each article's largest positions; the XLSX lists them all,
# and both say how many more there are.
SHOWN_POSITIONS = 50
# Characters XML 1.0 cannot hold (control characters a pasted letter may carry).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def _paragraph(document: Any, text: str) -> None:
    """A paragraph of the DOCX: python-docx refuses text XML cannot hold."""
    document.add_paragraph(_xml(text))


def _report(slug: str) -> OfficeReport:
    session = db.session()
    law = get_law(session, slug)
    office = report_office(session, current_staff(), request.args.get("office") or None)
    sequence = request.args.get("version", "")
    version = get_version(session, slug, int(sequence)) if sequence.isdigit() else None
    return office_report(session, current_staff(), law, office, version)


def _english() -> bool:
    return str(get_locale()) == "en"


def law_title(report: OfficeReport) -> str:
    return (report.law.title_en if _english() else None) or report.law.title


def office_name(report: OfficeReport) -> str:
    if report.office is None:
        return _("All offices")
    return (report.office.name_en if _english() else None) or report.office.name


def article_name(section: ArticleSection) -> str:
    return section.label or _("No article cited")


def position_name(position: Position) -> str:
    if position.kind == CLUSTER:
        return _("Campaign (copies of one letter)")
    if position.kind == NO_CHANGE:
        return _("No matching change")
    labels = "、".join(position.change_labels)
    return _("Best answered by: %(change)s", change=labels)


def _basename(report: OfficeReport) -> str:
    office = report.office.slug if report.office else "all-offices"
    return f"{report.law.slug}-{office}-office-report"


@bp.get("/laws/<slug>/office-report", endpoint="office_report")
@requires(Permission.RECORD_OPINIONS)
def office_report_page(slug: str) -> str:
    report = _report(slug)
    choose = can(current_staff(), Permission.DECIDE_OPINIONS)
    return render_template(
        "staff/triage/office_report.html",
        report=report,
        title=law_title(report),
        office=office_name(report),
        outcomes=OUTCOME_KEYS,
        article_name=article_name,
        position_name=position_name,
        shown=SHOWN_POSITIONS,
        offices=[(o.slug, o.name) for o in list_offices(db.session())] if choose else [],
    )


def _position_rows(report: OfficeReport) -> Iterator[list[Cell]]:
    for section in report.sections:
        for p in section.positions:
            yield [
                article_name(section),
                position_name(p),
                p.size,
                p.sample,
                *(p.tally.counts[o] for o in OUTCOME_KEYS),
            ]


@bp.get("/laws/<slug>/office-report.xlsx")
@requires(Permission.RECORD_OPINIONS)
def office_report_xlsx(slug: str) -> Response:
    report = _report(slug)
    outcomes = [OUTCOME.staff(o) for o in OUTCOME_KEYS]
    articles: list[list[Cell]] = [
        [article_name(s), s.opinions, len(s.positions), *(s.tally.counts[o] for o in OUTCOME_KEYS)]
        for s in report.sections
    ]
    return xlsx_response(
        f"{_basename(report)}.xlsx",
        [
            (_("Articles"), [_("Article"), _("Opinions"), _("Positions"), *outcomes], articles),
            (
                _("Positions"),
                [_("Article"), _("Position"), _("Opinions"), _("Representative text"), *outcomes],
                _position_rows(report),
            ),
        ],
    )


def _table_xml(rows: list[list[str]]) -> str:
    """A plain grid table as WordprocessingML, parsed once: filling python-docx's table
    cell by cell took about a millisecond a cell (15 s for a report of 2,400 positions)."""
    columns = len(rows[0])

    def cell(text: str) -> str:
        run = f'<w:r><w:t xml:space="preserve">{escape(_xml(text))}</w:t></w:r>'
        return f"<w:tc><w:p>{run}</w:p></w:tc>"

    body = "".join("<w:tr>" + "".join(cell(v) for v in row) + "</w:tr>" for row in rows)
    return (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/>'
        f'<w:tblW w:w="0" w:type="auto"/></w:tblPr>'
        f"<w:tblGrid>{'<w:gridCol/>' * columns}</w:tblGrid>{body}</w:tbl>"
    )


@bp.get("/laws/<slug>/office-report.docx")
@requires(Permission.RECORD_OPINIONS)
def office_report_docx(slug: str) -> Response:
    report = _report(slug)
    document = Document()
    document.add_heading(_xml(_("Report on the opinions: %(law)s", law=law_title(report))), level=0)
    _paragraph(
        document,
        _(
            "%(office)s · version %(seq)d (%(label)s) · %(n)d opinions",
            office=office_name(report),
            seq=report.version.sequence,
            label=report.version.label,
            n=report.total.received,
        ),
    )
    outcomes = [o for o in OUTCOME_KEYS if report.total.counts[o]] or ["pending"]
    for section in report.sections:
        document.add_heading(_xml(article_name(section)), level=1)
        _paragraph(
            document,
            _(
                "%(n)d opinions, %(p)d distinct positions.",
                n=section.opinions,
                p=len(section.positions),
            )
            + " "
            + "; ".join(f"{OUTCOME.staff(o)} {section.tally.counts[o]}" for o in outcomes),
        )
        header = [_("Position"), _("Opinions"), _("Representative text")]
        rows = [[*header, *map(OUTCOME.staff, outcomes)]]
        rows += [
            [position_name(p), str(p.size), p.sample, *(str(p.tally.counts[o]) for o in outcomes)]
            for p in section.positions[:SHOWN_POSITIONS]
        ]
        body = document.element.body
        body.insert(len(body) - 1, parse_xml(_table_xml(rows)))  # before the section settings
        hidden = section.positions[SHOWN_POSITIONS:]
        if hidden:
            _paragraph(
                document,
                _(
                    "%(p)d smaller positions (%(n)d opinions) are listed in the XLSX download.",
                    p=len(hidden),
                    n=sum(p.size for p in hidden),
                ),
            )
    buffer = io.BytesIO()
    document.save(buffer)
    return Response(
        buffer.getvalue(),
        mimetype=DOCX_MIME,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(_basename(report))}.docx"
        },
    )
