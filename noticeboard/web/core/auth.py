"""Access checks for staff views. Services check again: this only picks the page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort
from flask_login import current_user, login_required

from noticeboard.models import User
from noticeboard.services.permissions import Permission, can

F = TypeVar("F", bound=Callable[..., Any])


def requires(permission: Permission) -> Callable[[F], F]:
    """Sign-in required (redirect to the login page), then the permission (403)."""

    def decorate(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not can(current_user._get_current_object(), permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


def current_staff() -> User:
    """The signed-in staff account, as the services want it (not Flask-Login's proxy)."""
    return cast(User, current_user._get_current_object())
