"""What load.py and scale.py share: throwaway databases, gunicorn, a loopback HTTP client.

Everything talks to 127.0.0.1 only; every server started here is stopped by its own pid.
"""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
SERVER = os.environ.get(
    "NOTICEBOARD_BENCH_SERVER_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def throwaway_database(prefix: str, keep: bool = False) -> Iterator[str]:
    """A new PostgreSQL database on the local server, dropped afterwards (unless keep)."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    finally:
        if not keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def noticeboard(args: list[str], env: dict[str, str]) -> str:
    """Run the `noticeboard` command line; its output, or exit with it on failure."""
    result = subprocess.run(
        [sys.executable, "-m", "noticeboard", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"noticeboard {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def app_env(database_url: str, instance: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        NOTICEBOARD_DATABASE_URL=database_url,
        NOTICEBOARD_INSTANCE_PATH=str(instance),
        NOTICEBOARD_SECRET_KEY=secrets.token_urlsafe(32),
        NOTICEBOARD_RATELIMIT_ENABLED="false",
    )
    env.update(extra)
    return env


@contextmanager
def gunicorn(
    env: dict[str, str], workers: int, log: Path, threads: int = 1
) -> Iterator[tuple[str, int]]:
    """gunicorn serving the app on a free loopback port; stopped (by its pid) afterwards."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", str(threads),
        "--bind", f"127.0.0.1:{port}", "--timeout", "60", "--graceful-timeout", "5",
        "noticeboard:create_app()",
    ]  # fmt: skip
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                sys.exit(f"gunicorn stopped; see {log}")
            try:
                if get("127.0.0.1", port, "/healthz").status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            sys.exit(f"gunicorn did not answer within 60 s; see {log}")
        yield "127.0.0.1", port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Answer:
    status: int
    body: bytes
    seconds: float
    headers: dict[str, str] = field(default_factory=dict)


def request(
    host: str,
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> Answer:
    started = time.perf_counter()
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return Answer(
            response.status,
            data,
            time.perf_counter() - started,
            {k.lower(): v for k, v in response.getheaders()},
        )
    finally:
        conn.close()


def get(host: str, port: int, path: str, headers: dict[str, str] | None = None) -> Answer:
    return request(host, port, "GET", path, headers=headers)


def post_form(host: str, port: int, path: str, fields: dict[str, str]) -> Answer:
    body = urllib.parse.urlencode(fields).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return request(host, port, "POST", path, body=body, headers=headers)


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]
