"""The office's report upward on screen, as XLSX and as DOCX, in both languages, and
who may see which office."""

from __future__ import annotations

import io
from collections.abc import Callable

import docx
import openpyxl
import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests import factories
from tests.services.triage.seeding import TriageLaw, cluster, opinion, triage_law


@pytest.fixture
def setting(db_session: Session) -> TriageLaw:
    s = triage_law(
        db_session, slug="minors", title="未成年人保护法", title_en="Minors Protection Law"
    )
    here = factories.make_office(db_session, slug="hongqiao", name="虹桥", name_en="Hongqiao")
    there = factories.make_office(db_session, slug="lintao", name="临洮")
    campaign = cluster(db_session, s)
    for _ in range(3):
        opinion(
            db_session,
            s,
            office=here,
            cluster=campaign,
            articles=["第四条"],
            text="请加强学校保护。",
        )
    opinion(
        db_session,
        s,
        office=here,
        articles=["第四条"],
        matches=[(s.changes[0], 0.8)],
        text="=1+1 第四条",
    )
    opinion(db_session, s, office=there, articles=["第一条"], text="临洮的意见")
    db_session.commit()
    return s


def test_page_in_both_languages(
    staff_client: Callable[..., FlaskClient], setting: TriageLaw
) -> None:
    client = staff_client("commission")
    en = client.get("/staff/laws/minors/office-report?office=hongqiao&lang=en").get_data(
        as_text=True
    )
    assert "Report on the opinions: Minors Protection Law" in en
    assert "Hongqiao" in en
    assert "第五条" in en  # 第四条, renumbered in the latest version
    assert "Campaign (copies of one letter)" in en
    assert "请加强学校保护。" in en
    assert "临洮的意见" not in en
    zh = client.get("/staff/laws/minors/office-report?office=hongqiao&lang=zh")
    assert zh.status_code == 200
    assert "未成年人保护法" in zh.get_data(as_text=True)
    every = client.get("/staff/laws/minors/office-report?lang=en").get_data(as_text=True)
    assert "临洮的意见" in every


def test_xlsx_and_docx_hold_the_positions(
    staff_client: Callable[..., FlaskClient], setting: TriageLaw
) -> None:
    client = staff_client("commission")
    response = client.get("/staff/laws/minors/office-report.xlsx?office=hongqiao&lang=en")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Articles", "Positions"]
    articles = list(book["Articles"].iter_rows(values_only=True))
    assert articles[1][:3] == ("第五条", 4, 2)
    positions = list(book["Positions"].iter_rows(values_only=True))
    assert positions[1][:4] == ("第五条", "Campaign (copies of one letter)", 3, "请加强学校保护。")
    assert positions[2][3] == "'=1+1 第四条"  # a formula is defused

    response = client.get("/staff/laws/minors/office-report.docx?office=hongqiao&lang=en")
    assert response.status_code == 200
    assert "hongqiao" in response.headers["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.data))
    headings = [
        p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings == ["Report on the opinions: Minors Protection Law", "第五条"]
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells][:3] == [
        "Position",
        "Opinions",
        "Representative text",
    ]
    assert [c.text for c in table.rows[1].cells][:3] == [
        "Campaign (copies of one letter)",
        "3",
        "请加强学校保护。",
    ]
    zh = docx.Document(
        io.BytesIO(client.get("/staff/laws/minors/office-report.docx?office=hongqiao&lang=zh").data)
    )
    assert "未成年人保护法" in zh.paragraphs[0].text


def test_office_staff_see_their_own_office_only(
    staff_client: Callable[..., FlaskClient], setting: TriageLaw
) -> None:
    client = staff_client("office", office_slug="hongqiao")
    own = client.get("/staff/laws/minors/office-report?lang=en")
    assert own.status_code == 200
    page = own.get_data(as_text=True)
    assert "Hongqiao" in page
    assert "临洮的意见" not in page
    assert client.get("/staff/laws/minors/office-report?office=lintao").status_code == 403
    assert client.get("/staff/laws/minors/office-report.xlsx?office=lintao").status_code == 403
    assert client.get("/staff/laws/minors/office-report.docx").status_code == 200
