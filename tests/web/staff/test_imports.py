"""Import pages: upload, progress polled as JSON, the report, the templates."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from noticeboard.models import Opinion
from tests import factories
from tests.services.imports.test_opinion_import import GOOD, HEADER, csv_bytes


def _world(session: Session) -> None:
    law = factories.make_law(session, slug="minors-protection-law")
    factories.make_version(
        session, law, factories.DRAFT_V1 + "第一百一十八条 保证金的规定。\n", label="一审稿"
    )
    factories.make_office(session, slug="hongqiao")
    session.commit()


def _upload(client: FlaskClient, data: bytes, name: str, **fields: Any) -> str:
    response = client.post(
        "/staff/opinions/import",
        data={"upload": (io.BytesIO(data), name), **fields},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return str(response.headers["Location"])


def _wait(client: FlaskClient, job_url: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status = client.get(job_url + "/status").get_json()
        assert 0 <= status["percent"] <= 100
        if status["finished"]:
            return dict(status)
        time.sleep(0.05)
    raise AssertionError("the import did not finish")


def test_the_downloaded_templates_import_as_they_are(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    _world(db_session)
    client = staff_client("office", "hongqiao")
    csv_template = client.get("/staff/opinions/import/template.csv")
    assert csv_template.headers["Content-Disposition"].endswith("opinions-template.csv")
    assert csv_template.data.startswith(b"\xef\xbb\xbflaw,version,articles,")
    xlsx_template = client.get("/staff/opinions/import/template.xlsx")
    book = load_workbook(io.BytesIO(xlsx_template.data), read_only=True)
    assert book.sheetnames == ["opinions", "help"]
    book.close()

    for data, name in ((csv_template.data, "t.csv"), (xlsx_template.data, "t.xlsx")):
        status = _wait(client, _upload(client, data, name))
        assert status["state"] == "done", status
        assert status["created"] == 1
    assert db_session.scalar(select(func.count()).select_from(Opinion)) == 2


def test_bad_rows_show_a_report_and_save_nothing(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    _world(db_session)
    client = staff_client("office", "hongqiao")
    good = list(GOOD)
    good[0], good[1], good[2], good[4] = "minors-protection-law", "", "118", ""
    bad = list(good)
    bad[HEADER.index("received_on")] = "2024-13-01"
    job_url = _upload(client, csv_bytes([good, bad, bad]), "bad.csv")
    status = _wait(client, job_url)
    assert status["state"] == "failed"
    assert status["errors"] == 2
    page = client.get(job_url + "?lang=en").get_data(as_text=True)
    assert "Nothing was saved." in page
    assert "Not a date: 2024-13-01. Write it as 2024-05-31." in page
    assert "<td>3</td>" in page
    assert "<td>4</td>" in page
    assert db_session.scalar(select(func.count()).select_from(Opinion)) == 0
    zh = client.get(job_url + "?lang=zh").get_data(as_text=True)
    assert "未保存" in zh or "没有保存" in zh


def test_dry_run_and_law_choice(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    _world(db_session)
    client = staff_client("office", "hongqiao")
    header = ["articles", "office", "channel", "received_on", "text"]
    rows = [["1", "hongqiao", "letter", "2024-05-06", "来信建议。"]] * 3
    job_url = _upload(
        client,
        csv_bytes(rows, header=header),
        "letters.csv",
        law="minors-protection-law",
        dry_run="y",
    )
    status = _wait(client, job_url)
    assert (status["state"], status["processed"], status["created"]) == ("done", 3, 0)
    assert "Nothing was saved (check only)" in client.get(job_url + "?lang=en").get_data(
        as_text=True
    )


def test_uploads_are_checked_and_jobs_are_private(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    _world(db_session)
    client = staff_client("office", "hongqiao")
    refused = client.post(
        "/staff/opinions/import?lang=en",
        data={"upload": (io.BytesIO(b"x"), "notes.pdf")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    assert "Upload a .csv or .xlsx file." in refused.get_data(as_text=True)
    job_url = _upload(client, csv_bytes([]), "empty.csv")
    _wait(client, job_url)
    other = staff_client("commission")
    assert other.get(job_url).status_code == 404
    assert other.get(job_url + "/status").status_code == 404
