"""The hostile corpus through the doors that are not forms: the `diff` and
`import-opinions` commands, the import service behind the latter, and the JSON API.
Each input is refused with a clear message (exit status 1 and no traceback; a 4xx JSON
error) that writes nothing, or stored as sent.

Both engines: PostgreSQL refuses NUL characters that SQLite would keep.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.commands.diff import diff_command
from noticeboard.commands.opinions import import_opinions_command
from noticeboard.models import Opinion
from noticeboard.services.accounts.api_tokens import create_token
from noticeboard.services.imports.files import open_table
from noticeboard.services.imports.opinion_import import check_import, save_import
from noticeboard.services.permissions import SYSTEM
from tests import factories, hostile_corpus
from tests.hostile_corpus import INJECTIONS
from tests.security import world as world_module
from tests.web import adoption_scenario

SAMPLES = Path(__file__).parents[2] / "noticeboard" / "samples"
SAMPLE = SAMPLES / "cn" / "weichengnianren-baohufa" / "2020.txt"
IMPORT_HEADER = ["law", "office", "channel", "received_on", "text", "summary"]


def test_the_diff_command_reads_or_refuses_every_stored_file(app: Flask, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    outcomes = {}
    for name, data in hostile_corpus.stored_files():
        path = tmp_path / name
        path.write_bytes(data)
        result = runner.invoke(diff_command, [str(SAMPLE), str(path)])
        outcomes[name] = result.exit_code
        assert result.exit_code in (0, 1), (name, result.output)
        # click.ClickException is a clear refusal; anything else escaped as a crash.
        assert result.exception is None or isinstance(result.exception, SystemExit), name
        if result.exit_code == 1:
            assert result.output.startswith("Error: "), (name, result.output)
    assert outcomes["gbk.txt"] == outcomes["big5.txt"] == outcomes["utf16-no-bom.txt"] == 0
    assert outcomes["binary-named.txt"] == outcomes["not-a-docx.docx"] == 1
    # Like diff(1): against an empty file, every article was deleted.
    assert outcomes["empty.txt"] == 0


def _import_file(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(IMPORT_HEADER)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_import_opinions_stores_injections_as_text_or_refuses_the_file(
    app: Flask, db_session: Session, tmp_path: Path, database_url: str
) -> None:
    adoption_scenario.build(db_session)
    db_session.commit()
    runner = app.test_cli_runner()
    # Every stored corpus file as an import: read as a table, or refused with a reason.
    for name, data in hostile_corpus.stored_files():
        path = tmp_path / f"{name}.csv"
        path.write_bytes(data)
        before = world_module.row_counts(app)
        result = runner.invoke(import_opinions_command, [str(path), "--law", "minors"])
        assert result.exit_code == 1, (name, result.output)
        assert not isinstance(result.exception, Exception) or isinstance(
            result.exception, SystemExit
        ), (name, result.exception)
        assert world_module.row_counts(app) == before, name
    # Injections in every text column: stored exactly as written.
    storable = [v for v in INJECTIONS if "\x00" not in v]
    rows = [["minors", "hongqiao", "letter", "2024-06-01", v, v] for v in storable]
    data = _import_file(tmp_path / "i.csv", rows).read_bytes()
    report = check_import(db_session, SYSTEM, open_table(io.BytesIO(data)))
    assert report.ok, report.errors
    assert save_import(db_session, SYSTEM, report, source_name="i.csv") == len(storable)
    db_session.commit()
    stored = set(db_session.scalars(select(Opinion.text)))
    assert set(storable) <= stored
    # A NUL character is a row problem with its row number, on either engine; it never
    # reaches a query (PostgreSQL would refuse it there).
    nul = [v for v in INJECTIONS if "\x00" in v]
    rows = [["minors", "hongqiao", "letter", "2024-06-01", "建议。", ""]]
    rows += [["minors", "hongqiao", "letter", "2024-06-01", v, ""] for v in nul]
    data = _import_file(tmp_path / "n.csv", rows).read_bytes()
    report = check_import(db_session, SYSTEM, open_table(io.BytesIO(data)))
    assert not report.ok, database_url
    assert [(e.row, e.column) for e in report.errors] == [(3, "text")]
    assert "cannot be stored (U+0000)" in report.errors[0].error.message


def test_the_api_stores_injections_as_sent_and_refuses_unstorable_text(
    app: Flask, db_session: Session
) -> None:
    adoption_scenario.build(db_session)
    user = factories.make_user(db_session, role="commission")
    headers = {"Authorization": f"Bearer {create_token(db_session, user, 'system').secret}"}
    db_session.commit()
    client = app.test_client()
    base = {"law": "minors", "channel": "letter", "received_on": "2024-06-01"}
    for value in (v for v in INJECTIONS if "\x00" not in v):
        body = base | {"text": value, "summary": value, "contributor_name": value}
        answer = client.post("/api/v1/opinions", json=body, headers=headers)
        assert answer.status_code == 201, (value, answer.get_data(as_text=True))
        stored = db_session.get(Opinion, answer.get_json()["id"])
        assert stored is not None
        assert (stored.text, stored.summary, stored.contributor_name) == (value, value, value)
    before = world_module.row_counts(app)
    for value in ("\x00", "\ud800", "长" * 30_001, "", " "):
        answer = client.post("/api/v1/opinions", json=base | {"text": value}, headers=headers)
        assert answer.status_code == 422, repr(value)
        assert answer.get_json()["error"]["code"] == "validation_failed"
    nested: object = "x"
    for _ in range(200):
        nested = [nested]
    answer = client.post("/api/v1/opinions/batch", json={"opinions": nested}, headers=headers)
    assert answer.status_code == 422
    assert world_module.row_counts(app) == before
