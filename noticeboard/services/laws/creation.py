"""Laws: creation and their public description."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from noticeboard.models import Law, LawStatus
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
        raise Conflict("A law with the slug %(slug)s exists already.", slug=slug)
    law = Law(slug=slug, title=title.strip(), title_en=title_en, summary=summary, status=status)
    session.add(law)
    session.flush()
    record_event(session, actor, "law.create", "law", law.id, slug=slug)
    return law
