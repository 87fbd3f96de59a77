"""The application factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_request_context
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import ORMExecuteState, raiseload

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
    _trust_proxies(app)
    if app.config["DATABASE_URL"].startswith("sqlite:///"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    _init_extensions(app)
    from noticeboard.web import register_blueprints
    from noticeboard.web.core.errors import register_error_handlers
    from noticeboard.web.core.i18n import register_i18n
    from noticeboard.web.core.input_guard import install_input_guard
    from noticeboard.web.core.log_redaction import install_redaction
    from noticeboard.web.core.template_globals import register_template_globals

    register_blueprints(app)
    register_error_handlers(app)
    register_i18n(app)
    register_template_globals(app)
    install_redaction(app)
    install_input_guard(app)
    from noticeboard.web.core.security import init_security

    init_security(app)
    from noticeboard.web.core.transaction import install_transactions

    # Last, so that it runs first when the response is ready (see web.core.transaction).
    install_transactions(app)
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
    from noticeboard.worker.notices import init_notices
    from noticeboard.worker.queue import init_queue

    init_queue(app)
    init_notices(app)
    if app.config["RAISELOAD_RELATIONSHIPS"] and not event.contains(
        db.session, "do_orm_execute", _raise_on_lazy_loads
    ):
        # db.session is one for every app in the process: each app's own setting is read
        # at run time, so an app built without it keeps lazy loads.
        event.listen(db.session, "do_orm_execute", _raise_on_lazy_loads)

    @login_manager.user_loader
    def load_user(session_id: str) -> Any:
        from noticeboard.services.accounts.users import session_user

        return session_user(db.session(), session_id)


def _raise_on_lazy_loads(state: ORMExecuteState) -> None:
    """RAISELOAD_RELATIONSHIPS: each SELECT a request runs loads its objects with every
    relationship set to raiseload (what the query eager-loads itself excepted), nested
    eager loads included, so touching any other relationship raises instead of querying.
    Console commands and background jobs run outside a request and keep lazy loads."""
    if (
        state.is_select
        and state.is_orm_statement
        and not state.is_column_load
        and not state.is_relationship_load
        and has_request_context()
        and current_app.config["RAISELOAD_RELATIONSHIPS"]
    ):
        state.statement = state.statement.options(raiseload("*"))


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


def _trust_proxies(app: Flask) -> None:
    """Behind ``TRUSTED_PROXIES`` proxies, take the client's address and scheme from their
    headers; with none, drop the headers before anything reads them."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    hops = int(app.config["TRUSTED_PROXIES"])
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
        return
    inner = app.wsgi_app

    def untrusted_headers_dropped(environ: dict[str, Any], start_response: Any) -> Any:
        for header in ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_FORWARDED"):
            environ.pop(header, None)
        return inner(environ, start_response)

    app.wsgi_app = untrusted_headers_dropped  # type: ignore[method-assign]
