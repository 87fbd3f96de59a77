from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient


def test_healthz_reports_database_ok(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "queue": "ok"}


def test_healthz_reports_a_queue_it_cannot_reach_and_keeps_the_instance_in(make_app: Any) -> None:
    # Nothing listens on port 1: jobs cannot start, but every page still works.
    app = make_app(
        JOBS_IMMEDIATE=False, REDIS_URL="redis://127.0.0.1:1/0", CACHE_TYPE="SimpleCache"
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "queue": "unavailable"}


def test_healthz_is_503_when_database_is_unreachable(make_app: Any) -> None:
    # A port where nothing listens: the check must answer, not hang or raise.
    app = make_app(
        DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1",
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": False},
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "error"
    assert body["database"] == "unavailable"
    assert body["reason"] == "OperationalError"
