"""Faults under load: the database connection goes away for several seconds mid-run.

Makes a throwaway PostgreSQL database with the demo data, serves it with gunicorn
through a small TCP proxy (asyncio, in this process) to the local PostgreSQL, and drives
all at once, from several client threads: the kiosk JSON, the receipt lookup
(`POST /track`), public pages, and staff recording opinions through the API (bearer
token; each 201 carries the receipt code). At --cut-at seconds the proxy drops every
connection and refuses new ones for --cut-for seconds, then lets them through again. The
machine's PostgreSQL itself is never touched.

Prints requests per second, p50/p99 latency per kind, answers by status before, during
and after the cut, how long the site took to recover, whether the 503s were the clear
page, and the opinions acknowledged with a receipt code that are not in the database
(lost: the goal is none). Bounded in time (--seconds) and requests (--max-requests);
loopback only; the database is dropped at the end.

    python benchmarks/load.py [--seconds 30] [--cut-at 10] [--cut-for 6] [--clients 8]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (
    Answer,
    app_env,
    free_port,
    get,
    gunicorn,
    noticeboard,
    percentile,
    request,
    throwaway_database,
)

OFFICE = "hongqiao"
CSRF = re.compile(rb'name="csrf_token" type="hidden" value="([^"]+)"')


class Proxy:
    """A TCP relay 127.0.0.1:<port> -> upstream that can be cut and restored."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self.server: asyncio.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self._call(self._listen())

    def _call(self, coroutine) -> None:  # type: ignore[no-untyped-def]
        asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=10)

    async def _listen(self) -> None:
        self.server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)

    async def _relay(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            server_r, server_w = await asyncio.open_connection(*self.upstream)
        except OSError:
            client_w.close()
            return
        self.writers |= {client_w, server_w}

        async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                while data := await reader.read(65536):
                    writer.write(data)
                    await writer.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                writer.close()
                self.writers.discard(writer)

        await asyncio.gather(pipe(client_r, server_w), pipe(server_r, client_w))

    async def _cut(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        for writer in list(self.writers):
            writer.transport.abort()  # a reset, as when the database host goes away
        self.writers.clear()

    def cut(self) -> None:
        self._call(self._cut())

    def restore(self) -> None:
        self._call(self._listen())

    def stop(self) -> None:
        self._call(self._cut())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)


@dataclass
class Sample:
    kind: str
    started: float  # seconds since the run began
    seconds: float
    status: int  # 0: no answer at all (connection refused or reset)
    clear_503: bool = True
    receipt: str | None = None


def prepare(database_url: str, instance: Path, scale: int) -> dict[str, object]:
    """Demo data, an API token for the office staff, receipt codes to look up."""
    env = app_env(database_url, instance)
    noticeboard(["init-db"], env)
    noticeboard(["demo", *(["--scale", str(scale)] if scale else [])], env)
    from noticeboard import create_app
    from noticeboard.extensions import db
    from noticeboard.models import DraftVersion, Law, Opinion, User, VersionStatus
    from noticeboard.services.accounts.api_tokens import create_token

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "prepare"})
    with app.app_context():
        session = db.session()
        user = session.scalars(select(User).where(User.email.like(f"{OFFICE}@%"))).one()
        token = create_token(session, user, "load benchmark").secret
        codes = list(session.scalars(select(Opinion.receipt_code).limit(300)))
        version = session.scalars(
            select(DraftVersion)
            .join(Law)
            .where(DraftVersion.status == VersionStatus.PUBLISHED, Law.title_en.is_not(None))
            .order_by(DraftVersion.comment_opens_at.desc().nulls_last())
        ).first()
        assert version is not None
        law = version.law.slug
        laws = list(session.scalars(select(Law.slug)))
        session.commit()
        db.engine.dispose()
    return {"token": token, "codes": codes, "law": law, "laws": laws}


class Client(threading.Thread):
    def __init__(
        self, host: str, port: int, data: dict[str, object], begin: float, end: float
    ) -> None:
        super().__init__(daemon=True)
        self.host, self.port, self.data = host, port, data
        self.begin, self.end = begin, end
        self.samples: list[Sample] = []
        self.rng = random.Random()
        self.csrf: tuple[str, str] | None = None
        self.budget = 0

    def _form_session(self) -> tuple[str, str]:
        page = get(self.host, self.port, "/track")
        match = CSRF.search(page.body)
        cookie = page.headers.get("set-cookie", "").split(";")[0]
        if page.status != 200 or not match:
            raise OSError("no form")
        return cookie, match.group(1).decode()

    def one(self) -> Sample:
        kind = self.rng.choices(
            ["kiosk", "track", "page", "record"], weights=[30, 20, 30, 20], k=1
        )[0]
        started = time.monotonic() - self.begin
        try:
            answer, receipt = self._send(kind)
        except OSError:
            return Sample(kind, started, time.monotonic() - self.begin - started, 0)
        clear = answer.status != 503 or (
            b"unavailable" in answer.body
            if kind in ("kiosk", "record")
            else b"Temporarily unavailable" in answer.body or "暂时".encode() in answer.body
        )
        return Sample(kind, started, answer.seconds, answer.status, clear, receipt)

    def _send(self, kind: str) -> tuple[Answer, str | None]:
        h, p, rng = self.host, self.port, self.rng
        if kind == "kiosk":
            return get(h, p, f"/api/v1/boards/{OFFICE}?lang=zh"), None
        if kind == "page":
            law = rng.choice(self.data["laws"])  # type: ignore[arg-type]
            path = rng.choice(
                [
                    "/?lang=en",
                    f"/laws/{law}",
                    f"/laws/{law}/adopted",
                    "/stats",
                    f"/offices/{OFFICE}",
                ]
            )
            return get(h, p, path), None
        if kind == "track":
            if self.csrf is None:
                self.csrf = self._form_session()
            cookie, token = self.csrf
            code = rng.choice(self.data["codes"])  # type: ignore[arg-type]
            answer = request(
                h, p, "POST", "/track",
                body=f"csrf_token={token}&code={code}".encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
            )  # fmt: skip
            return answer, None
        body = {
            "law": self.data["law"],
            "office": OFFICE,
            "channel": "symposium",
            "received_on": date.today().isoformat(),
            "text": f"负载测试意见 {rng.random()}：建议增加学校保护的内容。",
        }
        answer = request(
            h, p, "POST", "/api/v1/opinions",
            body=json.dumps(body).encode(),
            headers={"Content-Type": "application/json",
                     "Authorization": f"Bearer {self.data['token']}"},
        )  # fmt: skip
        receipt = json.loads(answer.body)["receipt_code"] if answer.status == 201 else None
        return answer, receipt

    def run(self) -> None:
        while time.monotonic() < self.end and self.budget > 0:
            self.budget -= 1
            self.samples.append(self.one())


def report(samples: list[Sample], seconds: float, cut: tuple[float, float]) -> None:
    start, stop = cut
    print(f"\n{len(samples)} requests in {seconds:.1f} s: {len(samples) / seconds:.0f} requests/s")
    print(f"{'kind':<8} {'n':>6} {'p50 ms':>8} {'p99 ms':>8}  (answers outside the cut)")
    for kind in ("kiosk", "track", "page", "record"):
        times_ok = [
            s.seconds * 1000
            for s in samples
            if s.kind == kind and s.status in (200, 201) and not start <= s.started < stop
        ]
        n = sum(1 for s in samples if s.kind == kind)
        print(
            f"{kind:<8} {n:>6} {percentile(times_ok, 0.5):>8.1f} {percentile(times_ok, 0.99):>8.1f}"
        )
    phases: dict[str, Counter[int]] = defaultdict(Counter)
    early = [s for s in samples if s.started < start and s.status == 503]
    for s in early[:5]:
        print(f"503 before the cut: {s.kind} at {s.started:.2f} s")
    for s in samples:
        phase = "before" if s.started < start else "during" if s.started < stop else "after"
        phases[phase][s.status] += 1
    for phase in ("before", "during", "after"):
        print(
            f"{phase:<7} cut: " + ", ".join(f"{k}: {v}" for k, v in sorted(phases[phase].items()))
        )
    during = [s for s in samples if start <= s.started < stop]
    for kind in ("kiosk", "track", "page", "record"):
        statuses = Counter(s.status for s in during if s.kind == kind)
        print(
            f"  during, {kind:<6}: " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))
        )
    after = sorted((s for s in samples if s.started >= stop), key=lambda s: s.started)
    healthy = next((s for s in after if s.status in (200, 201) and s.kind != "kiosk"), None)
    if healthy is not None:
        print(
            f"recovered: first database-backed answer {healthy.started - stop:.2f} s "
            "after the cut ended"
        )
    print(f"5xx other than 503: {sum(1 for s in samples if s.status >= 500 and s.status != 503)}")
    print(
        f"503 answers without the clear page or JSON error: {sum(not s.clear_503 for s in samples)}"
    )


def count_lost(database_url: str, receipts: list[str]) -> int:
    codes = [code.replace("-", "") for code in receipts]
    engine = create_engine(database_url)
    with Session(engine) as session:
        found = session.scalar(
            text("SELECT count(*) FROM opinion WHERE receipt_code = ANY(:codes)"), {"codes": codes}
        )
    engine.dispose()
    return len(codes) - int(found or 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--cut-at", type=float, default=10)
    parser.add_argument("--cut-for", type=float, default=6)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--max-requests", type=int, default=40_000)
    parser.add_argument("--scale", type=int, default=0, help="demo --scale N first")
    args = parser.parse_args()
    if args.seconds > 300 or args.max_requests > 200_000:
        sys.exit("Keep the run bounded: at most 300 s and 200,000 requests.")

    with tempfile.TemporaryDirectory() as folder, throwaway_database("nb_bench_load") as url:
        instance = Path(folder)
        print(f"preparing {url.rsplit('/', 1)[-1]} (demo, --scale {args.scale})")
        data = prepare(url, instance, args.scale)
        proxy = Proxy(("127.0.0.1", 5432))
        proxied = url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")
        env = app_env(proxied, instance, NOTICEBOARD_LOOKUP_MIN_SECONDS="0")
        try:
            with gunicorn(env, args.workers, instance / "gunicorn.log") as (host, port):
                begin = time.monotonic()
                end = begin + args.seconds
                clients = [Client(host, port, data, begin, end) for _ in range(args.clients)]
                for client in clients:
                    client.budget = args.max_requests // args.clients
                    client.start()
                time.sleep(max(0.0, begin + args.cut_at - time.monotonic()))
                proxy.cut()
                cut_start = time.monotonic() - begin
                print(f"cut the database connection at {cut_start:.1f} s")
                time.sleep(args.cut_for)
                proxy.restore()
                cut_stop = time.monotonic() - begin
                print(f"restored it at {cut_stop:.1f} s")
                for client in clients:
                    client.join()
                elapsed = time.monotonic() - begin
                log = (instance / "gunicorn.log").read_text(errors="replace")
        finally:
            proxy.stop()
        samples = [s for c in clients for s in c.samples]
        report(samples, elapsed, (cut_start, cut_stop))
        receipts = [s.receipt for s in samples if s.receipt]
        lost = count_lost(url, receipts)
        print(f"opinions acknowledged with a receipt code: {len(receipts)}; lost: {lost}")
        reasons = Counter(re.findall(r"database unavailable during \S+ \S+: (\w+)", log))
        print(
            f"gunicorn log: database unavailable {dict(reasons)}, "
            f"{log.count('Traceback')} tracebacks"
        )
        if lost:
            sys.exit(1)


if __name__ == "__main__":
    main()
