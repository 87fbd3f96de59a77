"""The triage queue and the office's report on PostgreSQL, with triage rows written
directly (no clustering or matching run): response times and EXPLAIN ANALYZE of every
statement the pages send.

Makes a throwaway database with one law of two 80-article versions, N opinions (100,000
by default) from 20 offices: a third in 3,000 campaigns of skewed sizes, three stored
matches each (rank 1 to 3, scores spread over [0.1, 1)), a fifth decided, one in twenty
linked. Then, in this process, warm requests to each page, and the plans.

    python benchmarks/triage_queue_pages.py [--opinions 100000] [--requests 20] [--keep]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import percentile, throwaway_database

PASSWORD = "benchmark password"  # noqa: S105 - a throwaway database


def draft(articles: int, edited: bool) -> str:
    from noticeboard.diffing.numerals import to_chinese_numeral

    lines = []
    for n in range(1, articles + 1):
        body = f"本条规定第{n}项未成年人保护事项，有关部门应当依法履行职责。"
        if edited and n % 4 == 0:
            body = body.replace("依法履行职责", f"在{n}日内依法履行职责并公开结果")
        lines.append(f"第{to_chinese_numeral(n)}条 {body}")
    return "\n".join(lines) + "\n"


def seed(session: Any, count: int) -> tuple[str, list[str]]:
    from sqlalchemy import select, text

    from noticeboard.models import (
        Change,
        ChangeKind,
        Channel,
        ContributorCategory,
        Office,
        OfficeTier,
        Outcome,
        Role,
        User,
        utcnow,
    )
    from noticeboard.services.accounts.users import make_hasher
    from noticeboard.services.imports.opinion_import import INSERT_COLUMNS
    from noticeboard.services.laws.comparisons import stored_between
    from noticeboard.services.laws.creation import create_law
    from noticeboard.services.laws.versions import add_version
    from noticeboard.services.opinions.bulk import insert_opinions
    from noticeboard.services.permissions import SYSTEM

    rng = random.Random(18)
    law = create_law(session, SYSTEM, slug="national-code", title="全国性法典", title_en="A Code")
    v1 = add_version(
        session, SYSTEM, law, label="一审稿", source_text=draft(80, False), publish=True
    )
    v2 = add_version(
        session, SYSTEM, law, label="二审稿", source_text=draft(80, True), publish=True
    )
    comparison = stored_between(session, v1, v2)
    assert comparison is not None
    changes = [c.id for c in comparison.changes if c.kind is not ChangeKind.UNCHANGED]
    changes = changes or [c.id for c in session.scalars(select(Change))]
    offices = []
    for n in range(20):
        office = Office(slug=f"office-{n}", name=f"联系点{n}", tier=OfficeTier.PREFECTURE)
        session.add(office)
        offices.append(office)
    session.add(
        User(
            email="commission@example.org",
            role=Role.COMMISSION,
            password_hash=make_hasher("CHEAPEST").hash(PASSWORD),
        )
    )
    session.flush()
    now = utcnow()
    articles = [a.id for a in v1.articles]
    rows = []
    for n in range(count):
        decided = rng.random() < 0.2
        rows.append(
            (law.id, v1.id, rng.choice(offices).id, None, Channel.LETTER, date(2024, 5, 6), "",
             ContributorCategory.CITIZEN, False, "", f"第{n}号意见：建议修改有关条文的表述。" * 3,
             "", Outcome.NOT_ADOPTED if decided else Outcome.PENDING, None, now, now)
        )  # fmt: skip
    links = [[rng.choice(articles)] if rng.random() < 0.8 else [] for _ in range(count)]
    ids = insert_opinions(session, INSERT_COLUMNS, rows, links)
    # Campaigns: sizes from a long tail (a few thousands, many of two or three).
    sizes = sorted((max(2, int(rng.paretovariate(0.9))) for _ in range(3000)), reverse=True)
    in_campaigns = count // 3
    scale = in_campaigns / sum(sizes)
    sizes = [max(2, int(s * scale)) for s in sizes]
    cursor = session.connection().connection.driver_connection.cursor()
    cluster_ids = list(session.scalars(text(
        "INSERT INTO opinion_cluster (law_id, size, created_at) "
        "SELECT :law, 0, now() FROM generate_series(1, :n) RETURNING id"
    ), {"law": law.id, "n": len(sizes)}))  # fmt: skip
    members: dict[int, int] = {}
    position = 0
    shuffled = ids[:]
    rng.shuffle(shuffled)
    for cluster_id, size in zip(cluster_ids, sizes, strict=True):
        for opinion_id in shuffled[position : position + size]:
            members[opinion_id] = cluster_id
        position += size
        if position >= in_campaigns:
            break
    with cursor.copy(
        "COPY opinion_triage (opinion_id, law_id, cluster_id, shingles, kept_apart, clustered_at,"
        " matched_at) FROM STDIN"
    ) as copy:
        for opinion_id in ids:
            copy.write_row((opinion_id, law.id, members.get(opinion_id), 20, False, now, now))
    with cursor.copy(
        "COPY opinion_match (opinion_id, change_id, score, rank, article, quoted,"
        ' "similar", against) FROM STDIN'
    ) as copy:
        for opinion_id in ids:
            best = rng.random()
            for rank, change_id in enumerate(rng.sample(changes, 3), start=1):
                copy.write_row((opinion_id, change_id, best / rank, rank, 0.0, 0.0, best, 0.0))
    with cursor.copy(
        "COPY change_link (change_id, opinion_id, degree, note, created_at) FROM STDIN"
    ) as copy:
        for opinion_id in ids[::20]:
            copy.write_row((rng.choice(changes), opinion_id, "full", "", now))
    session.execute(text(
        "UPDATE opinion_cluster c SET size = s.n, representative_id = s.first FROM "
        "(SELECT cluster_id, count(*) AS n, min(opinion_id) AS first FROM opinion_triage "
        "WHERE cluster_id IS NOT NULL GROUP BY cluster_id) s WHERE s.cluster_id = c.id"
    ))  # fmt: skip
    cursor.close()
    return law.slug, [o.slug for o in offices]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--opinions", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--database-url", help="reuse a database this script seeded (--keep)")
    parser.add_argument("--only", help="measure only the pages whose name starts so")
    parser.add_argument("--profile", action="store_true", help="profile one request of two pages")
    args = parser.parse_args()

    from flask_migrate import upgrade
    from sqlalchemy import event, text

    from noticeboard.app import create_app
    from noticeboard.extensions import db

    with ExitStack() as stack:
        instance = stack.enter_context(tempfile.TemporaryDirectory())
        url = args.database_url or stack.enter_context(
            throwaway_database("nb_bench_queue", keep=args.keep)
        )
        print(f"database: {url}")
        app = create_app(
            {
                "DATABASE_URL": url,
                "INSTANCE_PATH": instance,
                "SECRET_KEY": "benchmark",
                "RATELIMIT_ENABLED": False,
                "WTF_CSRF_ENABLED": False,
                "TRIAGE_ON_RECORD": False,
                "CACHE_TYPE": "NullCache",
            }
        )
        with app.app_context():
            engine = db.engine
            if args.database_url:
                slug, offices = "national-code", [f"office-{n}" for n in range(20)]
            else:
                upgrade(directory=app.extensions["migrate"].directory)
                started = time.monotonic()
                slug, offices = seed(db.session(), args.opinions)
                db.session.commit()
                with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.execute(text("VACUUM ANALYZE"))
                print(f"seeded {args.opinions:,} opinions in {time.monotonic() - started:.0f} s")
        client = app.test_client()
        answer = client.post(
            "/staff/login", data={"email": "commission@example.org", "password": PASSWORD}
        )
        assert answer.status_code == 302, answer.status_code
        pages = {
            "queue": f"/staff/laws/{slug}/triage",
            "queue, unmatched": f"/staff/laws/{slug}/triage?match=unmatched",
            "queue, page 20": f"/staff/laws/{slug}/triage?page=20",
            "queue, one office": f"/staff/laws/{slug}/triage?office={offices[3]}",
            "queue, all outcomes": f"/staff/laws/{slug}/triage?outcome=all&min_size=3",
            "report, every office": f"/staff/laws/{slug}/office-report",
            "report, one office": f"/staff/laws/{slug}/office-report?office={offices[3]}",
            "report xlsx, one office": f"/staff/laws/{slug}/office-report.xlsx?office={offices[3]}",
            "report docx, one office": f"/staff/laws/{slug}/office-report.docx?office={offices[3]}",
        }
        captured: list[tuple[str, Any, float]] = []
        starts: list[float] = []

        def before(conn: Any, cursor: Any, statement: str, parameters: Any, *rest: Any) -> None:
            starts.append(time.perf_counter())

        def after(conn: Any, cursor: Any, statement: str, parameters: Any, *rest: Any) -> None:
            captured.append((statement, parameters, time.perf_counter() - starts.pop()))

        event.listen(engine, "before_cursor_execute", before)
        event.listen(engine, "after_cursor_execute", after)
        plans: dict[str, list[tuple[str, Any, float]]] = {}
        print(f"\n{args.requests} warm requests each (ms):")
        for name, path in pages.items():
            if args.only and not name.startswith(args.only):
                continue
            for _ in range(2):
                assert client.get(path).status_code == 200, path
            times = []
            for _ in range(args.requests):
                captured.clear()
                started = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            plans[name] = list(captured)
            slowest = max(seconds for _, _, seconds in captured) * 1000
            p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
            print(
                f"  {name:<24} p50 {p50:7.1f}  p95 {p95:7.1f}"
                f"  statements {len(captured):3d}, slowest {slowest:6.1f}"
            )
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
        if args.profile:
            import cProfile
            import pstats

            for name in [n for n in ("queue", "report, every office") if n in plans]:
                profile = cProfile.Profile()
                profile.runcall(client.get, pages[name])
                print(f"\nprofile, {name}:")
                pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        for name in ("queue", "queue, unmatched", "report, every office"):
            if name not in plans:
                continue
            print(f"\nEXPLAIN ANALYZE, {name}: statements over 5 ms")
            with engine.connect() as conn:
                raw = conn.connection.driver_connection
                for statement, parameters, seconds in plans[name]:
                    if seconds < 0.005 or not statement.lstrip().upper().startswith("SELECT"):
                        continue
                    with raw.cursor() as cur:
                        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                        lines = [row[0] for row in cur.fetchall()]
                    print(f"--- {seconds * 1000:.1f} ms: {' '.join(statement.split())[:150]}")
                    for line in lines:
                        print("   ", line)
                raw.rollback()


if __name__ == "__main__":
    main()
