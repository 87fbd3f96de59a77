"""The ``notify`` (通知) and ``language`` (语言) columns of an import: yes/no as for
``name_public``, zh or en, and a notice without a usable contact a row error."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import Opinion
from noticeboard.services.imports.template import template_csv, template_xlsx
from tests.services.imports.test_opinion_import import GOOD, HEADER, count, csv_bytes, run
from tests.services.imports.test_opinion_import import world as world  # the fixture

CONTACT = HEADER.index("contact")
WITH_NOTICE = [*HEADER, "notify", "language"]


def row(notify: str, language: str = "", contact: str = "wang@example.org") -> list[str]:
    cells = list(GOOD)
    cells[CONTACT] = contact
    return [*cells, notify, language]


def stored(session: Session) -> list[tuple[bool, str, str]]:
    session.expire_all()
    return [
        (o.notify, o.language, o.contact)
        for o in session.scalars(select(Opinion).order_by(Opinion.id))
    ]


def test_yes_and_no_are_read_as_for_name_public(
    db_session: Session, world: dict[str, object]
) -> None:
    rows = [row("yes"), row("是"), row("no"), row(""), row("✓", contact="13800138000")]
    report = run(db_session, csv_bytes(rows, header=WITH_NOTICE))
    assert report.ok, [str(e) for e in report.errors]
    assert stored(db_session) == [
        (True, "zh", "wang@example.org"),
        (True, "zh", "wang@example.org"),
        (False, "zh", "wang@example.org"),
        (False, "zh", "wang@example.org"),
        (True, "zh", "+8613800138000"),
    ]


def test_the_language_in_either_language_and_any_case(
    db_session: Session, world: dict[str, object]
) -> None:
    rows = [row("yes", "en"), row("yes", "English"), row("yes", "ZH"), row("yes", "中文")]
    report = run(db_session, csv_bytes(rows, header=WITH_NOTICE))
    assert report.ok, [str(e) for e in report.errors]
    assert [language for _notify, language, _contact in stored(db_session)] == [
        "en",
        "en",
        "zh",
        "zh",
    ]


def test_the_chinese_headers(db_session: Session, world: dict[str, object]) -> None:
    header = [*HEADER, "通知", "语言"]
    assert run(db_session, csv_bytes([row("是", "english")], header=header)).ok
    assert stored(db_session) == [(True, "en", "wang@example.org")]


def test_without_the_columns_no_notice_is_asked_for(
    db_session: Session, world: dict[str, object]
) -> None:
    assert run(db_session, csv_bytes([GOOD])).ok
    assert stored(db_session) == [(False, "zh", "+8613800000000")]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            row("yes", contact=""),
            "row 3, notify: To be told the outcome, leave an e-mail address or a mobile number.",
        ),
        (
            row("yes", contact="wang@@example"),
            "row 3, contact: This e-mail address is not valid: check it for typing errors.",
        ),
        (
            row("yes", contact="临洮县城关镇"),
            "row 3, contact: To be told the outcome, the contact must be an e-mail address "
            "or a mobile number.",
        ),
        (row("maybe"), "row 3, notify: Write yes or no."),
        (row("yes", "fr"), "row 3, language: Write zh or en."),
    ],
)
def test_a_bad_row_is_an_error_on_its_column_and_saves_nothing(
    db_session: Session, world: dict[str, object], cells: list[str], expected: str
) -> None:
    report = run(db_session, csv_bytes([row("yes"), cells], header=WITH_NOTICE))
    assert [str(e) for e in report.errors] == [expected]
    assert count(db_session) == 0  # the good first row waits for the whole file


def test_a_dry_run_stores_nothing_even_with_consent(
    db_session: Session, world: dict[str, object]
) -> None:
    report = run(db_session, csv_bytes([row("yes", "en")], header=WITH_NOTICE), dry_run=True)
    assert report.ok
    assert count(db_session) == 0


def test_the_templates_have_both_columns_and_explain_them() -> None:
    header = template_csv().decode("utf-8-sig").splitlines()[0].split(",")
    assert header[header.index("contact") + 1 : header.index("contact") + 3] == [
        "notify",
        "language",
    ]
    book = load_workbook(io.BytesIO(template_xlsx()), read_only=True)
    help_rows = {r[0]: r for r in book["help"].iter_rows(values_only=True)}
    book.close()
    assert help_rows["notify"][1] == "通知"
    assert "yes to send the outcome to the contact (the contributor agreed)" in str(
        help_rows["notify"][3]
    )
    assert help_rows["language"][1] == "语言"
    assert "中文" in str(help_rows["language"][4])
