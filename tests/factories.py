"""Small factories for test data; each flushes and returns the new object."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import Law, Office, OfficeTier, Role, User
from noticeboard.services.accounts import make_hasher

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)
_hasher = make_hasher("CHEAPEST")


def make_office(session: Session, **fields: Any) -> Office:
    slug = fields.pop("slug", None) or f"office-{next(_counter)}"
    existing = session.scalar(select(Office).where(Office.slug == slug))
    if existing is not None:
        return existing
    office = Office(
        slug=slug,
        name=fields.pop("name", f"{slug} 基层立法联系点"),
        tier=fields.pop("tier", OfficeTier.NATIONAL),
        **fields,
    )
    session.add(office)
    session.flush()
    return office


def make_user(session: Session, role: str = "admin", **fields: Any) -> User:
    user = User(
        email=fields.pop("email", f"staff{next(_counter)}@example.org"),
        role=Role(role),
        password_hash=_hasher.hash(fields.pop("password", PASSWORD)),
        **fields,
    )
    session.add(user)
    session.flush()
    return user


def make_law(session: Session, **fields: Any) -> Law:
    n = next(_counter)
    law = Law(
        slug=fields.pop("slug", f"law-{n}"), title=fields.pop("title", f"测试法{n}"), **fields
    )
    session.add(law)
    session.flush()
    return law
