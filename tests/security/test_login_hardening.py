"""Sign-in hardening: per-account limits, fresh sessions, signing out everywhere."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import AuditEvent
from tests import factories


def test_attempts_on_one_account_are_limited_across_addresses(
    make_app: Any, db_session: Session
) -> None:
    factories.make_user(db_session, email="chair@example.org")
    db_session.commit()
    app = make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_LOGIN="100 per minute",
        RATELIMIT_LOGIN_ACCOUNT="3 per minute",
    )
    client = app.test_client()
    codes = [
        client.post(
            "/staff/login",
            data={"email": "chair@example.org", "password": "wrong"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{i}"},
        ).status_code
        for i in range(4)
    ]
    assert codes == [401, 401, 401, 429]
    # Another account from the same addresses is not held back.
    other = client.post(
        "/staff/login",
        data={"email": "x@example.org", "password": "wrong"},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    assert other.status_code == 401


def test_signing_in_starts_a_fresh_session(client: FlaskClient, db_session: Session) -> None:
    factories.make_user(db_session, email="a@example.org")
    db_session.commit()
    with client.session_transaction() as before:
        before["planted"] = "by someone else"
    client.post("/staff/login", data={"email": "a@example.org", "password": factories.PASSWORD})
    with client.session_transaction() as after:
        assert "planted" not in after
        assert "_user_id" in after


def test_sign_out_everywhere_ends_other_sessions(make_app: Any, db_session: Session) -> None:
    user = factories.make_user(db_session, email="a@example.org")
    db_session.commit()
    app = make_app()
    laptop, phone = app.test_client(), app.test_client()
    for device in (laptop, phone):
        device.post("/staff/login", data={"email": "a@example.org", "password": factories.PASSWORD})
        assert device.get("/staff/").status_code == 200
    assert laptop.post("/staff/sign-out-everywhere").status_code == 302
    assert phone.get("/staff/").status_code == 302  # the other device is signed out too
    assert laptop.get("/staff/").status_code == 302
    event = db_session.scalar(
        select(AuditEvent).where(AuditEvent.action == "user.sign_out_everywhere")
    )
    assert event is not None
    assert event.subject_id == user.id


def test_deactivated_account_loses_its_session(client: FlaskClient, db_session: Session) -> None:
    user = factories.make_user(db_session, email="a@example.org")
    db_session.commit()
    client.post("/staff/login", data={"email": "a@example.org", "password": factories.PASSWORD})
    assert client.get("/staff/").status_code == 200
    user.is_active = False
    db_session.commit()
    assert client.get("/staff/").status_code == 302
