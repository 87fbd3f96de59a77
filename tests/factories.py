"""Small factories for test data; each flushes and returns the new object."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import Law, Office, OfficeTier, Role, User
from noticeboard.services.accounts.users import make_hasher

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


DRAFT_V1 = (
    "第一条 为了保护未成年人，制定本法。\n"
    "第二条 本法所称未成年人是指未满十八周岁的公民。\n"
    "第三条 国家保障未成年人的生存权、发展权、受保护权、参与权等权利。\n"
    "第四条 保护未成年人，应当坚持最有利于未成年人的原则。\n"
)
# The second draft inserts an article after the first: the later ones move down by one.
DRAFT_V2 = (
    "第一条 为了保护未成年人，制定本法。\n"
    "第二条 未成年人保护工作应当坚持中国共产党的领导。\n"
    "第三条 本法所称未成年人是指未满十八周岁的公民。\n"
    "第四条 国家保障未成年人的生存权、发展权、受保护权、参与权等权利。\n"
    "第五条 保护未成年人，应当坚持最有利于未成年人的原则。\n"
)


def make_version(
    session: Session, law: Law | None = None, text: str = DRAFT_V1, **fields: Any
) -> Any:
    """A published version of ``law`` (a new law when none), parsed into articles."""
    from noticeboard.services.laws.versions import add_version
    from noticeboard.services.permissions import SYSTEM

    law = law or make_law(session)
    return add_version(
        session,
        SYSTEM,
        law,
        label=fields.pop("label", f"第{len(law.versions) + 1}稿"),
        source_text=text,
        publish=fields.pop("publish", True),
        **fields,
    )


def make_opinion(session: Session, version: Any, **fields: Any) -> Any:
    """An opinion recorded through the service, as the command line would."""
    from datetime import date

    from noticeboard.models import Channel
    from noticeboard.services.opinions.recording import OpinionInput, record_opinion
    from noticeboard.services.permissions import SYSTEM

    actor = fields.pop("actor", SYSTEM)
    data = OpinionInput(
        version=version,
        text=fields.pop("text", "建议增加学校保护的内容。"),
        channel=fields.pop("channel", Channel.SYMPOSIUM),
        received_on=fields.pop("received_on", date(2024, 5, 6)),
        **fields,
    )
    return record_opinion(session, actor, data)
