"""Requests per second of an office's board JSON with a warm cache, against a static file
of the same size served by the same server (goal: a ratio of at least 1).

Makes a throwaway PostgreSQL database, loads the demo with `noticeboard demo --scale N`
(a million opinions by default), decides a fifth of them (adopted wholly or partly) so
the board has the realistic share, then serves the site with gunicorn on loopback and
measures with wrk (Debian's `wrk`; a threaded Python client when it is missing):

- the board JSON, a full 200 answer each time (the cache is warm in every worker);
- the same with If-None-Match, as the kiosk screens ask: 304, no body;
- a static file of exactly the board's size, through Flask's static route.

Every run is bounded in requests and time and talks to 127.0.0.1 only. The database is
dropped at the end unless --keep; --database-url reuses one made earlier.

    python benchmarks/board_speed.py [--scale 1000000] [--seconds 10] [--keep]
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
OFFICE = "hongqiao"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_database(server_url: str) -> str:
    name = f"noticeboard_bench_{secrets.token_hex(4)}"
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, url: str) -> None:
    name = make_url(url).database
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def load(url: str, scale: int, env: dict[str, str]) -> None:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "noticeboard", "demo", "--scale", str(scale)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"demo with {scale:,} generated opinions loaded in {time.perf_counter() - started:.0f} s")
    # Decide a fifth of all opinions (adopted wholly or partly), the offices' own share,
    # whatever version they were on: more adopted rows than real life, a heavier board.
    engine = create_engine(url)
    with engine.begin() as conn:
        decided = conn.execute(
            text(
                """
                UPDATE opinion SET
                  outcome = CASE WHEN id % 10 = 0 THEN 'partially_adopted' ELSE 'adopted' END,
                  decided_at = now() - (id % 700) * interval '1 day'
                WHERE outcome = 'pending' AND id % 5 = 0
                """
            )
        ).rowcount
        total = conn.execute(text("SELECT count(*) FROM opinion")).scalar_one()
        conn.execute(text("ANALYZE"))
    engine.dispose()
    print(f"{total:,} opinions, {decided:,} more marked adopted or partially adopted")


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, b"", dict(error.headers)


def measure(url: str, seconds: int, connections: int, headers: dict[str, str]) -> float:
    """Requests per second over `seconds`, with wrk when installed."""
    if shutil.which("wrk"):
        command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
        if "Non-2xx or 3xx responses" in output:
            raise RuntimeError(output)
        return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    return python_client(url, seconds, connections, headers)


def python_client(url: str, seconds: int, threads: int, headers: dict[str, str]) -> float:
    done = [0] * threads
    deadline = time.monotonic() + seconds

    def worker(index: int) -> None:
        while time.monotonic() < deadline and done[index] < 100_000:
            status, _, _ = fetch(url, headers)
            assert status in (200, 304), status
            done[index] += 1

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    started = time.monotonic()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return sum(done) / (time.monotonic() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=5, help="per measurement")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--worker-class", default="sync", help="gunicorn's: sync (one request per connection) "
        "or gthread (keeps connections alive, as a proxy with keep-alive would)",
    )  # fmt: skip
    parser.add_argument("--server-url", default=os.environ.get("BENCH_POSTGRES", SERVER))
    parser.add_argument("--database-url", help="reuse a database loaded by an earlier --keep run")
    parser.add_argument("--keep", action="store_true", help="keep the database for another run")
    args = parser.parse_args()

    url = args.database_url or make_database(args.server_url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "NOTICEBOARD_DATABASE_URL": url,
        "NOTICEBOARD_SECRET_KEY": secrets.token_urlsafe(32),
        "NOTICEBOARD_RATELIMIT_ENABLED": "false",
        "NOTICEBOARD_INSTANCE_PATH": str(Path("/tmp") / make_url(url).database),  # noqa: S108
    }
    static_dir = ROOT / "static" / "bench"
    server = None
    try:
        if not args.database_url:
            load(url, args.scale, env)
        server = subprocess.Popen(
            ["gunicorn", f"--workers={args.workers}", f"--worker-class={args.worker_class}",
             "--threads=4", f"--bind=127.0.0.1:{port}",
             "--log-level=warning", "noticeboard:create_app()"],
            env=env, cwd=ROOT,
        )  # fmt: skip
        wait_until_up(base, server)
        board_url = f"{base}/api/v1/boards/{OFFICE}?lang=zh"
        started = time.perf_counter()
        status, body, headers = fetch(board_url)
        cold = time.perf_counter() - started
        assert status == 200, status
        for _ in range(args.workers * 20):  # warm the cache of every worker
            fetch(board_url)
        static_dir.mkdir(exist_ok=True)
        (static_dir / "same-size.json").write_bytes(b" " * len(body))
        static_url = f"{base}/static/bench/same-size.json"
        assert fetch(static_url)[0] == 200

        etag = headers["ETag"]
        items = body.count(b'"outcome"')
        print(
            f"board JSON of {OFFICE}: {len(body):,} bytes, {items} items; cold build {cold:.2f} s"
        )
        client = "wrk" if shutil.which("wrk") else "a Python client"
        print(
            f"gunicorn: {args.workers} {args.worker_class} workers; {client}, "
            f"{args.connections} connections, {args.seconds} s per run"
        )
        # Interleaved rounds and medians: a shared machine's load shifts during a run.
        runs: dict[str, list[float]] = {"board": [], "304": [], "static": []}
        for _ in range(args.rounds):
            runs["board"].append(measure(board_url, args.seconds, args.connections, {}))
            runs["304"].append(
                measure(board_url, args.seconds, args.connections, {"If-None-Match": etag})
            )
            runs["static"].append(measure(static_url, args.seconds, args.connections, {}))
        board, not_modified, static = (
            statistics.median(runs[k]) for k in ("board", "304", "static")
        )
        print(f"median of {args.rounds} rounds (requests/s):")
        print(f"  board JSON, 200 from the warm cache: {board:8,.0f}")
        print(f"  board JSON, 304 for If-None-Match:   {not_modified:8,.0f}")
        print(f"  static file of the same size:        {static:8,.0f}")
        print(f"ratio board / static: {board / static:.2f}", end="  ")
        print(f"(304 / static: {not_modified / static:.2f})")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(static_dir, ignore_errors=True)
        if args.keep:
            print(f"kept the database: --database-url {url}")
        elif not args.database_url:
            drop_database(args.server_url, url)


if __name__ == "__main__":
    main()
