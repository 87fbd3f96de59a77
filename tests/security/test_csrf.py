"""CSRF: every form POST outside the API is refused without a valid token, with the
"form expired" page, and writes nothing (the few exempt routes say why below). Signed in
as an admin, so permission is never what refuses. SQLite only: the check happens before any query.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests import factories
from tests.security import world as world_module

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

TOKEN = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
EXPIRED_EN = "The form has expired or was sent from elsewhere."
# Routes a program posts to without a form, each with what stands in for the token.
CSRF_EXEMPT = {
    # RFC 8058 one-click unsubscribe, posted by mail programs: the unguessable token in
    # the address is the credential (tests/web/public/test_unsubscribe.py).
    "public.notices.unsubscribe_now": "the unsubscribe token in the address",
}


def form_token(client: FlaskClient, path: str) -> str:
    found = TOKEN.search(client.get(path).get_data(as_text=True))
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def sign_in_with_token(client: FlaskClient, email: str) -> None:
    token = form_token(client, "/staff/login")
    response = client.post(
        "/staff/login",
        data={"email": email, "password": factories.PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def form_posts(app: Flask) -> list[tuple[str, object]]:
    """(endpoint, rule) of every POST outside the API; signing out last."""
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if "POST" in (rule.methods or set()) and not rule.rule.startswith("/api/")
    ]
    rules.sort(key=lambda r: (r.endpoint in ("staff.logout", "staff.sign_out_everywhere"), r.rule))
    return [(rule.endpoint, rule) for rule in rules]


@pytest.mark.parametrize("sent_token", ["", "forged-token"], ids=["missing", "forged"])
def test_every_form_post_needs_a_token(
    make_app: Callable[..., Flask], db_session: Session, sent_token: str
) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    world = world_module.build(db_session)
    admin = app.test_client()
    sign_in_with_token(admin, world.users["admin"].email)
    admin.set_cookie("nb_lang", "en")
    before = world_module.row_counts(app)
    posts = form_posts(app)
    assert len(posts) >= 30, [endpoint for endpoint, _ in posts]
    assert set(CSRF_EXEMPT) <= {endpoint for endpoint, _ in posts}
    problems = []
    for endpoint, rule in posts:
        if endpoint in CSRF_EXEMPT:
            continue
        url = world_module.url_for_rule(app, rule, world.values_for("admin"))  # type: ignore[arg-type]
        data = {"csrf_token": sent_token} if sent_token else {}
        response = admin.post(url, data=data | {"text": "第一条 改写。", "name": "x"})
        body = response.get_data(as_text=True)
        if response.status_code != 400 or EXPIRED_EN not in body:
            problems.append(f"POST {url} ({endpoint}): {response.status_code}")
    assert not problems, "\n".join(problems)
    assert world_module.row_counts(app) == before
    # Refused, not signed out: the staff page still opens.
    assert admin.get("/staff/").status_code == 200


def test_the_refusal_page_is_translated_and_json_under_the_api_is_untouched(
    make_app: Callable[..., Flask], db_session: Session
) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    world = world_module.build(db_session)
    client = app.test_client()
    zh = client.post("/track?lang=zh", data={"code": "7K3M-Q9PX-2D"})
    assert zh.status_code == 400
    assert "表单" in zh.get_data(as_text=True)
    # The API authenticates with a bearer token and needs no CSRF token.
    answer = client.post(
        "/api/v1/opinions",
        json={},
        headers={"Authorization": f"Bearer {world.tokens['office']}"},
    )
    assert answer.status_code == 422
    assert answer.get_json()["error"]["code"] != "csrf_failed"


def test_a_token_from_the_form_is_accepted(
    make_app: Callable[..., Flask], db_session: Session
) -> None:
    """The refusals above are the token's doing: with it, the same post goes through."""
    app = make_app(WTF_CSRF_ENABLED=True)
    world = world_module.build(db_session)
    admin = app.test_client()
    sign_in_with_token(admin, world.users["admin"].email)
    token = form_token(admin, "/staff/tokens")
    made = admin.post("/staff/tokens", data={"name": "csrf check", "csrf_token": token})
    assert made.status_code == 201, made.get_data(as_text=True)
    out = admin.post("/staff/logout", data={"csrf_token": form_token(admin, "/staff/")})
    assert out.status_code == 302
    assert admin.get("/staff/").status_code == 302
