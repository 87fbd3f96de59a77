"""Liveness, database and job-queue check for load balancers and monitoring.

The status follows the database alone: without it no page works, and without writes no
opinion can be recorded, so the load balancer takes the instance out (503, ``"database":
"unreachable"`` or ``"read_only"``). A queue that cannot be reached stops only new jobs, so it is
reported (``"queue": "unavailable"``) for monitoring while the instance keeps serving."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from noticeboard.extensions import db, limiter
from noticeboard.services.errors import QueueUnavailable
from noticeboard.services.jobs.queue import QUEUE_EXTENSION, JobQueue
from noticeboard.services.ops.health import database_health

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@limiter.exempt
def healthz() -> tuple[Response, int]:
    health = database_health(db.session())
    if health.read_only:
        current_app.logger.warning("health check: database read-only: %s", health.detail)
        return jsonify(status="degraded", database="read_only"), 503
    if not health.ok:
        current_app.logger.warning("health check: database unreachable: %s", health.detail)
        return jsonify(status="degraded", database="unreachable", reason=health.reason), 503
    queue: JobQueue = current_app.extensions[QUEUE_EXTENSION]
    try:
        queue.check()
    except QueueUnavailable as exc:
        current_app.logger.warning("health check: %s", exc.message)
        return jsonify(status="ok", database="ok", queue="unavailable"), 200
    return jsonify(status="ok", database="ok", queue="ok"), 200
