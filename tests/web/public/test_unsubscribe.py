"""``/notices/unsubscribe/<token>``: opening the link only asks; the button, or the mail
program's one-click POST without a CSRF token (RFC 8058), stops the messages."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from noticeboard.models import AuditEvent, Notice, NoticeState, Opinion
from noticeboard.services.opinions.receipts import format_receipt_code
from tests.services.notices.rows import asking_opinion, make_notice

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


def _waiting(db_session: Session) -> tuple[Opinion, Notice]:
    opinion = asking_opinion(db_session)
    notice = make_notice(db_session, opinion)
    db_session.commit()
    return opinion, notice


def _private(response: TestResponse) -> None:
    headers = response.headers
    assert headers["Cache-Control"] == "no-store"
    assert headers["Referrer-Policy"] == "no-referrer"


def _audits(db_session: Session) -> int:
    query = select(func.count()).where(AuditEvent.action == "opinion.unsubscribe")
    return db_session.scalar(query) or 0


def test_opening_the_link_asks_and_changes_nothing(
    client: FlaskClient, db_session: Session
) -> None:
    opinion, notice = _waiting(db_session)
    response = client.get(f"/notices/unsubscribe/{notice.unsubscribe_token}?lang=en")
    assert response.status_code == 200
    _private(response)
    html = response.get_data(as_text=True)
    assert "Stop messages about this opinion" in html
    assert 'method="post"' in html
    assert 'name="csrf_token"' in html
    for secret in (
        opinion.receipt_code,
        format_receipt_code(opinion.receipt_code),
        opinion.contact,
    ):
        assert secret not in html
    db_session.expire_all()
    assert opinion.notify is True
    assert notice.state is NoticeState.PENDING


def test_the_button_stops_the_messages_and_a_second_visit_says_so(
    client: FlaskClient, db_session: Session
) -> None:
    opinion, notice = _waiting(db_session)
    url = f"/notices/unsubscribe/{notice.unsubscribe_token}"
    response = client.post(f"{url}?lang=en", data={})
    assert response.status_code == 200
    _private(response)
    html = response.get_data(as_text=True)
    assert (
        "You will get no more messages about this opinion, and the contact you left has been "
        "erased."
    ) in html
    assert format_receipt_code(opinion.receipt_code) not in html
    db_session.expire_all()
    assert (opinion.notify, opinion.contact) == (False, "")
    assert notice.state is NoticeState.CANCELLED
    assert _audits(db_session) == 1

    again = client.get(f"{url}?lang=en")
    assert again.status_code == 200
    assert "This was done already" in again.get_data(as_text=True)
    assert "Stop messages about this opinion</button>" not in again.get_data(as_text=True)
    assert client.post(url).status_code == 200  # once more: the same page, no new row
    assert _audits(db_session) == 1


def test_the_page_is_in_chinese_too(client: FlaskClient, db_session: Session) -> None:
    _opinion, notice = _waiting(db_session)
    html = client.get(
        f"/notices/unsubscribe/{notice.unsubscribe_token}",
        headers={"Accept-Language": "zh-CN,zh;q=0.9"},
    ).get_data(as_text=True)
    assert 'lang="zh-Hans"' in html


def test_an_unknown_token_is_not_found(client: FlaskClient, db_session: Session) -> None:
    _waiting(db_session)
    for response in (
        client.get("/notices/unsubscribe/not-a-token"),
        client.post("/notices/unsubscribe/not-a-token", data=ONE_CLICK),
        client.get("/notices/unsubscribe/" + "x" * 300),
    ):
        assert response.status_code == 404
        _private(response)
    assert _audits(db_session) == 0


def test_the_one_click_post_needs_no_csrf_token(
    make_app: Callable[..., Flask], db_session: Session
) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    opinion, notice = _waiting(db_session)
    # What a mail program sends (RFC 8058): no cookie, no CSRF token, this body alone.
    response = client.post(
        f"/notices/unsubscribe/{notice.unsubscribe_token}",
        data=ONE_CLICK,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    _private(response)
    db_session.expire_all()
    assert (opinion.notify, opinion.contact) == (False, "")
    assert opinion.contact_erased_at is not None
    assert notice.state is NoticeState.CANCELLED
    assert _audits(db_session) == 1
    # The site's other forms still need their token.
    assert client.post("/track", data={"code": "7K3M-Q9PX-2D"}).status_code == 400
