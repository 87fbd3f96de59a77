"""What the Atom feeds list: adopted suggestions (site-wide, for one law, for one office
and those below it) and newly published versions. Read models only; the web layer
writes the XML."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import DraftVersion, Law, Office
from noticeboard.services.accounts.scope import subtree_ids
from noticeboard.services.errors import NotFound
from noticeboard.services.open_data.texts import public_law
from noticeboard.services.public.adoptions import AdoptedItem, adopted_items
from noticeboard.services.public.visibility import is_public_version

FEED_ITEMS = 50


@dataclass(frozen=True)
class PublishedVersion:
    law: Law
    version: DraftVersion

    @property
    def moment(self) -> datetime:
        return self.version.published_at or self.version.created_at


def adopted_feed(
    session: Session, *, law_slug: str | None = None, office_slug: str | None = None
) -> tuple[Law | Office | None, list[AdoptedItem]]:
    """The newest adopted suggestions, with the law or office the feed is about."""
    if law_slug is not None:
        law = public_law(session, law_slug)
        return law, adopted_items(session, law_id=law.id, limit=FEED_ITEMS)
    if office_slug is not None:
        office = session.scalar(select(Office).where(Office.slug == office_slug))
        if office is None:
            raise NotFound("No office with the slug %(slug)s.", slug=office_slug)
        ids = subtree_ids(session, office.id)
        return office, adopted_items(session, office_ids=ids, limit=FEED_ITEMS)
    return None, adopted_items(session, limit=FEED_ITEMS)


def published_versions(session: Session, *, law_slug: str | None = None) -> list[PublishedVersion]:
    """The newest published versions, newest first."""
    query = (
        select(DraftVersion, Law)
        .join(Law, Law.id == DraftVersion.law_id)
        .where(is_public_version())
        .order_by(DraftVersion.published_at.desc(), DraftVersion.id.desc())
        .limit(FEED_ITEMS)
    )
    if law_slug is not None:
        query = query.where(DraftVersion.law_id == public_law(session, law_slug).id)
    return [PublishedVersion(law=law, version=version) for version, law in session.execute(query)]
