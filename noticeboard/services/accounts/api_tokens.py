"""API tokens: made and revoked by staff, stored hashed, each acting as its owner.

A token is ``nbt_`` and 43 URL-safe characters (``secrets.token_urlsafe(32)``, 256 bits);
only its SHA-256 is kept. It acts with its owner's permissions and office scope, and
only while the owner's account is active and still has the role the token was made
under: a promotion or demotion silently retires every token of the old role.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from noticeboard.models import ApiToken, Role, User, utcnow
from noticeboard.services.audit import record_event
from noticeboard.services.errors import NotFound, PermissionDenied, ValidationFailed
from noticeboard.services.permissions import Actor, SystemActor

TOKEN_PREFIX = "nbt_"  # noqa: S105 - marks our tokens, not a secret
MAX_NAME = 100
MAX_TOKENS = 20  # active tokens per person
# last_used_at is written at most this often, so a busy integration costs no write per call.
TOUCH_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _staff(actor: Actor) -> User:
    if isinstance(actor, SystemActor) or not actor.is_active:
        raise PermissionDenied("API tokens belong to staff accounts.")
    return actor


def create_token(session: Session, actor: Actor, name: str) -> NewToken:
    """A new token for the acting staff member; the secret is in the result only."""
    owner = _staff(actor)
    name = " ".join(name.split())
    if not name:
        raise ValidationFailed("Name the token after the system that will use it.")
    if len(name) > MAX_NAME:
        raise ValidationFailed("The name is too long (at most %(n)d characters).", n=MAX_NAME)
    active = [t for t in list_tokens(session, owner, everyone=False) if t.active]
    if len(active) >= MAX_TOKENS:
        raise ValidationFailed(
            "You have %(n)d active tokens already; revoke one first.", n=len(active)
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=owner.id,
        name=name,
        token_hash=hash_token(secret),
        prefix=secret[: len(TOKEN_PREFIX) + 4],
        scope=owner.role,
        created_at=utcnow(),
    )
    session.add(token)
    session.flush()
    record_event(
        session, owner, "api_token.create", "api_token", token.id, name=name, scope=owner.role.value
    )
    return NewToken(token=token, secret=secret)


def list_tokens(session: Session, actor: Actor, *, everyone: bool = True) -> Sequence[ApiToken]:
    """The actor's own tokens; an admin's list (with ``everyone``) has every token."""
    viewer = _staff(actor)
    query = select(ApiToken).options(joinedload(ApiToken.user))
    if not (everyone and viewer.role is Role.ADMIN):
        query = query.where(ApiToken.user_id == viewer.id)
    return session.scalars(
        query.order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id)
    ).all()


def revoke_token(session: Session, actor: Actor, token_id: int) -> ApiToken:
    """Staff revoke their own tokens; admins anyone's. Revoking twice changes nothing."""
    viewer = _staff(actor)
    token = session.get(ApiToken, token_id)
    if token is None or (token.user_id != viewer.id and viewer.role is not Role.ADMIN):
        raise NotFound("No such token.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        token.revoked_by_id = viewer.id
        session.flush()
        record_event(session, viewer, "api_token.revoke", "api_token", token.id, name=token.name)
    return token


def authenticate(session: Session, secret: str, *, now: datetime | None = None) -> User | None:
    """The user a presented token acts as, or None for an unknown, revoked or retired one."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = session.scalar(
        select(ApiToken)
        .where(ApiToken.token_hash == hash_token(secret))
        .options(joinedload(ApiToken.user))
    )
    if token is None or token.revoked_at is not None:
        return None
    owner = token.user
    if not owner.is_active or owner.role is not token.scope:
        return None
    now = now or utcnow()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        token.last_used_at = now
        session.flush()
    return owner
