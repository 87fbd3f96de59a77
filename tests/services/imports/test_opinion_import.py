"""Bulk import: every row checked, a report by row number, all or nothing."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Sequence
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from noticeboard.models import AuditEvent, Channel, ContributorCategory, Opinion
from noticeboard.services.accounts.offices import create_collection_point
from noticeboard.services.errors import ValidationFailed
from noticeboard.services.imports.files import open_table
from noticeboard.services.imports.opinion_import import ImportReport, import_opinions
from noticeboard.services.opinions.receipts import is_valid
from noticeboard.services.permissions import SYSTEM
from tests import factories

HEADER = [
    "law",
    "version",
    "articles",
    "office",
    "collection_point",
    "channel",
    "received_on",
    "contributor_name",
    "contributor_category",
    "name_public",
    "contact",
    "text",
    "summary",
]
GOOD = [
    "minors",
    "1",
    "第二条, 3",
    "hongqiao",
    "teahouse",
    "symposium",
    "2024-05-06",
    "王芳",
    "student",
    "yes",
    "13800000000",
    "建议删除保证金条款。",
    "删除保证金",
]


@pytest.fixture
def world(db_session: Session) -> dict[str, object]:
    law = factories.make_law(db_session, slug="minors")
    first = factories.make_version(db_session, law, label="一审稿")
    second = factories.make_version(db_session, law, factories.DRAFT_V2, label="二审稿")
    office = factories.make_office(db_session, slug="hongqiao")
    create_collection_point(db_session, SYSTEM, office, slug="teahouse", name="社区茶馆")
    factories.make_office(db_session, slug="lintao")
    db_session.commit()
    return {"law": law, "first": first, "second": second, "office": office}


def csv_bytes(rows: Sequence[Sequence[str]], encoding: str = "utf-8", header=HEADER) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def run(session: Session, data: bytes, actor=SYSTEM, **options) -> ImportReport:  # type: ignore[no-untyped-def]
    report = import_opinions(session, actor, open_table(io.BytesIO(data)), **options)
    if report.ok:
        session.commit()
    else:
        session.rollback()
    return report


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Opinion)) or 0


def test_a_good_csv_is_imported(db_session: Session, world: dict[str, object]) -> None:
    report = run(db_session, csv_bytes([GOOD, GOOD]), source_name="symposium.csv")
    assert report.ok
    assert (report.rows, report.created) == (2, 2)
    opinions = db_session.scalars(select(Opinion).order_by(Opinion.id)).all()
    assert len({o.receipt_code for o in opinions}) == 2
    assert all(is_valid(o.receipt_code) for o in opinions)
    first = opinions[0]
    assert [a.label for a in first.articles] == ["第二条", "第三条"]
    assert first.version is world["first"]
    assert first.collection_point is not None
    assert first.collection_point.slug == "teahouse"
    assert (first.channel, first.received_on) == (Channel.SYMPOSIUM, date(2024, 5, 6))
    assert first.contributor_category is ContributorCategory.STUDENT
    assert first.name_public is True
    assert first.lock_version == 1
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "opinion.import"))
    assert event is not None
    assert event.details["count"] == 2


def test_empty_version_means_the_latest_and_law_can_come_from_the_option(
    db_session: Session, world: dict[str, object]
) -> None:
    header = [h for h in HEADER if h not in ("law", "version")]
    row = [v for h, v in zip(HEADER, GOOD, strict=True) if h not in ("law", "version")]
    report = run(db_session, csv_bytes([row], header=header), law_slug="minors")
    assert report.ok
    opinion = db_session.scalar(select(Opinion))
    assert opinion is not None
    assert opinion.version is world["second"]
    assert [a.label for a in opinion.articles] == ["第二条", "第三条"]  # of the second draft


def test_gb18030_csv_with_chinese_headers_and_words(
    db_session: Session, world: dict[str, object]
) -> None:
    header = ["法律", "条文", "联系点", "渠道", "收到日期", "姓名", "身份", "公开姓名", "意见"]
    row = ["minors", "第一条", "hongqiao", "座谈会", "2024年5月6日", "张伟", "人大代表", "否"]
    row.append("建议将县级改为省级。")
    data = csv_bytes([row], encoding="gb18030", header=header)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    report = run(db_session, data)
    assert report.ok, [str(e) for e in report.errors]
    opinion = db_session.scalar(select(Opinion))
    assert opinion is not None
    assert opinion.text == "建议将县级改为省级。"
    assert opinion.contributor_category is ContributorCategory.DEPUTY
    assert opinion.name_public is False


def test_utf8_bom_and_semicolons(db_session: Session, world: dict[str, object]) -> None:
    text = ";".join(HEADER) + "\r\n" + ";".join(GOOD).replace("第二条, 3", "2") + "\r\n"
    report = run(db_session, b"\xef\xbb\xbf" + text.encode())
    assert report.ok, [str(e) for e in report.errors]
    assert count(db_session) == 1


def test_formula_cells_are_text_never_evaluated(
    db_session: Session, world: dict[str, object]
) -> None:
    row = list(GOOD)
    row[HEADER.index("text")] = '=HYPERLINK("http://evil.example","点击")'
    row[HEADER.index("contributor_name")] = "+1+1"
    assert run(db_session, csv_bytes([row])).ok
    opinion = db_session.scalar(select(Opinion))
    assert opinion is not None
    assert opinion.text == '=HYPERLINK("http://evil.example","点击")'
    assert opinion.contributor_name == "+1+1"


def xlsx_bytes(rows: Sequence[Sequence[object]], header: Sequence[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_date_cells_numbers_and_a_formula(
    db_session: Session, world: dict[str, object]
) -> None:
    row: list[object] = list(GOOD)
    row[HEADER.index("version")] = 2
    row[HEADER.index("articles")] = 4  # a number cell
    row[HEADER.index("received_on")] = datetime(2024, 5, 7)
    row[HEADER.index("name_public")] = False
    row[HEADER.index("text")] = "=1+1"  # openpyxl stores this as a formula
    report = run(db_session, xlsx_bytes([row, GOOD]))
    assert report.ok, [str(e) for e in report.errors]
    first, second = db_session.scalars(select(Opinion).order_by(Opinion.id)).all()
    assert first.text == "=1+1"
    assert first.received_on == date(2024, 5, 7)
    assert first.version is world["second"]
    assert [a.label for a in first.articles] == ["第四条"]
    assert second.received_on == date(2024, 5, 6)


def test_wrong_columns_fail_the_file(db_session: Session, world: dict[str, object]) -> None:
    with pytest.raises(ValidationFailed, match="Unknown column colour"):
        run(db_session, csv_bytes([GOOD], header=[*HEADER[:-1], "colour"]))
    with pytest.raises(ValidationFailed, match="Missing columns: received_on, text"):
        run(db_session, csv_bytes([["minors", "letter"]], header=["law", "channel"]))
    with pytest.raises(ValidationFailed, match="appears twice"):
        run(db_session, csv_bytes([GOOD], header=[*HEADER[:-1], "意见"]))
    with pytest.raises(ValidationFailed, match="no rows"):
        run(db_session, csv_bytes([]))


def test_every_bad_row_is_reported_and_nothing_is_saved(
    db_session: Session, world: dict[str, object]
) -> None:
    def bad(**changes: str) -> list[str]:
        row = list(GOOD)
        for column, value in changes.items():
            row[HEADER.index(column)] = value
        return row

    rows = [
        GOOD,  # row 2 is fine
        bad(received_on="31/05/2024"),  # row 3
        bad(office="nowhere"),  # row 4
        bad(articles="第九十九条"),  # row 5
        bad(channel="pigeon", text=""),  # row 6: two reasons
        ["", "", "", "", "", "", "", "", "", "", "", "", ""],  # blank: skipped
        bad(office="lintao", collection_point=""),  # row 8: fine for SYSTEM
        bad(law="no-such-law"),  # row 9
        bad(received_on="2024-02-30"),  # row 10
        bad(collection_point="drum-tower"),  # row 11
        bad(contributor_category="alien", name_public="maybe"),  # row 12
    ]
    report = run(db_session, csv_bytes(rows))
    assert not report.ok
    found = {(e.row, e.column) for e in report.errors}
    assert found == {
        (3, "received_on"),
        (4, "office"),
        (5, "articles"),
        (6, "channel"),
        (6, "text"),
        (9, "law"),
        (10, "received_on"),
        (11, "collection_point"),
        (12, "contributor_category"),
        (12, "name_public"),
    }
    assert report.rows == 10
    assert "row 3, received_on: Not a date: 31/05/2024" in next(str(e) for e in report.errors)
    assert count(db_session) == 0


def test_office_staff_import_only_for_their_offices(
    db_session: Session, world: dict[str, object]
) -> None:
    staff = factories.make_user(db_session, role="office", office=world["office"])
    db_session.commit()
    outside = list(GOOD)
    outside[HEADER.index("office")] = "lintao"
    outside[HEADER.index("collection_point")] = ""
    no_office = list(outside)
    no_office[HEADER.index("office")] = ""
    report = run(db_session, csv_bytes([GOOD, outside, no_office]), actor=staff)
    assert {(e.row, e.column) for e in report.errors} == {(3, "office"), (4, "office")}
    assert count(db_session) == 0


def test_dry_run_checks_and_writes_nothing(db_session: Session, world: dict[str, object]) -> None:
    report = run(db_session, csv_bytes([GOOD] * 3), dry_run=True)
    assert report.ok
    assert (report.rows, report.created) == (3, 0)
    assert count(db_session) == 0


def test_law_option_and_a_row_naming_another_law(
    db_session: Session, world: dict[str, object]
) -> None:
    factories.make_version(db_session, factories.make_law(db_session, slug="other"))
    db_session.commit()
    other = list(GOOD)
    other[HEADER.index("law")] = "other"
    other[HEADER.index("articles")] = ""
    other[HEADER.index("version")] = ""
    report = run(db_session, csv_bytes([GOOD, other]), law_slug="minors")
    assert [(e.row, e.column) for e in report.errors] == [(3, "law")]
    with pytest.raises(ValidationFailed, match="No law with the slug"):
        run(db_session, csv_bytes([GOOD]), law_slug="nope")


def test_unreadable_files(db_session: Session, world: dict[str, object]) -> None:
    with pytest.raises(ValidationFailed, match=r"old \.xls"):
        open_table(io.BytesIO(b"\xd0\xcf\x11\xe0" + b"\0" * 100))
    with pytest.raises(ValidationFailed, match=r"not a readable \.xlsx"):
        open_table(io.BytesIO(b"PK\x03\x04 broken zip"))


def test_five_thousand_rows_in_a_few_seconds(db_session: Session, world: dict[str, object]) -> None:
    rows = []
    for n in range(5000):
        row = list(GOOD)
        row[HEADER.index("text")] = f"第{n}条意见：建议完善相关规定。"
        row[HEADER.index("articles")] = str(n % 4 + 1)
        rows.append(row)
    data = csv_bytes(rows)
    seen: list[int] = []
    started = time.perf_counter()
    report = run(db_session, data, progress=seen.append)
    elapsed = time.perf_counter() - started
    assert report.ok
    assert report.created == 5000
    assert count(db_session) == 5000
    assert len(set(db_session.scalars(select(Opinion.receipt_code)))) == 5000
    assert seen[-1] == 5000
    assert len(seen) > 10  # progress came along the way
    assert elapsed < 20, elapsed
