"""The same query shapes at 1,000 and 10,000 opinions: the triage pages' statements do
not grow with the data and never use NOT IN (subquery), the shape that kept the change
page from answering at a million opinions. (Their speed at a million is measured by
benchmarks/triage_scale.py, not here.)"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from noticeboard.extensions import db
from noticeboard.models import OpinionCluster, OpinionMatch
from noticeboard.services.triage.queue.recount import build_summary
from tests.services.triage.seeding import bulk_opinions, triage_law

NOT_IN_SUBQUERY = re.compile(r"NOT\s+IN\s*\(\s*SELECT", re.IGNORECASE)


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def _pages(session: Session, slug: str, law_id: int) -> list[str]:
    change_id = session.scalar(
        select(OpinionMatch.change_id).order_by(OpinionMatch.opinion_id.desc()).limit(1)
    )
    cluster_id = session.scalar(
        select(OpinionCluster.id).where(OpinionCluster.law_id == law_id).limit(1)
    )
    opinion_id = session.scalar(
        select(OpinionMatch.opinion_id).where(OpinionMatch.change_id == change_id).limit(1)
    )
    return [
        f"/staff/changes/{change_id}",
        f"/staff/laws/{slug}/triage",
        f"/staff/laws/{slug}/triage?match=unmatched&outcome=all",
        f"/staff/clusters/{cluster_id}",
        f"/staff/opinions/{opinion_id}/decision",
    ]


def test_triage_pages_keep_their_query_shape_from_1000_to_10000_opinions(
    app: Flask, staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    client = staff_client("commission")
    shapes: list[list[int]] = []
    for slug, count in (("thousand", 1_000), ("ten-thousand", 10_000)):
        setting = triage_law(db_session, slug=slug)
        bulk_opinions(db_session, setting, count, clusters=10)
        build_summary(db_session, setting.law.id)  # the queue as the matching job leaves it
        db_session.commit()
        counts = []
        for path in _pages(db_session, slug, setting.law.id):
            with statements(app) as seen:
                assert client.get(path).status_code == 200, path
            assert not [s for s in seen if NOT_IN_SUBQUERY.search(s)], path
            counts.append(len(seen))
        shapes.append(counts)
    assert shapes[0] == shapes[1]
    assert all(0 < n < 40 for n in shapes[1])
