"""API tokens made at the command line for a staff account (``noticeboard create-token``):
the same token, checks and audit row as the account's own tokens screen, and one more
row saying the operator made it for them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import User
from noticeboard.services.accounts.api_tokens import NewToken, create_token
from noticeboard.services.accounts.users import normalise_email
from noticeboard.services.audit import record_event
from noticeboard.services.errors import NotFound, ValidationFailed
from noticeboard.services.permissions import Actor, Permission, require

DEFAULT_NAME = "command line"


def token_for_account(session: Session, actor: Actor, email: str, name: str) -> NewToken:
    """A new token acting as the active staff account ``email``; the secret is in the
    result only."""
    require(actor, Permission.MANAGE_USERS)
    email = normalise_email(email)
    owner = session.scalar(select(User).where(User.email == email))
    if owner is None:
        raise NotFound("No staff account for %(email)s.", email=email)
    if not owner.is_active:
        raise ValidationFailed(
            "The account %(email)s is deactivated: it cannot have API tokens.", email=email
        )
    made = create_token(session, owner, name)
    record_event(session, actor, "api_token.issue", "api_token", made.token.id, owner=owner.email)
    session.flush()
    return made
