"""The staff opinion list: every filter, sorting, and formula-safe CSV/XLSX exports."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date

import openpyxl
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from noticeboard.models import Channel, Outcome
from noticeboard.services.decisions.outcomes import DecisionInput, decide_opinion
from noticeboard.services.permissions import SYSTEM
from tests import factories


def _seed(db_session: Session) -> dict[str, object]:
    hongqiao = factories.make_office(db_session, slug="hongqiao", name="虹桥")
    lintao = factories.make_office(db_session, slug="lintao", name="临洮")
    law = factories.make_law(db_session, slug="minors", title="未成年人保护法")
    version = factories.make_version(db_session, law)
    a = factories.make_opinion(
        db_session,
        version,
        office=hongqiao,
        articles=[version.articles[1]],
        text="建议删除保证金条款",
        received_on=date(2024, 5, 1),
    )
    b = factories.make_opinion(
        db_session,
        version,
        office=lintao,
        channel=Channel.LETTER,
        text='=HYPERLINK("http://evil.example")',
        received_on=date(2024, 6, 1),
    )
    c = factories.make_opinion(
        db_session,
        version,
        office=hongqiao,
        channel=Channel.SCHOOL,
        text="学生们希望加强网络保护",
        received_on=date(2024, 7, 1),
    )
    decide_opinion(db_session, SYSTEM, c, DecisionInput(Outcome.ADOPTED), lock_version=None)
    db_session.commit()
    return {"a": a, "b": b, "c": c}


def _codes(html: str, seeded: dict[str, object]) -> set[str]:
    found = set()
    for name, opinion in seeded.items():
        code = opinion.receipt_code  # type: ignore[attr-defined]
        if f"{code[:4]}-{code[4:8]}-{code[8:]}" in html:
            found.add(name)
    return found


def test_each_filter_narrows_the_list(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    seeded = _seed(db_session)
    client = staff_client("commission")
    cases = {
        "": {"a", "b", "c"},
        "law=minors&version=1": {"a", "b", "c"},
        "version=9&law=minors": set(),
        "article=第二条": {"a"},
        "office=lintao": {"b"},
        "channel=school": {"c"},
        "outcome=adopted": {"c"},
        "outcome=pending": {"a", "b"},
        "from=2024-05-15&to=2024-06-15": {"b"},
        "q=网络": {"c"},
        "q=%25": set(),  # a literal percent sign matches nothing, not everything
    }
    for query, expected in cases.items():
        html = client.get(f"/staff/opinions?{query}&lang=en").get_data(as_text=True)
        assert _codes(html, seeded) == expected, query


def test_sorting(staff_client: Callable[..., FlaskClient], db_session: Session) -> None:
    seeded = _seed(db_session)
    client = staff_client("commission")
    html = client.get("/staff/opinions?sort=received").get_data(as_text=True)
    positions = {k: html.index(v.receipt_code[:4] + "-") for k, v in seeded.items()}  # type: ignore[attr-defined]
    assert positions["c"] < positions["b"] < positions["a"]


def test_exports_follow_the_filter_and_defuse_formulas(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    _seed(db_session)
    client = staff_client("commission")
    response = client.get("/staff/opinions/export.csv?law=minors&sort=oldest&lang=en")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "Receipt"
    assert len(rows) == 4
    assert rows[2][8] == '\'=HYPERLINK("http://evil.example")'
    assert "contact" not in ",".join(rows[0]).lower()
    xlsx = client.get("/staff/opinions/export.xlsx?outcome=adopted")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data)).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 2
    assert values[1][8] == "学生们希望加强网络保护"


def test_office_staff_export_only_their_offices(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    _seed(db_session)
    client = staff_client("office", office_slug="lintao")
    rows = list(
        csv.reader(io.StringIO(client.get("/staff/opinions/export.csv").get_data(as_text=True)))
    )
    assert len(rows) == 2
    assert rows[1][5] == "临洮"
