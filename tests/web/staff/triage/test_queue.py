"""The triage queue page: groups, counters, filters, links, keyboard markup, the
"answered with no change" form, permissions, and a statement count that does not grow
with the number of opinions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from noticeboard.extensions import db
from noticeboard.models import Decision, Job, JobKind, Opinion, Outcome, ReasonCode
from noticeboard.services.triage.queue.recount import build_summary
from tests.services.triage.seeding import TriageLaw, bulk_opinions, cluster, opinion, triage_law


@pytest.fixture
def setting(db_session: Session) -> TriageLaw:
    s = triage_law(db_session, slug="minors", title="未成年人保护法")
    campaign = cluster(db_session, s)
    for _ in range(3):
        opinion(db_session, s, cluster=campaign, matches=[(s.changes[0], 0.8)], text="同一封信")
    opinion(db_session, s, articles=["第一条"], matches=[(s.changes[1], 0.3)], text="无关一")
    opinion(db_session, s, articles=["第一条"], text="无关二")
    db_session.commit()
    return s


def test_queue_page_shows_groups_counts_and_links(
    staff_client: Callable[..., FlaskClient], setting: TriageLaw
) -> None:
    client = staff_client("commission")
    response = client.get("/staff/laws/minors/triage?lang=en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Campaign: 3 copies of one letter" in page
    assert "第一条: 2 opinions" in page
    assert f'href="/staff/changes/{setting.changes[0].id}"' in page
    assert "Groups 1–2 of 2" in page
    assert "<dd>5</dd>" in page  # five opinions, five pending
    assert "<dd>3</dd>" in page  # three matched
    assert 'data-group tabindex="-1"' in page
    assert "js/triage.js" in page
    assert "Answer the 2 unmatched with no change" in page
    assert staff_client("office").get("/staff/laws/minors/triage").status_code == 403


def test_queue_filters_and_the_law_page_link(
    staff_client: Callable[..., FlaskClient], setting: TriageLaw
) -> None:
    client = staff_client("commission")
    page = client.get("/staff/laws/minors/triage?lang=en&min_size=3").get_data(as_text=True)
    assert "Campaign: 3 copies" in page
    assert "第一条: 2 opinions" not in page
    page = client.get("/staff/laws/minors/triage?lang=en&match=unmatched").get_data(as_text=True)
    assert "Campaign" not in page
    assert "第一条: 2 opinions" in page
    law_page = client.get("/staff/laws/minors").get_data(as_text=True)
    assert 'href="/staff/laws/minors/triage"' in law_page
    assert 'href="/staff/laws/minors/office-report"' in law_page


def test_answer_a_group_with_no_change(
    staff_client: Callable[..., FlaskClient], db_session: Session, setting: TriageLaw
) -> None:
    client = staff_client("commission")
    key = setting.article("第一条").key
    url = "/staff/laws/minors/triage/no-change"
    refused = client.post(url, data={"group": f"article:{key}", "public_reason": "已有规定。"})
    assert refused.status_code == 422  # not confirmed
    answered = client.post(
        url, data={"group": f"article:{key}", "public_reason": "已有规定。", "confirm": "y"}
    )
    assert answered.status_code == 302
    assert answered.headers["Location"].endswith("/staff/laws/minors/triage")
    decided = db_session.scalars(
        select(Decision.reason_code)
        .join(Opinion, Opinion.id == Decision.opinion_id)
        .where(Opinion.law_id == setting.law.id)
    ).all()
    assert decided == [ReasonCode.NO_CHANGE_NEEDED, ReasonCode.NO_CHANGE_NEEDED]
    pending = db_session.scalar(
        select(func.count()).where(
            Opinion.law_id == setting.law.id, Opinion.outcome == Outcome.PENDING
        )
    )
    assert pending == 3  # the campaign, matched, is left for its change


def test_the_decision_form_offers_no_change_needed(
    staff_client: Callable[..., FlaskClient], setting: TriageLaw, db_session: Session
) -> None:
    some = db_session.scalars(select(Opinion.id).where(Opinion.law_id == setting.law.id)).first()
    page = staff_client("commission").get(f"/staff/opinions/{some}/decision?lang=en")
    assert 'value="no_change_needed"' in page.get_data(as_text=True)


@contextmanager
def counting(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def count(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_queue_statements_do_not_grow_with_the_opinions(
    app: Flask, staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    client = staff_client("commission")
    small = triage_law(db_session, slug="small")
    large = triage_law(db_session, slug="large")
    bulk_opinions(db_session, small, 50)
    bulk_opinions(db_session, large, 500, clusters=40)
    db_session.commit()
    counts = []
    for slug in ("small", "large"):
        with counting(app) as seen:
            assert client.get(f"/staff/laws/{slug}/triage").status_code == 200
        counts.append(len(seen))
    assert counts[0] == counts[1]
    assert counts[1] < 25


def test_a_queue_counted_ahead_says_when_and_whether_a_recount_is_on(
    staff_client: Callable[..., FlaskClient], db_session: Session, setting: TriageLaw
) -> None:
    client = staff_client("commission")
    page = client.get("/staff/laws/minors/triage?lang=en").get_data(as_text=True)
    assert "as counted at" not in page  # never counted: read live
    build_summary(db_session, setting.law.id)
    db_session.commit()
    page = client.get("/staff/laws/minors/triage?lang=en").get_data(as_text=True)
    assert "Groups and counters as counted at" in page
    assert "Campaign: 3 copies of one letter" in page
    assert "being counted again" not in page
    db_session.add(Job(id="waiting", kind=JobKind.MATCHING, params={"law_id": setting.law.id}))
    db_session.commit()
    page = client.get("/staff/laws/minors/triage?lang=en").get_data(as_text=True)
    assert "They are being counted again" in page
