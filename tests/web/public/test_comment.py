"""Citizens send an opinion online while a consultation is open (issue 9)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import AuditEvent, Channel, Opinion, Outcome
from noticeboard.services.laws.versions import set_comment_window
from noticeboard.services.permissions import SYSTEM
from tests import factories

NOW = datetime.now(UTC)


def _law(db_session: Session, *, opens: timedelta, closes: timedelta) -> Any:
    factories.make_office(db_session, slug="lintao", name="临洮县基层立法联系点")
    law = factories.make_law(db_session, slug="minors", title="未成年人保护法")
    version = factories.make_version(db_session, law)
    set_comment_window(db_session, SYSTEM, version, opens_at=NOW + opens, closes_at=NOW + closes)
    db_session.commit()
    return version


FORM = {
    "text": "建议删除保证金条款。",
    "category": "student",
    "name": "李同学",
    "name_public": "y",
    "contact": "li@example.org",
    "office": "lintao",
    "website": "",
}


def test_submit_during_the_window_gives_a_receipt(client: FlaskClient, db_session: Session) -> None:
    version = _law(db_session, opens=-timedelta(days=1), closes=timedelta(days=10))
    key = version.articles[1].key
    page = client.get(f"/laws/minors/comment?article={key}&lang=en").get_data(as_text=True)
    assert "Comments are open until" in page
    assert version.articles[1].text in page
    response = client.post(f"/laws/minors/comment?article={key}", data=FORM)
    assert response.status_code == 302
    assert response.headers["Location"] == "/laws/minors/comment/receipt"  # no code in the URL
    opinion = db_session.scalar(select(Opinion))
    assert opinion is not None
    assert opinion.channel is Channel.ONLINE_FORM
    assert opinion.outcome is Outcome.PENDING
    assert opinion.office is not None
    assert opinion.office.slug == "lintao"
    assert [a.key for a in opinion.articles] == [key]
    assert opinion.name_public
    receipt = client.get("/laws/minors/comment/receipt?lang=en").get_data(as_text=True)
    code = f"{opinion.receipt_code[:4]}-{opinion.receipt_code[4:8]}-{opinion.receipt_code[8:]}"
    assert code in receipt
    assert "<svg" in receipt  # the QR code, drawn on the server
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "opinion.record"))
    assert event is not None
    assert event.details["via"] == "public form"


def test_the_form_says_when_it_opens_and_when_it_closed(
    client: FlaskClient, db_session: Session
) -> None:
    _law(db_session, opens=timedelta(days=3), closes=timedelta(days=30))
    assert "Comments on this draft open on" in client.get("/laws/minors/comment?lang=en").get_data(
        as_text=True
    )
    refused = client.post("/laws/minors/comment?lang=en", data=FORM)
    assert refused.status_code == 422
    assert db_session.scalar(select(Opinion)) is None


def test_closed_window_refuses(client: FlaskClient, db_session: Session) -> None:
    _law(db_session, opens=-timedelta(days=30), closes=-timedelta(days=1))
    page = client.get("/laws/minors/comment?lang=en").get_data(as_text=True)
    assert "are closed now" in page
    assert client.post("/laws/minors/comment?lang=en", data=FORM).status_code == 422


def test_honeypot_and_length_limits(client: FlaskClient, db_session: Session) -> None:
    _law(db_session, opens=-timedelta(days=1), closes=timedelta(days=10))
    assert (
        client.post("/laws/minors/comment", data={**FORM, "website": "http://spam"}).status_code
        == 422
    )
    assert (
        client.post("/laws/minors/comment", data={**FORM, "text": "长" * 5001}).status_code == 422
    )
    assert client.post("/laws/minors/comment", data={**FORM, "text": " "}).status_code == 422
    assert db_session.scalar(select(Opinion)) is None


def test_submission_is_rate_limited_and_needs_csrf(make_app: Any, db_session: Session) -> None:
    _law(db_session, opens=-timedelta(days=1), closes=timedelta(days=10))
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_SUBMIT="1 per hour")
    client = app.test_client()
    assert client.post("/laws/minors/comment", data=FORM).status_code == 302
    assert client.post("/laws/minors/comment", data=FORM).status_code == 429
    strict = make_app(WTF_CSRF_ENABLED=True).test_client()
    assert strict.post("/laws/minors/comment", data=FORM).status_code == 400


def test_receipt_page_without_a_submission_goes_back_to_the_form(
    client: FlaskClient, db_session: Session
) -> None:
    _law(db_session, opens=-timedelta(days=1), closes=timedelta(days=10))
    response = client.get("/laws/minors/comment/receipt")
    assert response.status_code == 302
    assert response.headers["Location"] == "/laws/minors/comment"
