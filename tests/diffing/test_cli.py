from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from noticeboard.commands.diff import diff_command
from tests.diffing.helpers import SAMPLES

OLD = str(SAMPLES / "cn/duiwai-maoyifa/2016.txt")
NEW = str(SAMPLES / "cn/duiwai-maoyifa/2022.txt")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_text_is_the_default(runner: CliRunner) -> None:
    result = runner.invoke(diff_command, [OLD, NEW])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("70 articles -> 69 articles\n")
    assert "\x1b[" not in result.output  # not a terminal: no colour


def test_json_prints_the_comparison(runner: CliRunner) -> None:
    result = runner.invoke(diff_command, [OLD, NEW, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["old"] == {"articles": 70}
    assert data["new"] == {"articles": 69}
    assert "第九条" in result.output  # not \\u escapes
    assert result.output.startswith('{\n  "old"')


def test_html_prints_a_standalone_page(runner: CliRunner) -> None:
    result = runner.invoke(diff_command, [OLD, NEW, "--format", "html"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("<!doctype html>")
    assert "<title>2016.txt → 2022.txt</title>" in result.output


def test_reads_gb18030_and_utf16_files(runner: CliRunner, tmp_path: Path) -> None:
    text = Path(OLD).read_text(encoding="utf-8")
    (tmp_path / "old.txt").write_bytes(text.encode("gb18030"))
    (tmp_path / "new.txt").write_bytes(text.encode("utf-16"))
    result = runner.invoke(diff_command, [str(tmp_path / "old.txt"), str(tmp_path / "new.txt")])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == "70 unchanged"


def test_missing_file_is_a_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(diff_command, [str(tmp_path / "missing.txt"), NEW])
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.output.strip().count("\n") == 0
    assert "cannot read" in result.output
    assert "Traceback" not in result.output


def test_binary_file_is_a_one_line_error_naming_the_line(runner: CliRunner, tmp_path: Path) -> None:
    binary = tmp_path / "draft.docx"
    binary.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00")
    result = runner.invoke(diff_command, [str(binary), NEW])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert "draft.docx" in lines[0]
    assert "line 1" in lines[0]


def test_unknown_format_is_refused(runner: CliRunner) -> None:
    result = runner.invoke(diff_command, [OLD, NEW, "--format", "pdf"])
    assert result.exit_code == 2
