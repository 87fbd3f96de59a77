"""Opinions on a draft: recorded once, from any channel, each with its receipt code.

Personal data is kept apart from the opinion itself: the contributor's name (shown only
with consent) and contact (never shown; erased once the opinion is closed, or with
``notify`` once the outcome notice is delivered, see
``noticeboard.services.opinions.contributors``). The text, summary and outcome are the record.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint, false
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from noticeboard.models.article import VersionArticle
from noticeboard.models.base import Base, TimestampMixin, enum_column, utcnow
from noticeboard.models.law import DraftVersion, Law
from noticeboard.models.office import CollectionPoint, Office
from noticeboard.models.user import User


class Channel(enum.StrEnum):
    SYMPOSIUM = "symposium"
    LETTER = "letter"
    ONLINE_FORM = "online_form"
    SOCIAL_MEDIA = "social_media"
    QR_POSTER = "qr_poster"
    HEARING = "hearing"
    SCHOOL = "school"
    OTHER = "other"


class ContributorCategory(enum.StrEnum):
    CITIZEN = "citizen"
    ENTERPRISE = "enterprise"
    ORGANISATION = "organisation"
    EXPERT = "expert"
    DEPUTY = "deputy"
    STUDENT = "student"


class Outcome(enum.StrEnum):
    PENDING = "pending"
    ADOPTED = "adopted"
    PARTIALLY_ADOPTED = "partially_adopted"
    NOT_ADOPTED = "not_adopted"
    WITHDRAWN = "withdrawn"

    @property
    def is_final(self) -> bool:
        return self is not Outcome.PENDING


opinion_article = Table(
    "opinion_article",
    Base.metadata,
    Column("opinion_id", ForeignKey("opinion.id", ondelete="CASCADE"), primary_key=True),
    # No cascade from articles: a stored version's articles are never deleted under an opinion.
    Column("article_id", ForeignKey("article.id"), primary_key=True, index=True),
)


class Opinion(TimestampMixin, Base):
    __tablename__ = "opinion"
    __table_args__ = (
        Index("ix_opinion_office_received", "office_id", "received_on"),
        Index("ix_opinion_law_version", "law_id", "version_id"),
        # Counters over a million opinions (home, adoption boards, offices, statistics)
        # read these alone: index-only scans, the id included for count(opinion.id).
        Index("ix_opinion_law_outcome", "law_id", "outcome", postgresql_include=["id"]),
        Index(
            "ix_opinion_office_law_outcome",
            "office_id",
            "law_id",
            "outcome",
            postgresql_include=["id"],
        ),
        Index("ix_opinion_channel", "channel", postgresql_include=["id"]),
        # The staff list, newest first: read backwards, the first page is the first rows
        # whatever the office or law filter, instead of sorting every match.
        Index("ix_opinion_received_id", "received_on", "id"),
        # The statistics page: one grouped pass read from this index alone, in its order.
        Index("ix_opinion_stats", "law_id", "office_id", "channel", "outcome"),
        # The sender's own number: unique per law when given (NULLs never collide).
        UniqueConstraint("law_id", "reference", name="uq_opinion_law_reference"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Normalised, without dashes (see services.receipts); shown as XXXX-XXXX-XX.
    receipt_code: Mapped[str] = mapped_column(String(10), unique=True)
    # For the contributor's Atom feed: unguessable, and never the receipt code.
    feed_token: Mapped[str] = mapped_column(String(32), unique=True)

    law_id: Mapped[int] = mapped_column(ForeignKey("law.id"))
    version_id: Mapped[int] = mapped_column(ForeignKey("draft_version.id"), index=True)
    # None for online submissions that came in through no office.
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"))
    collection_point_id: Mapped[int | None] = mapped_column(
        ForeignKey("collection_point.id"), index=True
    )
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    received_on: Mapped[date]

    contributor_name: Mapped[str] = mapped_column(String(200), default="")
    contributor_category: Mapped[ContributorCategory] = mapped_column(
        enum_column(ContributorCategory), default=ContributorCategory.CITIZEN
    )
    name_public: Mapped[bool] = mapped_column(default=False, server_default=false())
    contact: Mapped[str] = mapped_column(String(300), default="")
    # Consent of its own to be told the outcome at ``contact`` (``models.notice``); with
    # it, the contact outlives the decision until its notice is delivered.
    notify: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The contributor's language, for the notice: "zh" or "en".
    language: Mapped[str] = mapped_column(String(8), default="zh", server_default="zh")
    contact_erased_at: Mapped[datetime | None]
    personal_data_erased_at: Mapped[datetime | None]

    text: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")  # staff's words, shown publicly
    # The sender's own number (a letter's registry number, a message id), or None.
    reference: Mapped[str | None] = mapped_column(String(64))

    outcome: Mapped[Outcome] = mapped_column(
        enum_column(Outcome), default=Outcome.PENDING, index=True
    )
    decided_at: Mapped[datetime | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Optimistic concurrency: the ORM counts updates here and each UPDATE names the count
    # it read, so a concurrent change fails (StaleDataError) instead of being overwritten.
    lock_version: Mapped[int] = mapped_column(server_default=sql_text("1"))

    law: Mapped[Law] = relationship()
    version: Mapped[DraftVersion] = relationship()
    office: Mapped[Office | None] = relationship()
    collection_point: Mapped[CollectionPoint | None] = relationship()
    recorded_by: Mapped[User | None] = relationship()
    articles: Mapped[list[VersionArticle]] = relationship(
        secondary=opinion_article, order_by=VersionArticle.position
    )

    __mapper_args__ = {"version_id_col": lock_version}  # noqa: RUF012 - SQLAlchemy's protocol

    @validates("outcome")
    def _erase_contact_once_closed(self, _key: str, outcome: Outcome) -> Outcome:
        # The contact rule lives with the data, so no decision path can forget it:
        # a contact is kept only while the opinion is open, unless the contributor asked
        # to be told the outcome there (then the notice's delivery erases it).
        if Outcome(outcome).is_final and self.contact and not self.notify:
            self.contact = ""
            self.contact_erased_at = utcnow()
        return outcome

    @property
    def has_personal_data(self) -> bool:
        return bool(self.contributor_name or self.contact)

    def __repr__(self) -> str:
        return f"<Opinion {self.receipt_code}>"
