"""How fast is the bulk import of opinions, and how much memory does it take?

Writes a 100,000-row spreadsheet of realistic opinions (demo laws, real article numbers,
the demo offices and their collection points, every channel and category, Chinese text)
and imports it on SQLite and on PostgreSQL, each in a fresh process on a fresh database
with the demo loaded, through the same services as `noticeboard import-opinions`: every
row checked, then all saved in one transaction. Prints rows per second for the check, the
save and the whole, and the process's peak resident memory (and its growth during the
import). Then times `noticeboard demo --scale 1000000` on PostgreSQL.

PostgreSQL work happens in a throw-away schema of the test database, dropped at the end.

    python benchmarks/import_speed.py [--rows 100000] [--format csv|xlsx] [--scale 1000000]
        [--engines sqlite,postgresql] [--skip-scale]
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

PG_URL = os.environ.get(
    "NOTICEBOARD_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
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


def pg_schema_url(admin: object, name: str) -> str:
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    with admin.connect() as conn:  # type: ignore[attr-defined]
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={name}"})
    return url.render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--scale", type=int, default=1_000_000)
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--one", nargs=3, metavar=("ENGINE", "URL", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one[0], args.one[1], Path(args.one[2]))))
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
            for engine in filter(None, args.engines.split(",")):
                if engine == "sqlite":
                    url = f"sqlite:///{tmp}/bench.sqlite3"
                else:
                    schemas.append(f"nb_bench_{uuid.uuid4().hex[:10]}")
                    url = pg_schema_url(admin, schemas[-1])
                out = subprocess.run(
                    [sys.executable, __file__, "--one", engine, url, str(file)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                r = json.loads(out.stdout.strip().splitlines()[-1])
                print(
                    f"{r['engine']:<10} {r['rows']:,} rows in {r['seconds']:.1f} s: "
                    f"{r['rows_per_s']:,.0f} rows/s (check {r['check_rows_per_s']:,.0f}/s, "
                    f"save {r['save_rows_per_s']:,.0f}/s); peak RSS {r['peak_rss_mib']:.0f} MiB "
                    f"(+{r['peak_rss_mib'] - r['rss_before_mib']:.0f} MiB over the "
                    f"{r['rss_before_mib']:.0f} MiB before the import)"
                )
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
