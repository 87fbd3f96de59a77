from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import User
from tests import factories


def test_dashboard_redirects_anonymous_to_login(client: FlaskClient) -> None:
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/login?next=")


def test_login_then_dashboard_then_logout(client: FlaskClient, db_session: Session) -> None:
    user = factories.make_user(db_session, role="commission", email="c@example.org")
    db_session.commit()
    response = client.post(
        "/staff/login?next=/staff/",
        data={"email": "C@Example.org ", "password": factories.PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"
    page = client.get("/staff/?lang=en").get_data(as_text=True)
    assert "Signed in as c@example.org, role: commission." in page
    db_session.refresh(user)
    assert user.last_login_at is not None

    assert client.post("/staff/logout").status_code == 302
    assert client.get("/staff/").status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_answer(
    client: FlaskClient, db_session: Session
) -> None:
    factories.make_user(db_session, email="known@example.org")
    db_session.commit()
    wrong = client.post(
        "/staff/login?lang=en", data={"email": "known@example.org", "password": "nope"}
    )
    unknown = client.post(
        "/staff/login?lang=en", data={"email": "who@example.org", "password": "nope"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong email or password." in wrong.get_data(as_text=True)
    # Identical but for the email echoed back into the form.
    assert wrong.get_data(as_text=True).replace("known@", "who@") == unknown.get_data(as_text=True)


def test_inactive_account_cannot_sign_in(client: FlaskClient, db_session: Session) -> None:
    factories.make_user(db_session, email="gone@example.org", is_active=False)
    db_session.commit()
    response = client.post(
        "/staff/login", data={"email": "gone@example.org", "password": factories.PASSWORD}
    )
    assert response.status_code == 401


def test_next_parameter_cannot_leave_the_site(client: FlaskClient, db_session: Session) -> None:
    factories.make_user(db_session, email="a@example.org")
    db_session.commit()
    response = client.post(
        "/staff/login?next=//evil.example/x",
        data={"email": "a@example.org", "password": factories.PASSWORD},
    )
    assert response.headers["Location"] == "/staff/"


def test_login_form_needs_csrf_token(make_app: Any, db_session: Session) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    factories.make_user(db_session, email="a@example.org")
    db_session.commit()
    response = app.test_client().post(
        "/staff/login?lang=en", data={"email": "a@example.org", "password": factories.PASSWORD}
    )
    assert response.status_code == 400
    assert "Form expired" in response.get_data(as_text=True)


def test_login_is_rate_limited(make_app: Any, db_session: Session) -> None:
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute")
    client = app.test_client()
    codes = [
        client.post(
            "/staff/login?lang=en", data={"email": "x@example.org", "password": "bad"}
        ).status_code
        for _ in range(4)
    ]
    assert codes == [401, 401, 401, 429]
    assert "Too many requests" in client.post("/staff/login?lang=en").get_data(as_text=True)


def test_session_cookie_is_httponly_and_lax(client: FlaskClient, db_session: Session) -> None:
    factories.make_user(db_session, email="a@example.org")
    db_session.commit()
    response = client.post(
        "/staff/login", data={"email": "a@example.org", "password": factories.PASSWORD}
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Expires=" in cookie  # permanent session with a lifetime, not forever


def test_staff_client_fixture_signs_in_each_role(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    for role in ("admin", "commission", "office"):
        page = staff_client(role).get("/staff/?lang=en").get_data(as_text=True)
        assert f"role: {role}" in page
    office_user = db_session.scalar(select(User).where(User.role == "office"))
    assert office_user is not None
    assert office_user.office is not None
