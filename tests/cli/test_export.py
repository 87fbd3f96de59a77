"""`noticeboard export` writes the same files as /open-data serves."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask
from sqlalchemy.orm import Session

from noticeboard.commands.export import export_command
from noticeboard.services.open_data import datasets as open_data
from tests.web import adoption_scenario


def test_export_writes_the_downloads_byte_for_byte(
    app: Flask, db_session: Session, tmp_path: Path
) -> None:
    adoption_scenario.build(db_session)
    out = tmp_path / "published"
    result = app.test_cli_runner().invoke(export_command, ["--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "opinions: 5 rows" in result.output
    client = app.test_client()
    for dataset in open_data.DATASETS:
        for fmt in ("csv", "json"):
            written = (out / f"{dataset}.{fmt}").read_bytes()
            assert written == client.get(f"/open-data/{dataset}.{fmt}").data, (dataset, fmt)
    assert not list(out.glob("*.part"))
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in package["resources"]] == [
        f"{name}.csv" for name in open_data.DATASETS
    ]
    assert package["resources"][0]["schema"]["fields"][0]["description"]


def test_export_of_an_empty_database_is_valid(app: Flask, tmp_path: Path) -> None:
    result = app.test_cli_runner().invoke(export_command, ["--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "opinions.json").read_text(encoding="utf-8")) == []
    header = (tmp_path / "laws.csv").read_text(encoding="utf-8-sig").strip()
    assert header == ",".join(open_data.COLUMNS["laws"])
