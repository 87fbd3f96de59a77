"""Laws and their draft versions."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from noticeboard.models import DraftVersion, Law, LawStatus, VersionStatus, utcnow
from noticeboard.services.audit import record_event
from noticeboard.services.errors import Conflict, ValidationFailed
from noticeboard.services.permissions import Actor, Permission, require

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def create_law(
    session: Session,
    actor: Actor,
    *,
    slug: str,
    title: str,
    title_en: str | None = None,
    summary: str = "",
    status: LawStatus = LawStatus.DRAFTING,
) -> Law:
    require(actor, Permission.MANAGE_LAWS)
    slug = slug.strip().lower()
    if not _SLUG.match(slug) or len(slug) > 100:
        raise ValidationFailed("The slug takes lower-case letters, digits and dashes.")
    if not title.strip():
        raise ValidationFailed("A law needs a title.")
    if session.scalar(select(func.count()).where(Law.slug == slug)):
        raise Conflict(f"A law with the slug {slug!r} exists already.")
    law = Law(slug=slug, title=title.strip(), title_en=title_en, summary=summary, status=status)
    session.add(law)
    session.flush()
    record_event(session, actor, "law.create", "law", law.id, slug=slug)
    return law


def add_version(
    session: Session,
    actor: Actor,
    law: Law,
    *,
    label: str,
    source_text: str,
    publish: bool = False,
    published_at: datetime | None = None,
    comment_opens_at: datetime | None = None,
    comment_closes_at: datetime | None = None,
) -> DraftVersion:
    require(actor, Permission.MANAGE_VERSIONS)
    if not source_text.strip():
        raise ValidationFailed("The draft text is empty.")
    if comment_opens_at and comment_closes_at and comment_closes_at <= comment_opens_at:
        raise ValidationFailed("The comment window must close after it opens.")
    last = session.scalar(
        select(func.max(DraftVersion.sequence)).where(DraftVersion.law_id == law.id)
    )
    version = DraftVersion(
        law=law,
        sequence=(last or 0) + 1,
        label=label.strip() or f"Version {(last or 0) + 1}",
        source_text=source_text,
        content_hash=hashlib.sha256(source_text.encode()).hexdigest(),
        status=VersionStatus.PUBLISHED if publish else VersionStatus.DRAFT,
        published_at=(published_at or utcnow()) if publish else None,
        comment_opens_at=comment_opens_at,
        comment_closes_at=comment_closes_at,
    )
    session.add(version)
    session.flush()
    record_event(
        session,
        actor,
        "version.add",
        "draft_version",
        version.id,
        law=law.slug,
        sequence=version.sequence,
        status=version.status.value,
    )
    return version
