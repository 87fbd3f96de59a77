"""Shared fixtures: an app per database engine, clients, sessions and factories.

Data-layer tests run on SQLite and on PostgreSQL. PostgreSQL comes from
NOTICEBOARD_TEST_DATABASE_URL (default: the local `test` database); each run works in
its own schema, so parallel runs never collide. Without PostgreSQL the tests skip
locally, and fail under CI=true.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from noticeboard import create_app
from noticeboard.extensions import db
from tests import factories
from tests.engine_summary import IN_CI

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TEST_REDIS_URL = os.environ.get("NOTICEBOARD_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ENGINES = ("sqlite", "postgresql")

TEST_CONFIG: dict[str, Any] = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": False,
    "PASSWORD_HASH_PROFILE": "CHEAPEST",
    "LOOKUP_MIN_SECONDS": 0,
    "SERVER_NAME": None,
    # A lazy load during a request raises: templates get what the services loaded.
    "RAISELOAD_RELATIONSHIPS": True,
    # Jobs run as their transaction commits (Huey's immediate mode); the tests of the queue
    # itself (tests/worker/) start real worker processes instead.
    "JOBS_IMMEDIATE": True,
    "TRIAGE_ON_RECORD": False,
}


def redis_or_skip() -> Any:
    """A client of the test Redis; skips the test when it is down (a failure under CI)."""
    import redis

    client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        message = f"Redis not reachable at {TEST_REDIS_URL}: {exc}"
        if IN_CI:
            pytest.fail(message + " (CI=true: the Redis tests must run)")
        pytest.skip(message)
    return client


class PostgresSchemas:
    """Creates throw-away schemas in the test database and drops them at the end."""

    def __init__(self, base_url: str) -> None:
        self.base_url = make_url(base_url)
        self.engine = create_engine(self.base_url, isolation_level="AUTOCOMMIT")
        self.created: list[str] = []

    def new(self) -> str:
        name = f"nb_test_{uuid.uuid4().hex[:12]}"
        with self.engine.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        self.created.append(name)
        url = self.base_url.update_query_dict({"options": f"-csearch_path={name}"})
        return url.render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self.engine.connect() as conn:
            for name in self.created:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        self.engine.dispose()


@pytest.fixture(scope="session")
def postgres_schemas() -> Iterator[PostgresSchemas]:
    url = os.environ.get("NOTICEBOARD_TEST_DATABASE_URL", DEFAULT_PG_URL)
    try:
        schemas = PostgresSchemas(url)
        with schemas.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        message = f"PostgreSQL not reachable at {make_url(url).render_as_string()}: {exc.orig}"
        if IN_CI:
            pytest.fail(message + " (CI=true: PostgreSQL tests must run)")
        pytest.skip(message)
    yield schemas
    schemas.drop_all()


@pytest.fixture(scope="session")
def empty_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], str]:
    """A function that returns the URL of a new, empty database on the given engine."""

    def make(engine: str) -> str:
        if engine == "sqlite":
            path = tmp_path_factory.mktemp("db") / "noticeboard.sqlite3"
            return f"sqlite:///{path}"
        schemas: PostgresSchemas = request.getfixturevalue("postgres_schemas")
        return schemas.new()

    return make


_migrated: dict[str, str] = {}


@pytest.fixture(params=ENGINES, ids=ENGINES)
def database_url(request: pytest.FixtureRequest, empty_database: Callable[[str], str]) -> str:
    """A database upgraded to the latest migration, one per engine for the whole run."""
    engine = request.param
    if engine == "postgresql":
        request.applymarker(pytest.mark.postgres)
    if engine not in _migrated:
        url = empty_database(engine)
        app = create_app({**TEST_CONFIG, "DATABASE_URL": url})
        with app.app_context():
            from flask_migrate import upgrade

            upgrade(directory=app.extensions["migrate"].directory)
            db.engine.dispose()
        _migrated[engine] = url
    return _migrated[engine]


@pytest.fixture
def make_app(database_url: str, tmp_path: Any) -> Iterator[Callable[..., Flask]]:
    """Build an app on the test database with extra configuration; tables are emptied after."""
    config = {**TEST_CONFIG, "DATABASE_URL": database_url, "INSTANCE_PATH": str(tmp_path)}
    apps: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        app = create_app({**config, **overrides})
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.engine.dispose()
    # One cleaning app per database for the whole run: building an app per test cost about
    # 60 ms each, a minute of the suite.
    cleaner = _cleaners.get(database_url)
    if cleaner is None:
        cleaner = _cleaners[database_url] = create_app(config)
    with cleaner.app_context():
        _empty_tables()
        db.session.remove()


_cleaners: dict[str, Flask] = {}


def _empty_tables() -> None:
    db.session.rollback()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    # No app context is kept pushed: each test request must get its own, as in
    # production, or `g` (Flask-Login's user, Flask-Babel's locale) leaks between them.
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db_session(app: Flask) -> Iterator[Session]:
    """A plain session on the app's engine, for arranging data and checking results."""
    with app.app_context():
        engine = db.engine
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def hasher(app: Flask) -> Any:
    return app.extensions["noticeboard.hasher"]


@pytest.fixture
def staff_client(app: Flask, db_session: Session) -> Callable[..., FlaskClient]:
    """A test client signed in as a new staff account of the given role."""

    def login(role: str = "admin", office_slug: str | None = None) -> FlaskClient:
        office = None
        if role == "office":
            office = factories.make_office(db_session, slug=office_slug or "hongqiao")
        user = factories.make_user(db_session, role=role, office=office)
        db_session.commit()
        new_client = app.test_client()
        response = new_client.post(
            "/staff/login", data={"email": user.email, "password": factories.PASSWORD}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return new_client

    return login
