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
    assert body["status"] == "degraded"
    assert body["database"] == "unreachable"
    assert body["reason"] == "OperationalError"


def test_healthz_is_503_when_the_database_takes_no_writes(app: Any) -> None:
    """Issue 20, finding 7: a read-only database answered "ok". Made read-only as an
    operator would (PostgreSQL: default_transaction_read_only for the connection; SQLite:
    query_only), checked without writing anything."""
    from sqlalchemy import event

    from noticeboard.extensions import db

    with app.app_context():
        engine = db.engine
        engine.dispose()
        statement = (
            "SET default_transaction_read_only = on"
            if engine.dialect.name == "postgresql"
            else "PRAGMA query_only = ON"
        )

        def read_only(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute(statement)
            cursor.close()
            dbapi_connection.commit()  # a SET rolled back with its transaction would not hold

        event.listen(engine, "connect", read_only)
    try:
        response = app.test_client().get("/healthz")
        assert response.status_code == 503
        assert response.get_json() == {"status": "degraded", "database": "read_only"}
    finally:
        with app.app_context():
            event.remove(engine, "connect", read_only)
            engine.dispose()
    assert app.test_client().get("/healthz").status_code == 200
