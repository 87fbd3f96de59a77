"""The console script, run as a user would: a real process with its own instance folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(
    instance: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "NOTICEBOARD_INSTANCE_PATH": str(instance), **(env or {})}
    environment.pop("NOTICEBOARD_SECRET_KEY", None)
    return subprocess.run(
        [sys.executable, "-m", "noticeboard", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def test_help_lists_every_command(tmp_path: Path) -> None:
    result = run(tmp_path, "--help")
    assert result.returncode == 0, result.stderr
    for command in ("serve", "init-db", "demo", "create-user", "diff"):
        assert f"  {command} " in result.stdout
    assert "Traceback" not in result.stderr


def test_init_db_then_create_user_then_demo_is_idempotent(tmp_path: Path) -> None:
    assert run(tmp_path, "init-db").returncode == 0
    assert (tmp_path / "noticeboard.sqlite3").exists()

    created = run(
        tmp_path,
        "create-user",
        "chair@example.org",
        "--role",
        "admin",
        "--password-stdin",
        stdin="a long enough password\n",
    )
    assert created.returncode == 0, created.stderr
    assert "Created admin account chair@example.org." in created.stdout

    again = run(
        tmp_path,
        "create-user",
        "chair@example.org",
        "--role",
        "admin",
        "--password-stdin",
        stdin="a long enough password\n",
    )
    assert again.returncode == 1
    assert "exists already" in again.stderr
    assert "Traceback" not in again.stderr

    short = run(
        tmp_path,
        "create-user",
        "x@example.org",
        "--role",
        "admin",
        "--password-stdin",
        stdin="short\n",
    )
    assert short.returncode == 1
    assert "at least 12 characters" in short.stderr

    first = run(tmp_path, "demo")
    assert first.returncode == 0, first.stderr
    assert "admin@demo.noticeboard.local" in first.stdout
    logins = json.loads((tmp_path / "demo-logins.json").read_text())
    assert {role for _, role, _ in logins} == {"admin", "commission", "office"}
    assert oct((tmp_path / "demo-logins.json").stat().st_mode & 0o777) == "0o600"

    second = run(tmp_path, "demo")
    assert second.returncode == 0
    assert logins[0][2] in second.stdout  # same logins, nothing loaded twice

    office = run(
        tmp_path,
        "create-user",
        "lintao@example.org",
        "--role",
        "office",
        "--office",
        "lintao",
        "--password-stdin",
        stdin="another long password\n",
    )
    assert office.returncode == 0, office.stderr


def test_serve_without_secret_key_explains_how_to_fix_it(tmp_path: Path) -> None:
    result = run(tmp_path, "serve", "--port", "1")
    assert result.returncode == 1
    assert "NOTICEBOARD_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("role", ["office"])
def test_office_account_needs_an_office(tmp_path: Path, role: str) -> None:
    run(tmp_path, "init-db")
    result = run(
        tmp_path,
        "create-user",
        "x@example.org",
        "--role",
        role,
        "--password-stdin",
        stdin="a long enough password\n",
    )
    assert result.returncode == 1
    assert "--office" in result.stderr
