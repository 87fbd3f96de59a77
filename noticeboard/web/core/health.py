"""Liveness and database check for load balancers and monitoring."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from noticeboard.extensions import db, limiter
from noticeboard.services.ops.health import database_health

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@limiter.exempt
def healthz() -> tuple[Response, int]:
    health = database_health(db.session())
    if not health.ok:
        current_app.logger.warning("health check: database unreachable: %s", health.detail)
        return jsonify(status="error", database="unavailable", reason=health.reason), 503
    return jsonify(status="ok", database="ok"), 200
