from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import AuditEvent, Role
from noticeboard.services.accounts.users import authenticate, create_user, make_hasher
from noticeboard.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from noticeboard.services.permissions import SYSTEM, Permission, can, require
from tests import factories

HASHER = make_hasher("CHEAPEST")
GOOD = "a long enough password"


def test_create_user_hashes_with_argon2_and_audits(db_session: Session) -> None:
    user = create_user(
        db_session, SYSTEM, email=" New@Example.org", role="admin", password=GOOD, hasher=HASHER
    )
    assert user.email == "new@example.org"
    assert user.password_hash.startswith("$argon2id$")
    assert GOOD not in user.password_hash
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create"))
    assert event is not None
    assert event.subject_id == user.id
    assert event.details == {"email": "new@example.org", "role": "admin", "via": "command line"}


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"email": "not-an-email"}, ValidationFailed),
        ({"role": "king"}, ValidationFailed),
        ({"password": "short"}, ValidationFailed),
        ({"role": "office"}, ValidationFailed),  # an office account needs an office
        ({"role": "office", "office_slug": "nowhere"}, NotFound),
    ],
)
def test_create_user_rejects_bad_input(
    db_session: Session, kwargs: dict[str, str], error: type
) -> None:
    fields = {"email": "a@example.org", "role": "admin", "password": GOOD, **kwargs}
    with pytest.raises(error):
        create_user(db_session, SYSTEM, hasher=HASHER, **fields)


def test_duplicate_email_is_a_conflict(db_session: Session) -> None:
    create_user(
        db_session, SYSTEM, email="a@example.org", role="admin", password=GOOD, hasher=HASHER
    )
    with pytest.raises(Conflict):
        create_user(
            db_session, SYSTEM, email="A@example.org", role="admin", password=GOOD, hasher=HASHER
        )


def test_only_admins_create_users(db_session: Session) -> None:
    commission = factories.make_user(db_session, role="commission")
    with pytest.raises(PermissionDenied):
        create_user(
            db_session,
            commission,
            email="b@example.org",
            role="admin",
            password=GOOD,
            hasher=HASHER,
        )
    admin = factories.make_user(db_session, role="admin")
    office = factories.make_office(db_session, slug="lintao")
    user = create_user(
        db_session,
        admin,
        email="b@example.org",
        role="office",
        password=GOOD,
        hasher=HASHER,
        office_slug="lintao",
    )
    assert user.office == office
    assert user.role is Role.OFFICE


def test_authenticate(db_session: Session) -> None:
    factories.make_user(db_session, email="a@example.org")
    assert authenticate(db_session, "a@example.org", factories.PASSWORD, HASHER) is not None
    assert authenticate(db_session, "a@example.org", "wrong", HASHER) is None
    assert authenticate(db_session, "nobody@example.org", factories.PASSWORD, HASHER) is None


def test_role_permissions(db_session: Session) -> None:
    admin = factories.make_user(db_session, role="admin")
    commission = factories.make_user(db_session, role="commission")
    office = factories.make_user(db_session, role="office")
    assert all(can(admin, p) for p in Permission)
    assert can(commission, Permission.MANAGE_VERSIONS)
    assert not can(commission, Permission.MANAGE_USERS)
    assert can(office, Permission.RECORD_OPINIONS)
    assert not can(office, Permission.MANAGE_VERSIONS)
    assert not can(None, Permission.RECORD_OPINIONS)
    office.is_active = False
    with pytest.raises(PermissionDenied):
        require(office, Permission.RECORD_OPINIONS)
    assert require(SYSTEM, Permission.MANAGE_USERS) is SYSTEM
