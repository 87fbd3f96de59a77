"""Loading the demo data, once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import resources

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import LawStatus, Office, utcnow
from noticeboard.services.accounts.users import create_user
from noticeboard.services.demo.data import DEMO_USERS, LAWS, OFFICES
from noticeboard.services.demo.decisions import add_demo_decisions
from noticeboard.services.demo.opinions import add_demo_opinions
from noticeboard.services.demo.triage import add_demo_campaign, triage_demo
from noticeboard.services.laws.creation import create_law
from noticeboard.services.laws.versions import add_version, mark_adopted_text
from noticeboard.services.permissions import SYSTEM


@dataclass
class DemoReport:
    loaded: bool
    # (email, role, password) of accounts created by this call; passwords are shown once.
    logins: list[tuple[str, str, str]] = field(default_factory=list)


def read_sample(path: str) -> str:
    return (resources.files("noticeboard") / "samples" / path).read_text(encoding="utf-8")


def load_demo(session: Session, hasher: PasswordHasher) -> DemoReport:
    """Load offices, laws with their versions and staff accounts, unless already there."""
    if session.scalar(select(Office).where(Office.slug == OFFICES[0].slug)) is not None:
        return DemoReport(loaded=False)

    by_slug: dict[str, Office] = {}
    for spec in OFFICES:
        office = Office(
            slug=spec.slug,
            name=spec.name,
            name_en=spec.name_en,
            tier=spec.tier,
            region=spec.region,
            parent=by_slug.get(spec.parent) if spec.parent else None,
        )
        session.add(office)
        by_slug[spec.slug] = office
    session.flush()

    now = utcnow()
    for law_spec in LAWS:
        law = create_law(
            session,
            SYSTEM,
            slug=law_spec.slug,
            title=law_spec.title,
            title_en=law_spec.title_en,
            summary=law_spec.summary,
            status=law_spec.status,
        )
        version = None
        for v in law_spec.versions:
            published = datetime.fromisoformat(v.published).replace(tzinfo=UTC)
            opens = closes = None
            if v.open_for_comment:
                # Keep the demo consultation open whenever the demo is loaded.
                published, opens, closes = (
                    now - timedelta(days=10),
                    now - timedelta(days=10),
                    now + timedelta(days=20),
                )
            version = add_version(
                session,
                SYSTEM,
                law,
                label=v.label,
                source_text=read_sample(v.sample),
                publish=True,
                published_at=published,
                comment_opens_at=opens,
                comment_closes_at=closes,
            )

        if version is not None and law_spec.status is LawStatus.ADOPTED:
            mark_adopted_text(session, SYSTEM, version)

    add_demo_opinions(session)
    add_demo_decisions(session, SYSTEM)
    add_demo_campaign(session, SYSTEM)
    triage_demo(session, SYSTEM)
    report = DemoReport(loaded=True)
    for email, role, office_slug in DEMO_USERS:
        password = secrets.token_urlsafe(12)
        create_user(
            session,
            SYSTEM,
            email=email,
            role=role,
            password=password,
            hasher=hasher,
            office_slug=office_slug,
        )
        report.logins.append((email, role, password))
    return report
