"""Bulk-linking 10,000 opinions to one change on PostgreSQL (goal: under 10 s), then
deciding them all, and undoing both, each step timed and committed.

Makes a throwaway PostgreSQL database, migrates it, stores one law with two versions,
writes N opinions and N stored matches to one change in batches (as the matching job
would have), then calls the services a request calls:
``preview_link_matched`` + ``link_matched``, ``decide_linked``, ``undo`` twice. Every
opinion gets its own link, decision and audit row. The database is dropped at the end
unless --keep.

    python benchmarks/bulk_link.py [--opinions 10000] [--keep]
"""

from __future__ import annotations

import argparse
import secrets
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.harness import throwaway_database


def seed(app: object, count: int) -> tuple[int, int]:
    from sqlalchemy import insert, select

    from noticeboard.extensions import db
    from noticeboard.models import (
        Change,
        ChangeKind,
        Channel,
        Opinion,
        OpinionMatch,
        Role,
        User,
    )
    from noticeboard.services.laws.comparisons import stored_between
    from tests import factories

    with app.app_context():  # type: ignore[attr-defined]
        session = db.session()
        law = factories.make_law(session, slug="bulk-bench")
        v1 = factories.make_version(session, law)
        v2 = factories.make_version(session, law, factories.DRAFT_V2)
        comparison = stored_between(session, v1, v2)
        assert comparison is not None
        change_id = session.scalar(
            select(Change.id).where(
                Change.comparison_id == comparison.id, Change.kind == ChangeKind.ADDED
            )
        )
        staff = factories.make_user(session, role=Role.COMMISSION.value)
        for start in range(0, count, 2000):
            rows = [
                {
                    "receipt_code": secrets.token_hex(5).upper(),
                    "feed_token": secrets.token_hex(16),
                    "law_id": law.id,
                    "version_id": v1.id,
                    "channel": Channel.LETTER,
                    "received_on": date(2024, 5, 6),
                    "text": f"建议写明坚持党的领导（第{n}封）。",
                    "contact": "13800000000" if n % 2 else "",
                }
                for n in range(start, min(count, start + 2000))
            ]
            ids = session.scalars(insert(Opinion).returning(Opinion.id), rows).all()
            session.execute(
                insert(OpinionMatch),
                [
                    {
                        "opinion_id": i,
                        "change_id": change_id,
                        "score": 0.5 + (i % 500) / 1000,
                        "rank": 1,
                        "similar": 0.5,
                    }
                    for i in ids
                ],
            )
        session.commit()
        assert session.get(User, staff.id) is not None
        db.session.remove()
        return change_id, staff.id


def watch_statements(app: object) -> list[tuple[float, str]]:
    """Every statement's duration from here on (the worst is printed at the end)."""
    from sqlalchemy import event

    from noticeboard.extensions import db

    seen: list[tuple[float, str]] = []
    with app.app_context():  # type: ignore[attr-defined]
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def started(conn, _cursor, _statement, _params, _context, _many):  # type: ignore[no-untyped-def]
        conn.info.setdefault("started", []).append(time.perf_counter())

    @event.listens_for(engine, "after_cursor_execute")
    def ended(conn, _cursor, statement, _params, _context, _many):  # type: ignore[no-untyped-def]
        took = time.perf_counter() - conn.info["started"].pop()
        seen.append((took, " ".join(statement.split())))

    return seen


def timed(label: str, goal: str, step: object) -> object:
    started = time.perf_counter()
    result = step()  # type: ignore[operator]
    print(f"  {label:<44} {time.perf_counter() - started:6.2f} s  {goal}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--opinions", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from noticeboard import create_app
    from noticeboard.extensions import db
    from noticeboard.models import Outcome, User
    from noticeboard.services.decisions.bulk import (
        decide_linked,
        link_matched,
        preview_link_matched,
        undo,
    )
    from noticeboard.services.decisions.outcomes import DecisionInput

    with throwaway_database("noticeboard_bulk", keep=args.keep) as url:
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TRIAGE_ON_RECORD": False})
        with app.app_context():
            upgrade(directory=app.extensions["migrate"].directory)
        change_id, staff_id = seed(app, args.opinions)
        slowest = watch_statements(app)
        print(f"{args.opinions:,} opinions matched to change {change_id} (PostgreSQL)")
        with app.app_context():
            session = db.session()
            actor = session.get(User, staff_id)
            assert actor is not None

            def link() -> object:
                preview = preview_link_matched(session, actor, change_id, 0.5)
                action = link_matched(session, actor, change_id, 0.5, expected_count=preview.count)
                session.commit()
                return action

            linked = timed("preview + link_matched + commit", "(goal < 10 s)", link)
            data = DecisionInput(Outcome.ADOPTED, public_reason="已采纳。")

            def decide() -> object:
                action = decide_linked(session, actor, change_id, data)
                session.commit()
                return action

            decided = timed("decide_linked + commit", "", decide)

            def undo_both() -> None:
                undo(session, actor, decided.id)  # type: ignore[attr-defined]
                undo(session, actor, linked.id)  # type: ignore[attr-defined]
                session.commit()

            timed("undo the decisions, then the links + commit", "", undo_both)
            print(
                f"  {linked.count:,} linked, {decided.count:,} decided, "  # type: ignore[attr-defined]
                "each with its own audit row"
            )
            db.session.remove()
            db.engine.dispose()
        worst = max(slowest, key=lambda item: item[0])
        print(f"  slowest statement: {worst[0] * 1000:.0f} ms (goal < 1 s): {worst[1][:120]}")


if __name__ == "__main__":
    main()
