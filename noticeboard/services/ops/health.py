"""Whether the database answers, and whether it can take writes, for the health check.

Nothing here writes: a read-only database is found by asking it (PostgreSQL's
``transaction_read_only``, on for a standby or ``default_transaction_read_only``;
SQLite's ``query_only``) and, for SQLite, by whether its file and folder (the journal's)
may be written. So a long import holding SQLite's one write lock is no fault here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class DatabaseHealth:
    ok: bool
    reason: str = ""  # the error's class name, for monitoring
    detail: str = ""  # the error's message, for the log
    read_only: bool = False  # it answers, but every write would fail


def database_health(session: Session) -> DatabaseHealth:
    try:
        session.execute(text("SELECT 1"))
        refusal = _why_read_only(session)
    except SQLAlchemyError as exc:
        session.rollback()
        cause: object = getattr(exc, "orig", None) or exc  # the driver's error, when there is one
        return DatabaseHealth(ok=False, reason=type(cause).__name__, detail=str(exc))
    if refusal:
        return DatabaseHealth(ok=False, reason="read_only", detail=refusal, read_only=True)
    return DatabaseHealth(ok=True)


def _why_read_only(session: Session) -> str:
    """Why writes would fail, or "" when they would not."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        if session.scalar(text("SHOW transaction_read_only")) == "on":
            return "the server takes no writes (transaction_read_only is on)"
        return ""
    if bind.dialect.name == "sqlite":
        if session.scalar(text("PRAGMA query_only")):
            return "PRAGMA query_only is on"
        path = bind.engine.url.database
        if path and path != ":memory:" and not path.startswith("file:"):
            folder = os.path.dirname(os.path.abspath(path)) or "."
            if not os.access(path, os.W_OK):
                return f"the database file {path} is not writable"
            if not os.access(folder, os.W_OK):
                return f"the folder {folder} is not writable (its journal goes there)"
    return ""
