"""One commit per request, at its end, the way Indico's request handler does it.

Services change state and ``flush()``; views never commit. When the response is ready,
``finish_request`` decides once for the whole request:

- **Commit** a write request (POST, PUT, PATCH, DELETE) whose response is a success or
  a redirect (status below 400) and whose view did not call ``discard_request``. Work
  queued with ``after_commit`` (or a service's ``call_after_commit``) runs only then.
- **Roll back** a write request that failed: a service error or any other exception
  reached an error handler (every error answer is 400 or more), or the view called
  ``discard_request`` (or ``form_failed``) because it shows its form again.
- **Refuse** a safe request (GET, HEAD, OPTIONS) that wrote: an ORM flush, an
  INSERT/UPDATE/DELETE statement, or pending objects in the session. It is rolled back
  and logged; under TESTING it raises ``WriteInSafeRequest`` so the test fails loudly.

A commit that fails (a constraint met only when the commit flushes the last rows, a lost
connection, a concurrent update) is rolled back in full and answered exactly as the same
error raised inside the view: the outage page (503, with Retry-After) when the database
is unreachable, the error page (500, "nothing you sent was half-saved") for anything
else. Nothing is ever half-written, and the after-commit work is dropped.

Registered last in ``create_app``, so it runs first among the response handlers and the
others (security headers, CORS, language) apply to an error answer that replaces the
response.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, flash, g, has_request_context, request
from flask.typing import ResponseReturnValue
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from werkzeug.wrappers import Response

from noticeboard.extensions import db
from noticeboard.services.background import call_after_commit
from noticeboard.services.errors import ServiceError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_DISCARDED = "noticeboard_tx_discarded"
_WROTE = "noticeboard_tx_wrote"


class WriteInSafeRequest(RuntimeError):
    """A GET, HEAD or OPTIONS request changed the database (raised under TESTING)."""


def discard_request() -> None:
    """Roll back now and commit nothing at the end of this request: the view shows its
    form again (or gives up) after a refused change. Later writes are discarded too."""
    setattr(g, _DISCARDED, True)
    db.session.rollback()  # drops the after-commit work too


def form_failed(exc: ServiceError, category: str = "error") -> None:
    """``discard_request``, then flash the service's reason in the visitor's language."""
    from noticeboard.web.core.errors import translate_error

    discard_request()
    flash(translate_error(exc), category)


def after_commit(callback: Callable[[], None]) -> None:
    """Run ``callback`` once this request's commit succeeded (before the response, and
    its session cookie, leave); dropped when the request rolls back."""
    call_after_commit(db.session(), callback, name=f"{request.method} {request.path}")


def install_transactions(app: Flask) -> None:
    """Commit or roll back at the end of every request; call last in ``create_app``."""
    app.after_request(finish_request)
    # db.session is one for every app in the process: listen once.
    if not event.contains(db.session, "after_flush", _note_flush):
        event.listen(db.session, "after_flush", _note_flush)
        event.listen(db.session, "do_orm_execute", _note_statement)


def finish_request(response: Response) -> Response:
    if request.method in SAFE_METHODS:
        _refuse_writes()
        return response
    if g.pop(_DISCARDED, False) or response.status_code >= 400:
        db.session.rollback()
        return response
    try:
        # The after-commit work runs inside, once the commit succeeded; a callback that
        # fails is logged and the response still says the data is saved.
        db.session.commit()
    except SQLAlchemyError as exc:
        _rollback_quietly()
        return _commit_failed(exc)
    return response


def _commit_failed(exc: SQLAlchemyError) -> Response:
    current_app.logger.warning(
        "commit failed for %s %s: %s", request.method, request.path, type(exc).__name__
    )
    # The same answer as had the error come from a flush inside the view.
    handled: ResponseReturnValue = current_app.handle_user_exception(exc)
    return current_app.make_response(handled)


def _rollback_quietly() -> None:
    try:
        db.session.rollback()
    except SQLAlchemyError:  # the connection is gone; closing resets the session all the same
        db.session.close()


def _refuse_writes() -> None:
    session = db.session()
    wrote: list[str] = g.pop(_WROTE, [])
    dirty = [obj for obj in session.dirty if session.is_modified(obj)]
    pending = [
        f"{len(objects)} {name}"
        for name, objects in (
            ("new", session.new),
            ("changed", dirty),
            ("deleted", session.deleted),
        )
        if objects
    ]
    if not wrote and not pending:
        return
    _rollback_quietly()
    message = (
        f"{request.method} {request.path} wrote to the database "
        f"({', '.join([*wrote, *pending])}); rolled back: safe requests never write"
    )
    if current_app.testing:
        raise WriteInSafeRequest(message)
    current_app.logger.error(message)


def _note_write(what: str) -> None:
    if has_request_context() and request.method in SAFE_METHODS:
        noted: list[str] = g.setdefault(_WROTE, [])
        if what not in noted:
            noted.append(what)


def _note_flush(_session: Session, _context: UOWTransaction) -> None:
    _note_write("a flush")


def _note_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _note_write(f"{type(state.statement).__name__.upper()} statement")
