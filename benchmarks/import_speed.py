"""How fast is the bulk import of opinions, and how much memory does it take?

Writes a 100,000-row spreadsheet of realistic opinions (demo laws, real article numbers,
the demo offices and their collection points, every channel and category, Chinese text)
and imports it on SQLite and on PostgreSQL, each on a fresh database with the demo loaded,
in two ways:

- **through the queue** (as the staff page and `import-opinions --background` do): the
  file is stored with a job, a real `noticeboard worker` process (SqliteHuey beside
  SQLite, RedisHuey beside PostgreSQL) checks every row and saves them all in one
  transaction. Prints rows per second from the commit that queued the job to the row
  saying done (pick-up included), the worker's own time (claim to done), and the peak
  resident memory of the worker process that ran it (VmHWM);
- **in process** (`import-opinions` without --background, and the import before the job
  queue): check then save in the benchmark's own process, rows per second for each phase.

Then times `noticeboard demo --scale 1000000` on PostgreSQL.

PostgreSQL work happens in a throw-away schema of the test database, dropped at the end.

    python benchmarks/import_speed.py [--rows 100000] [--format csv|xlsx] [--scale 1000000]
        [--engines sqlite,postgresql] [--modes queue,in-process] [--skip-scale]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

PG_URL = os.environ.get(
    "NOTICEBOARD_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("NOTICEBOARD_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
HEADER = [
    "law",
    "version",
    "articles",
    "office",
    "collection_point",
    "channel",
    "received_on",
    "contributor_name",
    "contributor_category",
    "name_public",
    "contact",
    "text",
]
LAWS = {"minors-protection-law": 132, "food-safety-law": 154, "foreign-trade-law": 69}
OFFICES = {
    "hongqiao": ["ronghua-teahouse", "hongqiao-middle-school", ""],
    "lintao": ["drum-tower", ""],
    "yiwu": ["trade-city", ""],
    "kunshan": [""],
    "changning": [""],
    "gubei": [""],
    "hefei": [""],
}
CHANNELS = [
    "symposium",
    "letter",
    "online_form",
    "social_media",
    "qr_poster",
    "hearing",
    "school",
    "other",
    "座谈会",
    "来信",
]
CATEGORIES = ["citizen", "enterprise", "organisation", "expert", "deputy", "student", "学生", ""]
TEXTS = [
    "建议第{n}条进一步明确责任主体和办理时限，增加可操作性。",
    "对第{n}条的规定，建议细化监督检查的方式，并向社会公开检查结果。",
    "建议在第{n}条增加对农村地区和困难群众的具体保障措施。",
]


def write_rows(path: Path, rows: int, fmt: str) -> None:
    rng = random.Random(6)
    records = []
    for n in range(rows):
        law = rng.choice(list(LAWS))
        office = rng.choice(list(OFFICES))
        article = rng.randint(1, LAWS[law])
        name = rng.choice(["", "王芳", "李明", "张伟"])
        records.append(
            [
                law,
                "",
                str(article),
                office,
                rng.choice(OFFICES[office]),
                rng.choice(CHANNELS),
                f"2024-0{rng.randint(1, 9)}-{rng.randint(10, 28)}",
                name,
                rng.choice(CATEGORIES),
                "是" if name and rng.random() < 0.3 else rng.choice(["no", "否", ""]),
                f"contributor{n}@example.org" if n % 3 == 0 else "",
                rng.choice(TEXTS).format(n=article),
            ]
        )
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADER)
            writer.writerows(records)
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("opinions")
        sheet.append(HEADER)
        for record in records:
            sheet.append(record)
        book.save(path)


def rss_mib() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure_one(engine: str, url: str, file: Path) -> dict[str, object]:
    """In this (fresh) process: load the demo, then import ``file`` as the CLI does."""
    from flask_migrate import upgrade

    from noticeboard import create_app
    from noticeboard.extensions import db
    from noticeboard.services.accounts.users import make_hasher
    from noticeboard.services.demo.loader import load_demo
    from noticeboard.services.imports.files import open_table
    from noticeboard.services.imports.opinion_import import check_import, save_import
    from noticeboard.services.permissions import SYSTEM

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "benchmark", "TESTING": True})
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        load_demo(db.session(), make_hasher("CHEAPEST"))
        db.session.commit()
        before = rss_mib()
        started = time.perf_counter()
        with file.open("rb") as stream:
            report = check_import(db.session(), SYSTEM, open_table(stream))
        checked = time.perf_counter()
        assert report.ok, [str(e) for e in report.errors[:5]]
        db.session.rollback()
        save_import(db.session(), SYSTEM, report, source_name=file.name)
        db.session.commit()
        done = time.perf_counter()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rows = report.created
        db.engine.dispose()
    return {
        "engine": engine,
        "rows": rows,
        "check_rows_per_s": rows / (checked - started),
        "save_rows_per_s": rows / (done - checked),
        "rows_per_s": rows / (done - started),
        "seconds": done - started,
        "peak_rss_mib": peak,
        "rss_before_mib": before,
    }


def measure_queue(engine: str, url: str, file: Path) -> dict[str, object]:
    """In this (fresh) process: load the demo, start a worker process, queue the import,
    and wait for its row to say done."""
    import signal

    from flask_migrate import upgrade

    from noticeboard import create_app
    from noticeboard.extensions import db
    from noticeboard.models import Job, JobState
    from noticeboard.services.accounts.users import make_hasher
    from noticeboard.services.demo.loader import load_demo
    from noticeboard.services.imports.jobs import start_import
    from noticeboard.services.permissions import SYSTEM
    from noticeboard.worker.queue import job_queue

    instance = Path(tempfile.mkdtemp(prefix="nb-bench-"))
    queue_name = f"nbbench{uuid.uuid4().hex[:10]}"
    config = {
        "DATABASE_URL": url,
        "SECRET_KEY": "benchmark",
        "INSTANCE_PATH": str(instance),
        "QUEUE_NAME": queue_name,
        "REDIS_URL": REDIS_URL if engine == "postgresql" else None,
    }
    app = create_app(config)
    env = {
        **os.environ,
        "NOTICEBOARD_DATABASE_URL": url,
        "NOTICEBOARD_INSTANCE_PATH": str(instance),
        "NOTICEBOARD_QUEUE_NAME": queue_name,
    }
    env.pop("NOTICEBOARD_REDIS_URL", None)
    if engine == "postgresql":
        env["NOTICEBOARD_REDIS_URL"] = REDIS_URL
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        load_demo(db.session(), make_hasher("CHEAPEST"))
        db.session.commit()
        log = instance / "worker.log"
        with log.open("wb") as out:
            worker = subprocess.Popen(
                [sys.executable, "-m", "noticeboard", "worker"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            # Timed from a worker waiting for work, as on a site, not from its start-up.
            while "Huey consumer started" not in log.read_text():
                assert worker.poll() is None, log.read_text()
                time.sleep(0.1)
            time.sleep(1)
            payload = file.read_bytes()
            session = db.session()
            job = start_import(
                session,
                SYSTEM,
                job_queue(app),
                filename=file.name,
                law_slug=None,
                dry_run=False,
                payload=payload,
            )
            job_id = job.id
            started = time.perf_counter()
            session.commit()
            peak = 0.0
            while True:
                db.session.remove()
                found = db.session.get(Job, job_id)
                assert found is not None
                if found.worker:
                    peak = max(peak, vm_hwm_mib(int(found.worker.rsplit(":", 1)[1])))
                if found.state.finished:
                    break
                time.sleep(0.05)
            done = time.perf_counter()
            assert found.state is JobState.DONE, (found.state, found.message, found.errors[:3])
            assert found.started_at is not None
            assert found.finished_at is not None
            worked = (found.finished_at - found.started_at).total_seconds()
            rows = int(found.result["created"])
        finally:
            worker.send_signal(signal.SIGINT)
            worker.wait(timeout=30)
        db.engine.dispose()
    if engine == "postgresql":
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(match=f"*{queue_name}*"):
            client.delete(key)
    return {
        "engine": engine,
        "rows": rows,
        "rows_per_s": rows / (done - started),
        "seconds": done - started,
        "worker_rows_per_s": rows / worked,
        "worker_seconds": worked,
        "worker_peak_rss_mib": peak,
    }


def vm_hwm_mib(pid: int) -> float:
    """A process's peak resident memory so far; 0 once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pg_schema_url(admin: object, name: str) -> str:
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    with admin.connect() as conn:  # type: ignore[attr-defined]
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={name}"})
    return url.render_as_string(hide_password=False)


def report_line(mode: str, r: dict[str, Any]) -> str:
    head = f"{r['engine']:<10} {mode:<10} {r['rows']:,} rows in {r['seconds']:.1f} s: "
    if mode == "queue":
        return head + (
            f"{r['rows_per_s']:,.0f} rows/s queued to done (the worker's own "
            f"{r['worker_seconds']:.1f} s: {r['worker_rows_per_s']:,.0f} rows/s); "
            f"worker peak RSS {r['worker_peak_rss_mib']:.0f} MiB"
        )
    return head + (
        f"{r['rows_per_s']:,.0f} rows/s (check {r['check_rows_per_s']:,.0f}/s, "
        f"save {r['save_rows_per_s']:,.0f}/s); peak RSS {r['peak_rss_mib']:.0f} MiB "
        f"(+{r['peak_rss_mib'] - r['rss_before_mib']:.0f} MiB over the "
        f"{r['rss_before_mib']:.0f} MiB before the import)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--scale", type=int, default=1_000_000)
    parser.add_argument("--modes", default="queue,in-process")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument(
        "--one", nargs=4, metavar=("MODE", "ENGINE", "URL", "FILE"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.one:
        mode, engine, url, path = args.one
        measure = measure_queue if mode == "queue" else measure_one
        print(json.dumps(measure(engine, url, Path(path))))
        return

    from sqlalchemy import create_engine, text

    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    schemas: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / f"opinions.{args.format}"
        started = time.perf_counter()
        write_rows(file, args.rows, args.format)
        size = file.stat().st_size / 2**20
        print(
            f"{args.rows:,} rows written to {file.name} ({size:.1f} MiB) "
            f"in {time.perf_counter() - started:.1f} s"
        )
        try:
            runs = [
                (mode, engine)
                for engine in filter(None, args.engines.split(","))
                for mode in filter(None, args.modes.split(","))
            ]
            for n, (mode, engine) in enumerate(runs):
                if engine == "sqlite":
                    url = f"sqlite:///{tmp}/bench-{n}.sqlite3"
                else:
                    schemas.append(f"nb_bench_{uuid.uuid4().hex[:10]}")
                    url = pg_schema_url(admin, schemas[-1])
                out = subprocess.run(
                    [sys.executable, __file__, "--one", mode, engine, url, str(file)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                r = json.loads(out.stdout.strip().splitlines()[-1])
                print(report_line(mode, r))
            if not args.skip_scale:
                schemas.append(f"nb_bench_{uuid.uuid4().hex[:10]}")
                env = {
                    **os.environ,
                    "NOTICEBOARD_DATABASE_URL": pg_schema_url(admin, schemas[-1]),
                    "NOTICEBOARD_INSTANCE_PATH": tmp,
                }
                started = time.perf_counter()
                out = subprocess.run(
                    [sys.executable, "-m", "noticeboard", "demo", "--scale", str(args.scale)],
                    capture_output=True,
                    text=True,
                    check=True,
                    env=env,
                )
                total = time.perf_counter() - started
                added = [line for line in out.stdout.splitlines() if line.startswith("Added")]
                print(
                    f"postgresql demo --scale {args.scale:,}: {added[-1]} "
                    f"({total:.1f} s including the demo itself)"
                )
        finally:
            with admin.connect() as conn:
                for name in schemas:
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
            admin.dispose()


if __name__ == "__main__":
    main()
