"""The open-data API's HTTP conventions: one blueprint, query parameters, cursors,
caching headers (ETag, Cache-Control), CORS for reads, bearer tokens and rate limits.

Endpoints live in ``api_laws``, ``api_opinions``, ``api_offices``, ``api_writes`` and
``api_docs``; each attaches its routes to ``bp`` here.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from datetime import date
from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request, url_for

from noticeboard.extensions import csrf, db, limiter
from noticeboard.models import User
from noticeboard.services.accounts.api_tokens import authenticate
from noticeboard.services.errors import ServiceError
from noticeboard.services.open_data.texts import Json, Page

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Writes authenticate with a bearer token, never a cookie, so there is nothing to forge.
csrf.exempt(bp)

DEFAULT_LIMIT, MAX_LIMIT = 50, 200
MAX_INT = 2**31 - 1  # ids and version numbers fit a 32-bit column
READ_MAX_AGE = 60  # seconds a client or proxy may reuse a public answer
CORS_METHODS = "GET, HEAD, OPTIONS"
CORS_HEADERS = "If-None-Match, Accept-Language"
EXPOSED = "ETag, Link, Retry-After, X-Total-Count"


def N_(message: str) -> str:
    """gettext's name for "extract this, translate later" (the error handler translates)."""
    return message


class BadParameter(ServiceError):
    """A query parameter or path value the API cannot read."""

    code = "bad_parameter"
    status = 400


class BadCursor(BadParameter):
    """A cursor that reads as text but is none this API gave out."""

    status = 422


class Unauthorized(ServiceError):
    code = "unauthorized"
    status = 401


def _api_limit() -> str:
    return str(current_app.config["RATELIMIT_API"])


limiter.limit(_api_limit)(bp)


def int_arg(name: str, *, minimum: int = 1, maximum: int = MAX_INT) -> int | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 12 and minimum <= int(raw) <= maximum):
        raise BadParameter(
            N_("%(name)s must be a whole number from %(min)d to %(max)d."),
            details={"parameter": name},
            name=name,
            min=minimum,
            max=maximum,
        )
    return int(raw)


def str_arg(name: str, *, max_length: int = 200) -> str | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if len(raw) > max_length:
        raise BadParameter(N_("%(name)s is too long."), details={"parameter": name}, name=name)
    return raw


def enum_arg(name: str, choices: Iterable[Any]) -> str | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    allowed = [choice.value for choice in choices]
    if raw not in allowed:
        raise BadParameter(
            N_("%(name)s must be one of: %(choices)s."),
            details={"parameter": name},
            name=name,
            choices=", ".join(allowed),
        )
    return raw


def date_arg(name: str) -> date | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        if len(raw) != len("2024-05-31"):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise BadParameter(
            N_("%(name)s must be a date such as 2024-05-31."),
            details={"parameter": name},
            name=name,
        ) from None


def limit_arg() -> int:
    return int_arg("limit", maximum=MAX_LIMIT) or DEFAULT_LIMIT


def encode_cursor(after: int) -> str:
    return base64.urlsafe_b64encode(f"after:{after}".encode()).decode().rstrip("=")


def cursor_arg() -> int | None:
    """The id a list resumes after; the cursor is opaque to clients."""
    raw = request.args.get("cursor")
    if not raw:
        return None
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
        kind, _, value = text.partition(":")
        if kind != "after" or not value.isdigit() or len(value) > 12:
            raise ValueError(text)
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadCursor(
            N_("The cursor is not valid: start again from the first page."),
            details={"parameter": "cursor"},
        ) from None


def json_response(body: Any, *, status: int = 200, max_age: int = READ_MAX_AGE) -> Response:
    """A JSON answer; a public read gets Cache-Control and a strong ETag, and a 304 when
    the client already has it."""
    response = jsonify(body)
    response.status_code = status
    if request.method in ("GET", "HEAD") and status == 200:
        response.headers["Cache-Control"] = f"public, max-age={max_age}"
        response.add_etag()
        response = response.make_conditional(request)
    else:
        response.headers["Cache-Control"] = "no-store"
    return response


def page_response(page: Page, endpoint: str, **values: Any) -> Response:
    """A list page: ``items``, ``total`` and ``next_cursor``; the next page's address
    is also in a ``Link: <...>; rel="next"`` header."""
    cursor = encode_cursor(page.next_after) if page.next_after is not None else None
    body: Json = {"items": page.items, "total": page.total, "next_cursor": cursor}
    response = json_response(body)
    response.headers["X-Total-Count"] = str(page.total)
    if cursor is not None:
        args = {k: v for k, v in request.args.items() if k != "cursor"}
        target = url_for(endpoint, **values, **args, cursor=cursor)
        response.headers["Link"] = f'<{target}>; rel="next"'
    return response


def token_user() -> User:
    """The staff account the request's bearer token acts as (401 without a valid one)."""
    cached: User | None = g.get("api_user")
    if cached is not None:
        return cached
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthorized(N_("Send an API token: Authorization: Bearer <token>."))
    user = authenticate(db.session(), secret.strip())
    if user is None:
        raise Unauthorized(N_("The API token is not valid, or has been revoked."))
    g.api_user = user
    return user


def install(app: Flask) -> None:
    """CORS for reads anywhere under /api/, and the Bearer challenge on every 401 there."""

    @app.after_request
    def api_headers(response: Response) -> Response:
        if not request.path.startswith("/api/"):
            return response
        if request.method in ("GET", "HEAD", "OPTIONS"):
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Access-Control-Expose-Headers"] = EXPOSED
            if request.method == "OPTIONS":
                response.headers["Access-Control-Allow-Methods"] = CORS_METHODS
                response.headers["Access-Control-Allow-Headers"] = CORS_HEADERS
                response.headers["Access-Control-Max-Age"] = "86400"
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"  # errors and writes
        if response.status_code == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="noticeboard"'
        return response
