"""Liveness and database check for load balancers and monitoring."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from noticeboard.extensions import db, limiter

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@limiter.exempt
def healthz() -> tuple[Response, int]:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        db.session.rollback()
        current_app.logger.warning("health check: database unreachable: %s", exc)
        reason = type(exc.orig if getattr(exc, "orig", None) else exc).__name__
        return jsonify(status="error", database="unavailable", reason=reason), 503
    return jsonify(status="ok", database="ok"), 200
