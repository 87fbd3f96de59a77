"""Errors a use case raises; the web layer turns each into a page or a JSON error."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    code = "error"
    status = 400

    def __init__(self, template: str, details: dict[str, Any] | None = None, **params: Any) -> None:
        # The template is English with %(name)s fields; pybabel extracts it (the class
        # names are extraction keywords in babel.cfg) and the web layer translates it.
        self.template = template
        self.params = params
        self.message = template % params if params else template
        self.details = details or {}
        super().__init__(self.message)


class ValidationFailed(ServiceError):
    code = "validation_failed"
    status = 422


class NotFound(ServiceError):
    code = "not_found"
    status = 404


class PermissionDenied(ServiceError):
    code = "forbidden"
    status = 403


class Conflict(ServiceError):
    code = "conflict"
    status = 409


class NeedsConfirmation(ServiceError):
    """Allowed, but only when staff confirm it knowingly (and the confirmation is audited)."""

    code = "needs_confirmation"
    status = 409


class QueueUnavailable(ServiceError):
    """The job queue cannot be reached, so nothing was queued; the caller says so at once
    rather than leave the work waiting for a worker that will never hear of it."""

    code = "queue_unavailable"
    status = 503
