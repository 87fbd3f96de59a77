"""Speed at a million opinions: the issue's targets, measured with gunicorn and wrk.

Makes a throwaway PostgreSQL database and loads `noticeboard demo --scale N` (a million
opinions by default, about two minutes), or reuses one given with --database-url (and
the --instance folder that holds its demo logins). Then, against gunicorn on loopback:

1. the receipt lookup, `POST /track` with real codes, from one client and at 8
   concurrent connections (wrk): p50/p99, goal p99 < 10 ms. LOOKUP_MIN_SECONDS is set
   to 0 here: the production floor (0.3 s, so timing cannot tell codes apart) is a
   deliberate wait, not work;
2. with the cache off (every request builds its page from the database): the law's
   adoption board, the statistics page and the staff opinion list, 20 requests each one
   after another: p50/max, goal under 200 ms;
3. with the cache on and warm: the kiosk JSON against a static file of exactly its size
   from the same server (wrk, 8 connections): requests per second, goal ratio >= 1.

Bounded (wrk runs --seconds each), loopback only; the database is dropped at the end
unless it was given or --keep.

    python benchmarks/scale.py [--scale 1000000] [--seconds 10] [--database-url URL --instance DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (
    ROOT,
    app_env,
    get,
    gunicorn,
    noticeboard,
    percentile,
    request,
    throwaway_database,
)

OFFICE = "hongqiao"
CSRF = re.compile(rb'name="csrf_token" type="hidden" value="([^"]+)"')
LOOKUP_SCRIPT = """
codes = {%s}
counter = 0
request = function()
  counter = counter + 1
  local body = "csrf_token=%s&code=" .. codes[(counter %% #codes) + 1]
  return wrk.format("POST", "/track", {["Content-Type"] = "application/x-www-form-urlencoded",
                                      ["Cookie"] = "%s", ["Connection"] = "close"}, body)
end
"""


def wrk(url: str, seconds: float, connections: int, script: Path | None = None) -> dict[str, float]:
    """Requests per second and latency percentiles (ms) from wrk --latency."""
    if not shutil.which("wrk"):
        sys.exit("wrk is needed (Debian: apt-get install wrk)")
    # gunicorn's sync workers close every connection; saying so up front spares wrk's
    # reconnects, which otherwise add up to a second to a few requests.
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds:.0f}s", "--latency"]
    command += ["-H", "Connection: close"]
    if script is not None:
        command += ["-s", str(script)]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}  # type: ignore[union-attr]
    for name, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M):
        scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
        result[f"p{name}"] = float(value) * scale
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["non2xx"] = float(non2xx.group(1)) if non2xx else 0.0
    return result


def form_session(host: str, port: int, path: str) -> tuple[str, str]:
    page = get(host, port, path)
    match = CSRF.search(page.body)
    assert page.status == 200, page.status
    assert match, path
    return page.headers.get("set-cookie", "").split(";")[0], match.group(1).decode()


def login(host: str, port: int, email: str, password: str) -> str:
    cookie, token = form_session(host, port, "/staff/login")
    body = f"csrf_token={token}&email={email}&password={password}".encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    answer = request(host, port, "POST", "/staff/login", body=body, headers=headers)
    assert answer.status == 302, answer.status
    return answer.headers["set-cookie"].split(";")[0]


def timed(host: str, port: int, path: str, cookie: str = "", n: int = 20) -> list[float]:
    times = []
    for _ in range(n):
        answer = get(host, port, path, headers={"Cookie": cookie} if cookie else None)
        assert answer.status == 200, (path, answer.status)
        times.append(answer.seconds * 1000)
    return times


def codes_and_law(url: str) -> tuple[list[str], str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        codes = list(
            conn.scalars(text("SELECT receipt_code FROM opinion TABLESAMPLE SYSTEM (1) LIMIT 500"))
        )
        law = conn.scalar(
            text(
                "SELECT l.slug FROM opinion o JOIN law l ON l.id = o.law_id "
                "GROUP BY l.slug ORDER BY count(*) DESC LIMIT 1"
            )
        )
    engine.dispose()
    return codes, str(law)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1, help="gthread threads per worker")
    parser.add_argument("--database-url", help="reuse a database loaded earlier")
    parser.add_argument("--instance", type=Path, help="its instance folder (demo logins)")
    parser.add_argument("--only-lookup", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database")
    args = parser.parse_args()
    if args.seconds > 60:
        sys.exit("Keep the run bounded: at most 60 s per measurement.")

    with ExitStack() as stack:
        if args.database_url:
            url, instance = args.database_url, args.instance
            if instance is None:
                sys.exit("--database-url needs --instance (the folder with demo-logins.json)")
        else:
            url = stack.enter_context(throwaway_database("nb_bench_scale", keep=args.keep))
            instance = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            env = app_env(url, instance)
            started = time.monotonic()
            noticeboard(["init-db"], env)
            noticeboard(["demo", "--scale", str(args.scale)], env)
            print(f"loaded demo --scale {args.scale} in {time.monotonic() - started:.0f} s")
        noticeboard(["init-db"], app_env(url, instance))  # the latest indexes
        logins = json.loads((instance / "demo-logins.json").read_text())
        email, _, password = next(row for row in logins if row[1] == "office")
        codes, law = codes_and_law(url)
        log = instance / "gunicorn.log"

        print(
            f"\n1. lookup, POST /track, {len(codes)} real codes, 8 connections, "
            f"{args.seconds:.0f} s"
        )
        env = app_env(url, instance, NOTICEBOARD_LOOKUP_MIN_SECONDS="0")
        with gunicorn(env, args.workers, log, args.threads) as (host, port):
            cookie, token = form_session(host, port, "/track")
            script = instance / "lookup.lua"
            quoted = ", ".join(f'"{c}"' for c in codes)
            script.write_text(LOOKUP_SCRIPT % (quoted, token, cookie))
            found = request(
                host, port, "POST", "/track",
                body=f"csrf_token={token}&code={codes[0]}".encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
            )  # fmt: skip
            assert found.status == 200, found.status
            assert b"track-result" in found.body
            one = [
                request(
                    host, port, "POST", "/track",
                    body=f"csrf_token={token}&code={code}".encode(),
                    headers={"Content-Type": "application/x-www-form-urlencoded",
                             "Cookie": cookie},
                ).seconds * 1000
                for code in codes[:200]
            ]  # fmt: skip
            print(
                f"   one client, 200 lookups: p50 {percentile(one, 0.5):.1f} ms, "
                f"p99 {percentile(one, 0.99):.1f} ms"
            )
            result = wrk(f"http://{host}:{port}/track", args.seconds, 8, script)
            print(
                f"   {result['rps']:.0f} lookups/s, p50 {result['p50']:.1f} ms, "
                f"p99 {result['p99']:.1f} ms (goal < 10 ms), non-2xx {result['non2xx']:.0f}"
            )

        if args.only_lookup:
            return
        print("\n2. cache off: 20 requests each, one after another")
        env = app_env(url, instance, NOTICEBOARD_CACHE_TYPE="NullCache")
        with gunicorn(env, args.workers, log) as (host, port):
            staff = login(host, port, email, password)
            for label, path, cookie in (
                ("adoption board", f"/laws/{law}/adopted", ""),
                ("statistics", "/stats", ""),
                ("staff opinion list", "/staff/opinions", staff),
                ("staff list, one law", f"/staff/opinions?law={law}", staff),
                ("staff list, page 50", "/staff/opinions?page=50", staff),
                ("office page", f"/offices/{OFFICE}", ""),
                ("home", "/", ""),
            ):
                times = timed(host, port, path, cookie)
                print(
                    f"   {label:<20} p50 {percentile(times, 0.5):6.1f} ms, "
                    f"max {max(times):6.1f} ms (goal < 200 ms)  {path}"
                )

        print(
            f"\n3. kiosk JSON, warm cache, against a static file of its size, {args.seconds:.0f} s"
        )
        static_dir = ROOT / "static" / "bench"
        env = app_env(url, instance)
        with gunicorn(env, args.workers, log) as (host, port):
            board = get(host, port, f"/api/v1/boards/{OFFICE}?lang=zh")
            assert board.status == 200
            static_dir.mkdir(exist_ok=True)
            try:
                (static_dir / "board-size.json").write_bytes(b" " * len(board.body))
                base = f"http://{host}:{port}"
                board_rps = wrk(f"{base}/api/v1/boards/{OFFICE}?lang=zh", args.seconds, 8)
                static_rps = wrk(f"{base}/static/bench/board-size.json", args.seconds, 8)
            finally:
                shutil.rmtree(static_dir, ignore_errors=True)
            ratio = board_rps["rps"] / static_rps["rps"]
            print(
                f"   board JSON ({len(board.body)} bytes): {board_rps['rps']:.0f} requests/s, "
                f"p99 {board_rps['p99']:.1f} ms\n"
                f"   static file, same size:  {static_rps['rps']:.0f} requests/s, "
                f"p99 {static_rps['p99']:.1f} ms\n   ratio {ratio:.2f} (goal >= 1)"
            )


if __name__ == "__main__":
    main()
