"""Error pages in the site's look, and one JSON error shape under /api/."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from noticeboard.extensions import db
from noticeboard.services.errors import ServiceError

ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    422: "validation_failed",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


def _titles() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood.")),
        401: (_("Sign in needed"), _("Please sign in to continue.")),
        403: (_("Not allowed"), _("Your account may not open this page.")),
        409: (_("Not possible now"), _("This cannot be done in the current state.")),
        422: (_("Please check your input"), _("Something in the form needs correcting.")),
        404: (_("Page not found"), _("There is no page at this address. It may have moved.")),
        405: (_("Not allowed"), _("This address does not accept that kind of request.")),
        413: (
            _("File too large"),
            _("The upload is larger than the site accepts. Split it or shrink it and try again."),
        ),
        429: (
            _("Too many requests"),
            _("You have tried this too often in a short time. Please wait a minute and try again."),
        ),
        500: (
            _("Something went wrong"),
            _("The site hit an error. Nothing you sent was half-saved; please try again."),
        ),
        503: (
            _("Temporarily unavailable"),
            _("The site cannot reach its database right now. Please try again shortly."),
        ),
    }


def translate_error(exc: ServiceError) -> str:
    """A service error's message in the visitor's language."""
    return _(exc.template, **exc.params)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(
    status: int, message: str, code: str | None = None, details: dict[str, Any] | None = None
) -> tuple[Response, int] | tuple[str, int]:
    if wants_json():
        error: dict[str, Any] = {
            "code": code or ERROR_CODES.get(status, "error"),
            "message": message,
        }
        if details:
            error["details"] = details
        return jsonify({"error": error}), status
    title, text = _titles().get(status, (str(status), message))
    return render_template("core/error.html", status=status, title=title, text=text), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def handle_http(exc: HTTPException) -> tuple[Response, int] | tuple[str, int]:
        status = exc.code or 500
        if status == 500:
            db.session.rollback()
        message = exc.description or ""
        if not wants_json():
            message = _titles().get(status, ("", message))[1]
        response = error_response(status, message)
        if wants_json() and isinstance(response[0], Response):
            # Keep the exception's headers: Allow on a 405, Retry-After on a 429.
            for name, value in exc.get_headers():
                if name.lower() != "content-type":
                    response[0].headers[name] = value
        return response

    @app.errorhandler(CSRFError)
    def handle_csrf(exc: CSRFError) -> tuple[Response, int] | tuple[str, int]:
        if wants_json():
            return error_response(400, "missing or invalid CSRF token", "csrf_failed")
        text = _("The form has expired or was sent from elsewhere. Reload the page and try again.")
        return render_template(
            "core/error.html", status=400, title=_("Form expired"), text=text
        ), 400

    @app.errorhandler(ServiceError)
    def handle_service_error(exc: ServiceError) -> tuple[Response, int] | tuple[str, int]:
        message = translate_error(exc)
        if wants_json():
            db.session.rollback()
            return error_response(exc.status, message, exc.code, exc.details)
        title = _titles().get(exc.status, (_("Something is not right"), ""))[0]
        # Rendered before the rollback, which would expire the signed-in account the page
        # names (and have the template query it again). A service refuses before it
        # writes, so the session is sound here; nothing of it is kept.
        page = render_template("core/error.html", status=exc.status, title=title, text=message)
        db.session.rollback()
        return page, exc.status

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception) -> tuple[Response, int] | tuple[str, int]:
        db.session.rollback()
        app.logger.exception("unhandled error", exc_info=exc)
        return handle_http(InternalServerError())

    from noticeboard.web.core.outage import register_database_errors

    # An unreachable database is a 503 with a clear page, not a 500 (see web.outage).
    register_database_errors(app, fallback=handle_unexpected)
