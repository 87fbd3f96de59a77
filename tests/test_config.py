from __future__ import annotations

from pathlib import Path

import pytest

from noticeboard import create_app
from noticeboard.config import ConfigError


def test_missing_secret_key_outside_debug_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("NOTICEBOARD_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="NOTICEBOARD_SECRET_KEY"):
        create_app({"INSTANCE_PATH": str(tmp_path)})


def test_layers_defaults_instance_file_environment_then_mapping(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "config.py").write_text(
        'SECRET_KEY = "from-instance"\nRATELIMIT_LOGIN = "1 per day"\nDEBUG = False\n'
    )
    monkeypatch.setenv("NOTICEBOARD_RATELIMIT_LOGIN", "2 per day")
    monkeypatch.setenv("NOTICEBOARD_DATABASE_URL", "sqlite:///" + str(tmp_path / "x.sqlite3"))
    monkeypatch.setenv("NOTICEBOARD_MAX_CONTENT_LENGTH", "1234")  # JSON-parsed: an int
    app = create_app({"INSTANCE_PATH": str(tmp_path), "MAX_CONTENT_LENGTH": 99})
    assert app.config["SECRET_KEY"] == "from-instance"
    assert app.config["RATELIMIT_LOGIN"] == "2 per day"
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("x.sqlite3")
    assert app.config["MAX_CONTENT_LENGTH"] == 99
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path: Path) -> None:
    app = create_app({"INSTANCE_PATH": str(tmp_path), "TESTING": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/noticeboard.sqlite3"


def test_redis_url_moves_rate_limit_counters_to_redis(tmp_path: Path) -> None:
    app = create_app(
        {"INSTANCE_PATH": str(tmp_path), "TESTING": True, "REDIS_URL": "redis://127.0.0.1:6379/0"}
    )
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    from sqlalchemy import text

    from noticeboard.extensions import db

    app = create_app({"INSTANCE_PATH": str(tmp_path), "TESTING": True})
    with app.app_context(), db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000
    with app.app_context():
        db.engine.dispose()
