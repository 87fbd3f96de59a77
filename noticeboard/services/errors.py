"""Errors a use case raises; the web layer turns each into a page or a JSON error."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    code = "error"
    status = 400

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


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
