"""Jobs from the console: queued with --background, listed by `jobs`, run by the worker
that `serve --demo` starts inside its own process."""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from noticeboard.services.open_data.datasets import COLUMNS
from tests.cli.test_commands import run
from tests.cli.test_opinion_commands import ROW, count, write_csv

JOB_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture(scope="module")
def instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("instance")
    assert run(path, "demo").returncode == 0
    return path


def jobs(instance: Path) -> list[dict[str, Any]]:
    listed = run(instance, "jobs", "--json")
    assert listed.returncode == 0, listed.stderr
    return list(json.loads(listed.stdout))


def _serve(instance: Path) -> Iterator[subprocess.Popen[bytes]]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "NOTICEBOARD_INSTANCE_PATH": str(instance)}
    env.pop("NOTICEBOARD_DATABASE_URL", None)
    log = (instance / "serve.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "noticeboard", "serve", "--demo", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                break
        except OSError:
            time.sleep(0.2)
    try:
        yield server
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def _wait_done(instance: Path, job_id: str) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with sqlite3.connect(instance / "noticeboard.sqlite3") as conn:
            (state,) = conn.execute("SELECT state FROM job WHERE id = ?", (job_id,)).fetchone()
        if state in ("done", "failed", "interrupted"):
            return str(state)
        time.sleep(0.1)
    raise AssertionError(f"{job_id} did not finish: {(instance / 'serve.log').read_text()}")


def test_background_jobs_wait_for_a_worker_and_serve_demo_runs_them(
    instance: Path, tmp_path: Path
) -> None:
    before = count(instance)
    file = write_csv(tmp_path / "letters.csv", [ROW] * 30)
    queued = run(instance, "import-opinions", str(file), "--background")
    assert queued.returncode == 0, queued.stderr
    job_id = queued.stdout.strip().splitlines()[-1]
    assert JOB_ID.fullmatch(job_id), queued.stdout
    exported = run(instance, "export", "--out", str(tmp_path / "open"), "--background")
    assert exported.returncode == 0, exported.stderr
    export_id = exported.stdout.strip().splitlines()[-1]

    # No worker runs yet: both wait, and nothing is saved.
    listed = {job["id"]: job for job in jobs(instance)}
    assert listed[job_id] == {
        "id": job_id,
        "kind": "import",
        "state": "queued",
        "progress": 0.0,
        "message": "",
    }
    assert listed[export_id]["kind"] == "export"
    assert count(instance) == before
    plain = run(instance, "jobs")
    assert f"{job_id}  import    queued" in plain.stdout

    # serve --demo starts its own worker, which takes both.
    for _server in _serve(instance):
        assert _wait_done(instance, job_id) == "done"
        assert _wait_done(instance, export_id) == "done"
    assert count(instance) == before + 30
    listed = {job["id"]: job for job in jobs(instance)}
    assert (listed[job_id]["state"], listed[job_id]["progress"]) == ("done", 1.0)
    assert listed[job_id]["message"] == "saved"
    header = (tmp_path / "open" / "opinions.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.lstrip("\ufeff").split(",") == list(COLUMNS["opinions"])
    assert not list((tmp_path / "open").glob("*.part"))
