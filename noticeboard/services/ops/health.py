"""Whether the database answers, for the health check."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class DatabaseHealth:
    ok: bool
    reason: str = ""  # the error's class name, for monitoring
    detail: str = ""  # the error's message, for the log


def database_health(session: Session) -> DatabaseHealth:
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        session.rollback()
        cause: object = getattr(exc, "orig", None) or exc  # the driver's error, when there is one
        return DatabaseHealth(ok=False, reason=type(cause).__name__, detail=str(exc))
    return DatabaseHealth(ok=True)
