"""JSON API, version 1. Errors here are always JSON (see web.errors)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from noticeboard import __version__
from noticeboard.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# The API is read-only for anonymous clients; write access will use tokens, not cookies.
csrf.exempt(bp)


@bp.get("/")
def index() -> Response:
    return jsonify(name="noticeboard", version=__version__)
