"""The sender's reference in imports: stored, unique per law, every duplicate a row error."""

from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import Opinion
from noticeboard.services.imports.template import template_csv
from tests import factories
from tests.services.imports.test_opinion_import import GOOD, HEADER, count, csv_bytes, run
from tests.services.imports.test_opinion_import import world as world  # the fixture

WITH_REFERENCE = [*HEADER, "reference"]


def row(reference: str) -> list[str]:
    return [*GOOD, reference]


def references(session: Session) -> list[str | None]:
    session.expire_all()
    return list(session.scalars(select(Opinion.reference).order_by(Opinion.id)))


def test_references_are_trimmed_stored_and_optional(
    db_session: Session, world: dict[str, object]
) -> None:
    rows = [row("  2024-信-0001 "), row(""), row("   "), row("MSG-7")]
    report = run(db_session, csv_bytes(rows, header=WITH_REFERENCE))
    assert report.ok, [str(e) for e in report.errors]
    assert references(db_session) == ["2024-信-0001", None, None, "MSG-7"]


def test_the_chinese_header_and_an_xlsx_work_too(
    db_session: Session, world: dict[str, object]
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append([*HEADER, "编号"])
    sheet.append(row("XL-1"))
    buffer = io.BytesIO()
    book.save(buffer)
    assert run(db_session, buffer.getvalue()).ok
    assert references(db_session) == ["XL-1"]


def test_a_duplicate_in_the_file_is_a_row_error_and_saves_nothing(
    db_session: Session, world: dict[str, object]
) -> None:
    rows = [row("A-1"), row("B-2"), row("A-1"), row("a-1")]
    report = run(db_session, csv_bytes(rows, header=WITH_REFERENCE))
    assert not report.ok
    assert [str(e) for e in report.errors] == [
        "row 4, reference: The reference A-1 is on row 2 already."
    ]
    assert count(db_session) == 0


def test_a_reference_stored_for_the_law_is_a_row_error(
    db_session: Session, world: dict[str, object]
) -> None:
    factories.make_opinion(db_session, world["first"], reference="OLD-9")
    other_law = factories.make_version(db_session, factories.make_law(db_session))
    factories.make_opinion(db_session, other_law, reference="ELSEWHERE")
    db_session.commit()
    rows = [row("NEW-1"), row("OLD-9"), row("ELSEWHERE")]
    report = run(db_session, csv_bytes(rows, header=WITH_REFERENCE))
    # Another law's reference is no clash: unique per law.
    assert [str(e) for e in report.errors] == [
        "row 3, reference: Another opinion on this law has the reference OLD-9 already."
    ]
    assert count(db_session) == 2
    assert run(db_session, csv_bytes([rows[0], rows[2]], header=WITH_REFERENCE)).ok
    assert count(db_session) == 4


def test_a_reference_over_64_characters_is_refused(
    db_session: Session, world: dict[str, object]
) -> None:
    report = run(db_session, csv_bytes([row("R" * 64), row("R" * 65)], header=WITH_REFERENCE))
    assert [str(e) for e in report.errors] == [
        "row 3, reference: The reference is too long (at most 64 characters)."
    ]
    assert count(db_session) == 0


def test_the_template_has_the_reference_column() -> None:
    header = template_csv().decode("utf-8-sig").splitlines()[0].split(",")
    assert header[-1] == "reference"
