"""The README's configuration tables and noticeboard/config.py say the same thing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from noticeboard.config import Defaults, setting_names

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
ROW = re.compile(r"^\| `NOTICEBOARD_([A-Z0-9_]+)` \| (.*?) \|", re.MULTILINE)
NAME = re.compile(r"NOTICEBOARD_[A-Z0-9_]*[A-Z0-9]")
# Where code that reads the environment lives: the package, the tests, scripts, benchmarks.
SOURCES = ("noticeboard", "tests", "scripts", "benchmarks", ".ci")


def as_documented(value: object) -> str:
    """A default as the README's table writes it."""
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, tuple | list | dict):
        return f"`{json.dumps(value, ensure_ascii=False)}`"
    if value == "":
        return '`""`'
    return f"`{value}`"


def documented_rows() -> dict[str, str]:
    rows: dict[str, str] = {}
    for name, default in ROW.findall(README):
        assert name not in rows, f"NOTICEBOARD_{name} has two rows in README.md"
        rows[name] = default
    return rows


def test_the_tables_list_exactly_the_settings_of_config_py() -> None:
    assert list(documented_rows()) == setting_names()


@pytest.mark.parametrize("name", setting_names())
def test_each_documented_default_is_the_default_in_config_py(name: str) -> None:
    assert documented_rows()[name] == as_documented(getattr(Defaults, name))


def test_every_environment_variable_the_code_reads_is_in_the_readme() -> None:
    named: dict[str, str] = {}
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in {".py", ".sh", ""} and path.is_file():
                for found in NAME.findall(path.read_text(encoding="utf-8", errors="replace")):
                    named.setdefault(found, str(path.relative_to(ROOT)))
    assert len(named) > 10, "the scan found too little to be looking in the right place"
    missing = {name: where for name, where in named.items() if f"`{name}`" not in README}
    assert missing == {}
