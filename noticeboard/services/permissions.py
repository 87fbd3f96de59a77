"""Who may do what. Every service starts with one line: ``require(actor, Permission.X)``."""

from __future__ import annotations

import enum
from typing import Final

from noticeboard.models import Role, User
from noticeboard.services.errors import PermissionDenied


class SystemActor:
    """The operator at the command line: trusted, and audited as such."""

    id = None
    via = "command line"

    def __repr__(self) -> str:
        return "<SystemActor>"


class PublicSubmitter(SystemActor):
    """A citizen using the public form while a consultation is open. Only the submission
    service acts as this, after checking the comment window; audited as the public form."""

    via = "public form"

    def __repr__(self) -> str:
        return "<PublicSubmitter>"


SYSTEM: Final = SystemActor()
PUBLIC: Final = PublicSubmitter()
Actor = User | SystemActor


class Permission(enum.StrEnum):
    MANAGE_USERS = "manage_users"
    MANAGE_OFFICES = "manage_offices"
    MANAGE_LAWS = "manage_laws"
    MANAGE_VERSIONS = "manage_versions"
    DECIDE_OPINIONS = "decide_opinions"
    RECORD_OPINIONS = "record_opinions"
    VIEW_AUDIT = "view_audit"


ROLE_PERMISSIONS: Final[dict[Role, frozenset[Permission]]] = {
    Role.ADMIN: frozenset(Permission),
    Role.COMMISSION: frozenset(
        {Permission.MANAGE_VERSIONS, Permission.DECIDE_OPINIONS, Permission.RECORD_OPINIONS}
    ),
    Role.OFFICE: frozenset({Permission.RECORD_OPINIONS}),
}


def can(actor: Actor | None, permission: Permission) -> bool:
    if isinstance(actor, SystemActor):
        return True
    if actor is None or not actor.is_active:
        return False
    return permission in ROLE_PERMISSIONS[actor.role]


def require(actor: Actor | None, permission: Permission) -> Actor:
    """Return the actor when allowed, else raise PermissionDenied."""
    if actor is None or not can(actor, permission):
        raise PermissionDenied(
            "Your account may not do this (%(permission)s).", permission=permission.value
        )
    return actor
