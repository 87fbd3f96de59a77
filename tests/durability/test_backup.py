"""`noticeboard backup FILE` / `noticeboard restore FILE` on both engines: a round trip
that compares every table row by row, and the refusals that keep data from mixing."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, delete, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from noticeboard.commands.backup import backup_command, restore_command
from noticeboard.extensions import db
from noticeboard.models import DraftVersion, Opinion
from noticeboard.services.ops.backup import BackupError, backup_database, restore_database
from noticeboard.services.ops.backup_postgres import find_tool
from tests import factories
from tests.durability.helpers import seed_world, snapshot


def _engine_name(app: Flask) -> str:
    return make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()


@pytest.fixture
def fresh_database(
    app: Flask, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[[], str]]:
    """URLs of new, empty databases of the app's engine (PostgreSQL: throw-away
    databases on the test server, dropped after)."""
    created: list[str] = []
    admin = None
    if _engine_name(app) == "postgresql":
        schemas = request.getfixturevalue("postgres_schemas")
        admin = schemas.engine

    def make() -> str:
        if admin is None:
            return f"sqlite:///{tmp_path / f'restored-{len(created)}.sqlite3'}"
        name = f"nb_test_restore_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        created.append(name)
        url = admin.url.set(database=name).update_query_dict({}, append=False)
        return url.render_as_string(hide_password=False)

    yield make
    if admin is not None:
        with admin.connect() as conn:
            for name in created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _snapshot_of(url: str) -> Any:
    engine = create_engine(url)
    try:
        return snapshot(engine)
    finally:
        engine.dispose()


def test_round_trip_through_the_commands_keeps_every_row(
    app: Flask,
    make_app: Callable[..., Flask],
    db_session: Session,
    fresh_database: Callable[[], str],
    tmp_path: Path,
) -> None:
    seed_world(db_session)
    with app.app_context():
        before = snapshot(db.engine)
    assert len(before["opinion"]) == 3
    assert all(before[name] for name in ("article", "version_comparison", "audit_event"))

    file = tmp_path / "backups" / "noticeboard.backup"
    result = app.test_cli_runner().invoke(backup_command, [str(file)])
    assert result.exit_code == 0, result.output
    assert "Backed up" in result.output
    assert not list(file.parent.glob(".*partial*"))  # no leftovers beside the backup

    target_url = fresh_database()
    target = make_app(DATABASE_URL=target_url)
    result = target.test_cli_runner().invoke(restore_command, [str(file)])
    assert result.exit_code == 0, result.output
    assert _snapshot_of(target_url) == before

    # The restored database goes on working: sequences continue after the copied ids.
    with target.app_context():
        version = db.session.get(DraftVersion, before["draft_version"][-1][0])
        new_id = factories.make_opinion(db.session(), version).id
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    assert new_id > max(row[0] for row in before["opinion"])


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(
    app: Flask, db_session: Session, tmp_path: Path
) -> None:
    seed_world(db_session)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        before = snapshot(db.engine)
    file = tmp_path / "nb.backup"
    backup_database(url, file)

    db_session.execute(delete(Opinion).where(Opinion.id == before["opinion"][0][0]))
    db_session.commit()
    with pytest.raises(BackupError, match="not empty"):
        restore_database(url, file)

    result = app.test_cli_runner().invoke(restore_command, [str(file), "--force"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.engine.dispose()
        assert snapshot(db.engine) == before


def test_backup_of_one_engine_is_refused_by_the_other(app: Flask, tmp_path: Path) -> None:
    file = tmp_path / "nb.backup"
    backup_database(app.config["SQLALCHEMY_DATABASE_URI"], file)
    other = (
        "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        if _engine_name(app) == "sqlite"
        else f"sqlite:///{tmp_path / 'x.sqlite3'}"
    )
    with pytest.raises(BackupError, match="restore it into a database of the same engine"):
        restore_database(other, file)


def test_a_file_that_is_not_a_backup_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("hello")
    with pytest.raises(BackupError, match="not a Noticeboard backup"):
        restore_database(f"sqlite:///{tmp_path / 'db.sqlite3'}", junk)
    with pytest.raises(BackupError, match="No backup file"):
        restore_database(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path / "missing")


def test_missing_or_old_client_tools_give_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(BackupError, match=r"pg_dump for PostgreSQL 99 or later.*client-99"):
        find_tool("pg_dump", 99)
    monkeypatch.setattr("shutil.which", lambda _name: None)
    with pytest.raises(BackupError, match=r"was not found\. Install"):
        find_tool("pg_restore", 98)
