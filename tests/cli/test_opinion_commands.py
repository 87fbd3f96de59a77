"""import-opinions, erase-contacts and demo --scale, run as a user would."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest

from tests.cli.test_commands import run

HEADER = ["law", "articles", "office", "channel", "received_on", "contact", "text"]


@pytest.fixture(scope="module")
def instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("instance")
    demo = run(path, "demo", "--scale", "2000")
    assert demo.returncode == 0, demo.stderr
    assert "Added 2,000 opinions" in demo.stdout
    return path


def count(instance: Path) -> int:
    with sqlite3.connect(instance / "noticeboard.sqlite3") as conn:
        return int(conn.execute("SELECT count(*) FROM opinion").fetchone()[0])


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


ROW = [
    "minors-protection-law",
    "第一百一十八条",
    "hongqiao",
    "座谈会",
    "2024-05-06",
    "",
    "建议删除。",
]


def test_import_checks_then_saves_everything(instance: Path, tmp_path: Path) -> None:
    before = count(instance)
    file = write_csv(tmp_path / "gb.csv", [ROW] * 30, encoding="gb18030")
    dry = run(instance, "import-opinions", str(file), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "All 30 rows are good; nothing was saved" in dry.stdout
    assert count(instance) == before
    done = run(instance, "import-opinions", str(file))
    assert done.returncode == 0, done.stderr
    assert "Imported 30 opinions from gb.csv" in done.stdout
    assert count(instance) == before + 30


def test_a_bad_file_exits_1_with_the_row_report_and_saves_nothing(
    instance: Path, tmp_path: Path
) -> None:
    before = count(instance)
    bad_date = [*ROW[:4], "31.13.2024", *ROW[5:]]
    bad_office = [ROW[0], ROW[1], "atlantis", *ROW[3:]]
    file = write_csv(tmp_path / "bad.csv", [ROW, bad_date, bad_office])
    result = run(instance, "import-opinions", str(file))
    assert result.returncode == 1
    assert "row 3, received_on: Not a date: 31.13.2024" in result.stderr
    assert "row 4, office: No office with the slug atlantis." in result.stderr
    assert "2 problem(s) in 3 rows; nothing was saved." in result.stderr
    assert "Traceback" not in result.stderr
    assert count(instance) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"colour,text\nred,x\n", "Unknown column colour"),
        (b"PK\x03\x04 not really a workbook", "not a readable .xlsx"),
        (b"", "The file is empty"),
        (b"law,channel,received_on,text\n", "no rows below the header"),
    ],
)
def test_unreadable_files_are_explained(
    instance: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    file = tmp_path / "broken.csv"
    file.write_bytes(content)
    result = run(instance, "import-opinions", str(file), "--law", "minors-protection-law")
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_law_option_must_name_a_law(instance: Path, tmp_path: Path) -> None:
    file = write_csv(tmp_path / "ok.csv", [ROW])
    result = run(instance, "import-opinions", str(file), "--law", "no-such-law")
    assert result.returncode == 1
    assert "No law with the slug no-such-law" in result.stderr


def test_erase_contacts(instance: Path) -> None:
    with sqlite3.connect(instance / "noticeboard.sqlite3") as conn:
        conn.execute(
            "UPDATE opinion SET outcome = 'not_adopted' WHERE id IN "
            "(SELECT id FROM opinion WHERE contact != '' LIMIT 3)"
        )
    result = run(instance, "erase-contacts")
    assert result.returncode == 0, result.stderr
    assert "Erased the contact of" in result.stdout
    with sqlite3.connect(instance / "noticeboard.sqlite3") as conn:
        left = conn.execute(
            "SELECT count(*) FROM opinion WHERE outcome != 'pending' AND contact != ''"
        ).fetchone()[0]
    assert left == 0
