"""API tokens: shown once, stored hashed, scoped to the owner's role, revocable."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import ApiToken, AuditEvent, Role, utcnow
from noticeboard.services.accounts.api_tokens import (
    TOUCH_EVERY,
    authenticate,
    create_token,
    hash_token,
    list_tokens,
    revoke_token,
)
from noticeboard.services.errors import NotFound, PermissionDenied, ValidationFailed
from noticeboard.services.permissions import SYSTEM
from tests import factories


def test_token_is_shown_once_and_stored_only_as_a_hash(db_session: Session) -> None:
    user = factories.make_user(db_session, role="commission")
    made = create_token(db_session, user, "  Provincial   import system ")
    assert made.secret.startswith("nbt_")
    assert len(made.secret) >= 40
    stored = db_session.scalars(select(ApiToken)).one()
    assert stored.token_hash == hash_token(made.secret) != made.secret
    assert made.secret not in {stored.name, stored.prefix, stored.token_hash}
    assert stored.prefix == made.secret[:8]
    assert stored.name == "Provincial import system"
    assert stored.scope is Role.COMMISSION
    event = db_session.scalars(select(AuditEvent)).one()
    assert (event.action, event.actor_id) == ("api_token.create", user.id)
    assert made.secret not in str(event.details)


def test_authenticate_accepts_only_live_tokens_of_unchanged_accounts(db_session: Session) -> None:
    user = factories.make_user(db_session, role="office")
    made = create_token(db_session, user, "kiosk uploader")
    assert authenticate(db_session, made.secret) is user
    assert authenticate(db_session, made.secret + "x") is None
    assert authenticate(db_session, "not-a-token") is None
    assert authenticate(db_session, "") is None
    user.role = Role.COMMISSION  # promoted: tokens of the old role retire
    assert authenticate(db_session, made.secret) is None
    user.role = Role.OFFICE
    user.is_active = False
    assert authenticate(db_session, made.secret) is None
    user.is_active = True
    revoke_token(db_session, user, made.token.id)
    assert authenticate(db_session, made.secret) is None


def test_last_used_is_written_at_most_every_few_minutes(db_session: Session) -> None:
    user = factories.make_user(db_session)
    made = create_token(db_session, user, "sync")
    now = utcnow()
    authenticate(db_session, made.secret, now=now)
    assert made.token.last_used_at == now
    authenticate(db_session, made.secret, now=now + TOUCH_EVERY / 2)
    assert made.token.last_used_at == now
    later = now + TOUCH_EVERY + timedelta(seconds=1)
    authenticate(db_session, made.secret, now=later)
    assert made.token.last_used_at == later


def test_staff_see_and_revoke_their_own_tokens_admins_everyones(db_session: Session) -> None:
    alice = factories.make_user(db_session, role="commission")
    bob = factories.make_user(db_session, role="office")
    admin = factories.make_user(db_session, role="admin")
    a = create_token(db_session, alice, "a").token
    b = create_token(db_session, bob, "b").token
    assert list(list_tokens(db_session, alice)) == [a]
    assert set(list_tokens(db_session, admin)) == {a, b}
    assert list(list_tokens(db_session, admin, everyone=False)) == []
    with pytest.raises(NotFound):
        revoke_token(db_session, alice, b.id)
    revoke_token(db_session, admin, b.id)
    assert b.revoked_at is not None
    assert b.revoked_by_id == admin.id
    again = revoke_token(db_session, admin, b.id)  # a second revocation changes nothing
    assert again.revoked_at == b.revoked_at
    actions = [e.action for e in db_session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions.count("api_token.revoke") == 1


def test_tokens_need_a_name_and_a_staff_account(db_session: Session) -> None:
    user = factories.make_user(db_session)
    with pytest.raises(ValidationFailed):
        create_token(db_session, user, "   ")
    with pytest.raises(ValidationFailed):
        create_token(db_session, user, "x" * 101)
    with pytest.raises(PermissionDenied):
        create_token(db_session, SYSTEM, "cli")
