"""The adoption report on screen and as XLSX, and the formula-safe spreadsheet cells."""

from __future__ import annotations

import io
from collections.abc import Callable

import openpyxl
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from noticeboard.models import Channel, Outcome
from noticeboard.services.decisions.outcomes import DecisionInput, decide_opinion
from noticeboard.services.open_data.cells import safe_cell
from noticeboard.services.permissions import SYSTEM
from tests import factories


def test_formula_cells_are_defused() -> None:
    assert safe_cell('=HYPERLINK("http://evil")') == '\'=HYPERLINK("http://evil")'
    assert safe_cell("+1") == "'+1"
    assert safe_cell("-2+3") == "'-2+3"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("普通文字") == "普通文字"
    assert safe_cell(-5) == -5  # numbers stay numbers


def test_report_counts_by_office_channel_and_article(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    office = factories.make_office(db_session, slug="hongqiao", name="虹桥")
    law = factories.make_law(db_session, slug="minors", title="未成年人保护法")
    version = factories.make_version(db_session, law)
    first = factories.make_opinion(
        db_session, version, office=office, articles=[version.articles[1]]
    )
    factories.make_opinion(
        db_session, version, office=office, channel=Channel.LETTER, text="=cmd|' /C calc'!A0"
    )
    decide_opinion(db_session, SYSTEM, first, DecisionInput(Outcome.ADOPTED), lock_version=None)
    db_session.commit()

    client = staff_client("commission")
    page = client.get("/staff/laws/minors/report?lang=en").get_data(as_text=True)
    assert "Adoption report: 未成年人保护法" in page
    assert "<dd>2</dd>" in page  # received
    for expected in ("虹桥", "Letter", "Symposium", "第二条"):
        assert expected in page
    assert "<td>100%</td>" in page  # 虹桥: one adopted among one decided

    response = client.get("/staff/laws/minors/report.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Total", "By office", "By channel", "By article"]
    total = list(book["Total"].iter_rows(values_only=True))
    assert total[1][1] == 2  # received
    offices = list(book["By office"].iter_rows(values_only=True))
    assert offices[1][0] == "虹桥"
    assert staff_client("office").get("/staff/laws/minors/report").status_code == 403
