"""The application factory."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from noticeboard.config import instance_path, load_config
from noticeboard.extensions import cache, csrf, db, limiter, login_manager, migrate

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """``templates``, ``static`` or ``migrations``: beside the package in a checkout,
    inside it (as ``_name``) when installed from a wheel."""
    installed = PACKAGE_DIR / f"_{name}"
    return installed if installed.is_dir() else PACKAGE_DIR.parent / name


def create_app(config: dict[str, Any] | None = None) -> Flask:
    instance = instance_path(config)
    app = Flask(
        "noticeboard",
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
        instance_path=str(Path(instance).resolve()) if instance else None,
        instance_relative_config=True,
    )
    load_config(app, config)
    if app.config["DATABASE_URL"].startswith("sqlite:///"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    _init_extensions(app)
    from noticeboard.web import register_blueprints
    from noticeboard.web.core.errors import register_error_handlers
    from noticeboard.web.core.i18n import register_i18n
    from noticeboard.web.core.input_guard import install_input_guard
    from noticeboard.web.core.labels import register_labels
    from noticeboard.web.core.log_redaction import install_redaction

    register_blueprints(app)
    register_error_handlers(app)
    register_i18n(app)
    register_labels(app)
    install_redaction(app)
    install_input_guard(app)
    from noticeboard.web.core.security import init_security

    init_security(app)
    return app


def _init_extensions(app: Flask) -> None:
    import noticeboard.models  # noqa: F401  (registers every table on the metadata)
    from noticeboard.services.accounts.users import make_hasher

    db.init_app(app)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    cache.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "staff.login"
    login_manager.session_protection = "strong"
    app.extensions["noticeboard.hasher"] = make_hasher(app.config["PASSWORD_HASH_PROFILE"])

    @login_manager.user_loader
    def load_user(session_id: str) -> Any:
        from noticeboard.models import User

        # "id:token": a token changed by "sign out everywhere" ends every other session.
        user_id, _, token = session_id.partition(":")
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        if user is None or not user.is_active or not token:
            return None
        return user if secrets.compare_digest(user.session_token, token) else None


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """WAL for concurrent readers, enforced foreign keys, and a wait instead of
    'database is locked' when two writers meet."""
    import sqlite3

    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "memory":
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
