"""Laws and their successive draft versions."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from noticeboard.models.base import Base, TimestampMixin, enum_column

if TYPE_CHECKING:
    from noticeboard.models.article import VersionArticle


class LawStatus(enum.StrEnum):
    DRAFTING = "drafting"
    CONSULTATION = "consultation"
    ADOPTED = "adopted"


class VersionStatus(enum.StrEnum):
    DRAFT = "draft"  # staff only, can be replaced
    PUBLISHED = "published"  # public and immutable
    WITHDRAWN = "withdrawn"  # hidden from the public, kept for the record


class Law(TimestampMixin, Base):
    __tablename__ = "law"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[LawStatus] = mapped_column(enum_column(LawStatus), default=LawStatus.DRAFTING)

    versions: Mapped[list[DraftVersion]] = relationship(
        back_populates="law", order_by="DraftVersion.sequence", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Law {self.slug}>"


class DraftVersion(TimestampMixin, Base):
    __tablename__ = "draft_version"
    __table_args__ = (UniqueConstraint("law_id", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    law_id: Mapped[int] = mapped_column(ForeignKey("law.id", ondelete="CASCADE"), index=True)
    sequence: Mapped[int]
    label: Mapped[str] = mapped_column(String(200))
    status: Mapped[VersionStatus] = mapped_column(
        enum_column(VersionStatus), default=VersionStatus.DRAFT
    )
    is_adopted_text: Mapped[bool] = mapped_column(default=False)
    published_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    withdrawal_reason: Mapped[str] = mapped_column(Text, default="")
    comment_opens_at: Mapped[datetime | None]
    comment_closes_at: Mapped[datetime | None]
    source_text: Mapped[str] = mapped_column(Text)
    preamble: Mapped[str] = mapped_column(Text, default="")
    article_count: Mapped[int] = mapped_column(default=0)
    # Parser warnings as [line, code, message] lists, shown to staff before publishing.
    parse_warnings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # sha256 of the source text: spots a re-upload of the same draft.
    content_hash: Mapped[str] = mapped_column(String(64))

    law: Mapped[Law] = relationship(back_populates="versions")
    articles: Mapped[list[VersionArticle]] = relationship(
        back_populates="version", order_by="VersionArticle.position", cascade="all, delete-orphan"
    )

    @property
    def is_public(self) -> bool:
        return self.status is VersionStatus.PUBLISHED

    def __repr__(self) -> str:
        return f"<DraftVersion {self.law_id}#{self.sequence}>"
