"""Opinions sent by citizens through the public form while a consultation is open."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import (
    Channel,
    ContributorCategory,
    DraftVersion,
    Law,
    Office,
    Opinion,
    VersionArticle,
    utcnow,
)
from noticeboard.services.errors import NotFound, ValidationFailed
from noticeboard.services.opinions.recording import OpinionInput, record_opinion, today_in
from noticeboard.services.permissions import PUBLIC
from noticeboard.services.public.visibility import is_public_version, shown_to_public

MAX_PUBLIC_TEXT = 5000


@dataclass(frozen=True)
class CommentWindow:
    opens_at: datetime | None
    closes_at: datetime | None
    now: datetime

    @property
    def is_open(self) -> bool:
        if self.opens_at is None or self.closes_at is None:
            return False
        return self.opens_at <= self.now <= self.closes_at

    @property
    def not_yet(self) -> bool:
        return self.opens_at is not None and self.now < self.opens_at


def comment_window(version: DraftVersion, now: datetime | None = None) -> CommentWindow:
    return CommentWindow(version.comment_opens_at, version.comment_closes_at, now or utcnow())


@dataclass
class PublicOpinion:
    text: str
    category: ContributorCategory = ContributorCategory.CITIZEN
    name: str = ""
    name_public: bool = False
    contact: str = ""
    # Consent of its own to be told the outcome at ``contact``; never on by default.
    notify: bool = False
    language: str = "zh"  # the page's, for that message: "zh" or "en"
    office_slug: str = ""
    article_keys: Sequence[str] = ()


def open_draft(session: Session, slug: str) -> tuple[Law, DraftVersion]:
    """The law at ``slug`` and its latest public version, the one the form comments on."""
    row = session.execute(
        select(Law, DraftVersion)
        .join(DraftVersion, DraftVersion.law_id == Law.id)
        .where(Law.slug == slug, is_public_version())
        .order_by(DraftVersion.sequence.desc())
        .limit(1)
    ).first()
    if row is None:
        raise NotFound("No law at this address.")
    return row[0], row[1]


def article_by_key(session: Session, version: DraftVersion, key: str) -> VersionArticle | None:
    """The article the form was opened from (``?article=<key>``), if it is in the version."""
    if not key:
        return None
    return session.scalar(
        select(VersionArticle).where(
            VersionArticle.version_id == version.id, VersionArticle.key == key
        )
    )


def office_choices(session: Session) -> Sequence[Office]:
    """The offices a citizen may name as theirs: every active one."""
    return session.scalars(
        select(Office).where(Office.is_active.is_(True)).order_by(Office.tier, Office.name)
    ).all()


def submit_online_opinion(
    session: Session, version: DraftVersion, data: PublicOpinion, *, now: datetime | None = None
) -> Opinion:
    """Store a citizen's opinion, if the version is open for comment now."""
    if not shown_to_public(version) or not comment_window(version, now).is_open:
        raise ValidationFailed("This draft is not open for comment now.")
    if len(data.text.strip()) > MAX_PUBLIC_TEXT:
        raise ValidationFailed(
            "The text is too long (at most %(n)d characters).", n=MAX_PUBLIC_TEXT
        )
    office = None
    if data.office_slug:
        office = session.scalar(
            select(Office).where(Office.slug == data.office_slug, Office.is_active.is_(True))
        )
        if office is None:
            raise ValidationFailed("Choose an office from the list, or none.")
    articles: list[VersionArticle] = []
    if data.article_keys:
        articles = list(
            session.scalars(
                select(VersionArticle).where(
                    VersionArticle.version_id == version.id,
                    VersionArticle.key.in_(list(data.article_keys)),
                )
            )
        )
    return record_opinion(
        session,
        PUBLIC,
        OpinionInput(
            version=version,
            text=data.text,
            channel=Channel.ONLINE_FORM,
            received_on=today_in(office.timezone if office else "Asia/Shanghai"),
            articles=articles,
            office=office,
            contributor_name=data.name,
            contributor_category=ContributorCategory(data.category),
            name_public=data.name_public and bool(data.name.strip()),
            contact=data.contact,
            notify=data.notify,
            language=data.language,
        ),
    )
