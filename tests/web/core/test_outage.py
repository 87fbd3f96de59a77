"""An unreachable database gives a 503 with a clear page (JSON under /api/), never a
500, and a read whose connection died under it is tried once more."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from noticeboard.extensions import db

UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1"


def _dropped(statement: str = "SELECT 1") -> OperationalError:
    return OperationalError(
        statement, {}, Exception("server closed the connection"), connection_invalidated=True
    )


@pytest.fixture
def down_app(make_app: Any) -> Flask:
    app: Flask = make_app(DATABASE_URL=UNREACHABLE)
    return app


@pytest.mark.parametrize("path", ["/", "/laws", "/stats", "/offices"])
def test_pages_that_need_the_database_answer_503_with_a_clear_page(
    down_app: Flask, path: str
) -> None:
    response = down_app.test_client().get(path + "?lang=en")
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "Temporarily unavailable" in html
    assert "cannot reach its database" in html
    assert 'class="site-header"' in html
    assert response.headers["Retry-After"] == "5"
    assert "no-store" in response.headers["Cache-Control"]


def test_a_signed_in_visitor_still_gets_the_503_page(down_app: Flask) -> None:
    client = down_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1"  # the page header would load the user: no query must run
        session["_fresh"] = True
    response = client.get("/laws?lang=en")
    assert response.status_code == 503
    assert "Temporarily unavailable" in response.get_data(as_text=True)


def test_api_answers_503_json(down_app: Flask) -> None:
    response = down_app.test_client().get("/api/v1/boards/hongqiao")
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "unavailable"


def test_a_post_is_refused_with_503_not_500(down_app: Flask) -> None:
    response = down_app.test_client().post(
        "/staff/login?lang=en", data={"email": "a@example.org", "password": "x"}
    )
    assert response.status_code == 503


def test_a_read_whose_connection_died_is_tried_once_more(make_app: Any) -> None:
    app: Flask = make_app()
    calls: list[int] = []

    @app.get("/flaky")
    def flaky() -> str:
        calls.append(1)
        if len(calls) == 1:
            raise _dropped()
        return str(db.session.execute(text("SELECT 41 + 1")).scalar_one())

    response = app.test_client().get("/flaky")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "42"
    assert len(calls) == 2


def test_a_read_is_retried_only_once(make_app: Any) -> None:
    app: Flask = make_app()
    calls: list[int] = []

    @app.get("/dead")
    def dead() -> str:
        calls.append(1)
        raise _dropped()

    assert app.test_client().get("/dead").status_code == 503
    assert len(calls) == 2


def test_a_write_whose_connection_died_is_not_retried(make_app: Any) -> None:
    app: Flask = make_app()
    calls: list[int] = []

    @app.post("/write")
    def write() -> str:
        calls.append(1)
        raise _dropped("INSERT")

    assert app.test_client().post("/write").status_code == 503
    assert len(calls) == 1


def test_other_database_errors_stay_500(make_app: Any) -> None:
    app: Flask = make_app()

    @app.get("/bug")
    def bug() -> str:
        raise IntegrityError("INSERT", {}, Exception("duplicate key"))

    response = app.test_client().get("/bug?lang=en")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
