"""When the database goes away mid-request: a 503 with a clear page, never a 500.

A dropped or refused connection raises ``OperationalError`` (or ``InterfaceError``) from
wherever the request touched the database. The visitor gets the 503 page (JSON under
``/api/``) with ``Retry-After``; nothing was committed, so a form can be sent again.
The pool's pre-ping replaces dead connections on the next checkout, so the site recovers
by itself once the database answers again.

A read-only request (GET, HEAD) whose connection died under it is run once more: the
retry checks out a fresh, pinged connection, which is enough when the database only
restarted or a stale connection slipped past the ping. Writes are never retried here:
their transaction was rolled back, and the client decides whether to send them again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response, current_app, g, request
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError

from noticeboard.extensions import db, login_manager

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RETRY_AFTER_SECONDS = 5
_RETRIED = "noticeboard_db_retried"


def database_unavailable(exc: BaseException) -> bool:
    """True when the error says the database cannot be reached, not that a query is wrong."""
    if not isinstance(exc, DBAPIError):
        return False
    return exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError)


def _rollback_quietly() -> None:
    try:
        db.session.rollback()
    except SQLAlchemyError:  # the connection is gone; the session is reset all the same
        db.session.close()


def register_database_errors(app: Flask, fallback: Callable[[Exception], Any]) -> None:
    """Map unreachable-database errors to 503; ``fallback`` handles every other
    database error (a constraint, a bad query: a bug, so a logged 500)."""

    @app.errorhandler(DBAPIError)
    def handle_database_error(exc: DBAPIError) -> Any:
        _rollback_quietly()
        if not database_unavailable(exc):
            return fallback(exc)
        if exc.connection_invalidated and request.method in SAFE_METHODS and not g.get(_RETRIED):
            setattr(g, _RETRIED, True)
            try:
                return current_app.make_response(current_app.dispatch_request())
            except DBAPIError as again:
                _rollback_quietly()
                if not database_unavailable(again):
                    return fallback(again)
                exc = again
        return unavailable_response(exc)


def unavailable_response(exc: DBAPIError) -> Response:
    from noticeboard.web.core.errors import error_response

    reason = type(exc.orig).__name__ if exc.orig is not None else type(exc).__name__
    current_app.logger.warning(
        "database unavailable during %s %s: %s", request.method, request.path, reason
    )
    # The page header asks whether someone is signed in; answer "no" without a query.
    g._login_user = login_manager.anonymous_user()
    message = _("The site cannot reach its database right now. Please try again shortly.")
    response = current_app.make_response(error_response(503, message))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.cache_control.no_store = True
    return response
