"""Staff accounts: creation and password checks."""

from __future__ import annotations

import re
import secrets

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from noticeboard.models import Office, Role, User, utcnow
from noticeboard.services.audit import record_event
from noticeboard.services.errors import Conflict, NotFound, ValidationFailed
from noticeboard.services.permissions import Actor, Permission, require

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def make_hasher(profile_name: str = "RFC_9106_LOW_MEMORY") -> PasswordHasher:
    return PasswordHasher.from_parameters(getattr(profiles, profile_name))


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            "The password needs at least %(n)d characters.", n=MIN_PASSWORD_LENGTH
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationFailed("The password is too long.")


def create_user(
    session: Session,
    actor: Actor,
    *,
    email: str,
    role: Role | str,
    password: str,
    hasher: PasswordHasher,
    office_slug: str | None = None,
) -> User:
    require(actor, Permission.MANAGE_USERS)
    email = normalise_email(email)
    if not _EMAIL.match(email):
        raise ValidationFailed("Not an email address: %(email)s.", email=email)
    try:
        role = Role(role)
    except ValueError:
        raise ValidationFailed("Unknown role %(role)s.", role=role) from None
    check_password_rules(password)

    office = None
    if office_slug:
        office = session.scalar(select(Office).where(Office.slug == office_slug))
        if office is None:
            raise NotFound("No office with the slug %(slug)s.", slug=office_slug)
    if role is Role.OFFICE and office is None:
        raise ValidationFailed("An office account needs --office SLUG.")
    if session.scalar(select(func.count()).where(User.email == email)):
        raise Conflict("An account for %(email)s exists already.", email=email)

    user = User(email=email, role=role, office=office, password_hash=hasher.hash(password))
    session.add(user)
    session.flush()
    record_event(session, actor, "user.create", "user", user.id, email=email, role=role.value)
    return user


def authenticate(
    session: Session, email: str, password: str, hasher: PasswordHasher
) -> User | None:
    """The user when the email and password match an active account, else None.

    An unknown email still costs one hash verification, so the answer time does not
    tell which emails have accounts.
    """
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    stored = user.password_hash if user is not None else _dummy_hash(hasher)
    try:
        hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.is_active:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    user.last_login_at = utcnow()
    session.flush()
    return user


def session_user(session: Session, session_id: str) -> User | None:
    """The signed-in account of a session id ("id:token"), with its office (every page
    names it), or None. A token changed by "sign out everywhere" ends every other session."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = session.get(User, int(user_id), options=[joinedload(User.office)])
    if user is None or not user.is_active:
        return None
    return user if secrets.compare_digest(user.session_token, token) else None


_dummy_hashes: dict[tuple[int, int, int], str] = {}


def _dummy_hash(hasher: PasswordHasher) -> str:
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _dummy_hashes:
        _dummy_hashes[key] = hasher.hash("not-a-real-password-but-the-same-cost")
    return _dummy_hashes[key]


def sign_out_everywhere(session: Session, actor: Actor, user: User) -> None:
    """End every session of the account (lost phone, shared computer): a new session
    token invalidates the ids that all existing sessions carry."""
    if actor is not user:
        require(actor, Permission.MANAGE_USERS)
    user.session_token = secrets.token_hex(16)
    session.flush()
    record_event(session, actor, "user.sign_out_everywhere", "user", user.id)
