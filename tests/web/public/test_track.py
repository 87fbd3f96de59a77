"""Citizens look up their opinion by receipt code, and follow it in a feed (issue 9)."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from noticeboard.models import Outcome, ReasonCode
from noticeboard.services.decisions.links import link_opinion
from noticeboard.services.decisions.outcomes import DecisionInput, decide_opinion
from noticeboard.services.laws.comparisons import stored_between
from noticeboard.services.opinions.receipts import format_receipt_code, new_receipt_code
from noticeboard.services.permissions import SYSTEM
from tests import factories
from tests.services.decisions.test_outcomes import V1, V2


def _opinion(db_session: Session, **fields: Any) -> Any:
    office = factories.make_office(db_session, slug="hongqiao", name="虹桥街道基层立法联系点")
    law = factories.make_law(db_session, slug="veterans", title="退役军人保障法")
    first = factories.make_version(db_session, law, V1)
    opinion = factories.make_opinion(
        db_session,
        first,
        office=office,
        articles=[first.articles[1]],
        contributor_name="张三丰",
        contact="13800138000",
        text="建议由省级人民政府负责安置。",
        **fields,
    )
    db_session.commit()
    return opinion


def _lookup(client: FlaskClient, code: str) -> str:
    response = client.post("/track?lang=en", data={"code": code})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_lookup_form_reads_the_code_from_the_fragment(client: FlaskClient) -> None:
    html = client.get("/track?lang=en").get_data(as_text=True)
    assert "Track my suggestion" in html
    assert 'src="/static/js/track.js"' in html
    assert "<script>" not in html  # no inline script


def test_known_code_in_any_typing_shows_the_outcome(
    client: FlaskClient, db_session: Session
) -> None:
    opinion = _opinion(db_session)
    code = format_receipt_code(opinion.receipt_code)
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    html = _lookup(client, typed)
    assert f"Receipt {code}" in html
    assert "Your suggestion on 退役军人保障法" in html
    assert "建议由省级人民政府负责安置。" in html  # their own text, shown back
    assert "虹桥街道基层立法联系点" in html
    assert "Not decided yet" in html
    # Never the name or the contact: a lost slip must not reveal who wrote it.
    assert "张三丰" not in html
    assert "13800138000" not in html


def test_mistyped_and_unknown_codes(client: FlaskClient, db_session: Session) -> None:
    opinion = _opinion(db_session)
    code = opinion.receipt_code
    wrong_check = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert "Please check the code" in _lookup(client, wrong_check)
    assert "Please check the code" in _lookup(client, "hello")
    assert "Please check the code" in _lookup(client, "")
    unknown = new_receipt_code()
    assert "No suggestion was found for this code" in _lookup(client, unknown)


def test_adopted_opinion_shows_the_change_and_reason(
    client: FlaskClient, db_session: Session
) -> None:
    opinion = _opinion(db_session)
    law = opinion.law
    second = factories.make_version(db_session, law, V2)
    stored = stored_between(db_session, law.versions[0], second)
    assert stored is not None
    modified = next(c for c in stored.changes if c.kind.value == "modified")
    link_opinion(db_session, SYSTEM, modified, opinion)
    decide_opinion(
        db_session,
        SYSTEM,
        opinion,
        DecisionInput(Outcome.ADOPTED, public_reason="已将县级改为省级。"),
        lock_version=None,
    )
    db_session.commit()
    html = _lookup(client, opinion.receipt_code)
    assert "Adopted" in html
    assert "已将县级改为省级。" in html
    assert "What changed because of it" in html
    assert "<del>县</del>" in html
    assert "<ins>省</ins>" in html
    assert (
        f"/laws/veterans/articles/{modified.articles[0].article.key}" in html
        or "History of this article" in html
    )


def test_not_adopted_shows_the_public_reason(client: FlaskClient, db_session: Session) -> None:
    opinion = _opinion(db_session)
    decide_opinion(
        db_session,
        SYSTEM,
        opinion,
        DecisionInput(Outcome.NOT_ADOPTED, ReasonCode.CONFLICTS_HIGHER_LAW, "与上位法不一致。"),
        lock_version=None,
    )
    db_session.commit()
    html = _lookup(client, opinion.receipt_code)
    assert "Not adopted" in html
    assert "Conflicts with a higher law" in html
    assert "与上位法不一致。" in html


def test_lookup_is_rate_limited(make_app: Any) -> None:
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_LOOKUP="2 per minute", LOOKUP_MIN_SECONDS=0)
    client = app.test_client()
    codes = [client.post("/track?lang=en", data={"code": "x"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert "Too many requests" in client.post("/track?lang=en", data={"code": "x"}).get_data(
        as_text=True
    )


def test_known_and_unknown_codes_take_the_same_time(make_app: Any, db_session: Session) -> None:
    app = make_app(LOOKUP_MIN_SECONDS=0.15)
    opinion = _opinion(db_session)
    client = app.test_client()

    def timed(code: str) -> float:
        start = time.perf_counter()
        client.post("/track", data={"code": code})
        return time.perf_counter() - start

    timed(opinion.receipt_code)  # warm up templates
    known = sorted(timed(opinion.receipt_code) for _ in range(5))[2]
    unknown = sorted(timed(new_receipt_code()) for _ in range(5))[2]
    assert known >= 0.15
    assert unknown >= 0.15
    assert abs(known - unknown) < 0.05


def test_the_code_never_reaches_the_logs(
    client: FlaskClient, db_session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    opinion = _opinion(db_session)
    code = format_receipt_code(opinion.receipt_code)
    with caplog.at_level(logging.DEBUG):
        _lookup(client, code)
        logging.getLogger("werkzeug").info('127.0.0.1 "POST /track?code=%s HTTP/1.1" 200', code)
        logging.getLogger("noticeboard").warning("lookup for %s", opinion.receipt_code)
    assert caplog.records
    for record in caplog.records:
        assert code not in record.getMessage()
        assert opinion.receipt_code not in record.getMessage()


def test_the_feed_follows_the_outcome(client: FlaskClient, db_session: Session) -> None:
    opinion = _opinion(db_session)
    url = f"/feeds/receipt/{opinion.feed_token}.atom?lang=en"
    feed = client.get(url)
    assert feed.status_code == 200
    assert feed.mimetype == "application/atom+xml"
    body = feed.get_data(as_text=True)
    assert "<title>Received</title>" in body
    assert opinion.receipt_code not in body
    assert "张三丰" not in body
    decide_opinion(
        db_session,
        SYSTEM,
        opinion,
        DecisionInput(Outcome.ADOPTED, public_reason="采纳"),
        lock_version=None,
    )
    db_session.commit()
    body = client.get(url).get_data(as_text=True)
    assert "<title>Adopted</title>" in body
    assert client.get("/feeds/receipt/not-a-token.atom").status_code == 404
    assert client.get(f"/feeds/receipt/{opinion.receipt_code}.atom").status_code == 404
