"""``GET /api/v1/``: the API's name and version."""

from __future__ import annotations

from flask import Response, jsonify

from noticeboard.version import __version__
from noticeboard.web.api.http import bp


@bp.get("/")
def index() -> Response:
    return jsonify(name="noticeboard", version=__version__)
