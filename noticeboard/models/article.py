"""Parsed articles of each version, and the stored comparisons between versions.

A version's articles are stored once, when it is saved, so that pages never parse or
diff on request; consecutive versions get their comparison stored at the same time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from noticeboard.diffing import ChangeKind  # the engine's own vocabulary, stored as is
from noticeboard.models.base import Base, enum_column, utcnow
from noticeboard.models.law import DraftVersion
from noticeboard.models.user import User


class VersionArticle(Base):
    __tablename__ = "article"
    __table_args__ = (
        UniqueConstraint("version_id", "position"),
        Index("ix_article_key_version", "key", "version_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("draft_version.id", ondelete="CASCADE"))
    position: Mapped[int]  # 0-based, in document order
    # Stable across versions: an article keeps its key through renumbering and edits.
    key: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(100))
    number: Mapped[str] = mapped_column(String(32))
    heading_path: Mapped[list[str]] = mapped_column(JSON, default=list)
    text: Mapped[str] = mapped_column(Text)

    version: Mapped[DraftVersion] = relationship(back_populates="articles")

    @property
    def paragraphs(self) -> list[str]:
        return self.text.split("\n")

    def __repr__(self) -> str:
        return f"<VersionArticle {self.version_id}:{self.label}>"


class VersionComparison(Base):
    __tablename__ = "version_comparison"
    __table_args__ = (UniqueConstraint("from_version_id", "to_version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    from_version_id: Mapped[int] = mapped_column(
        ForeignKey("draft_version.id", ondelete="CASCADE"), index=True
    )
    to_version_id: Mapped[int] = mapped_column(
        ForeignKey("draft_version.id", ondelete="CASCADE"), index=True
    )
    # Counts per change kind, for timelines and previews without loading the changes.
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)

    from_version: Mapped[DraftVersion] = relationship(foreign_keys=[from_version_id])
    to_version: Mapped[DraftVersion] = relationship(foreign_keys=[to_version_id])
    changes: Mapped[list[Change]] = relationship(
        back_populates="comparison", order_by="Change.ordinal", cascade="all, delete-orphan"
    )


class Change(Base):
    """One entry of a stored comparison: what became of one article (or a group)."""

    __tablename__ = "change"

    id: Mapped[int] = mapped_column(primary_key=True)
    comparison_id: Mapped[int] = mapped_column(
        ForeignKey("version_comparison.id", ondelete="CASCADE"), index=True
    )
    ordinal: Mapped[int]  # new-document order, as the engine gives it
    kind: Mapped[ChangeKind] = mapped_column(enum_column(ChangeKind))
    old_positions: Mapped[list[int]] = mapped_column(JSON, default=list)
    new_positions: Mapped[list[int]] = mapped_column(JSON, default=list)
    old_labels: Mapped[list[str]] = mapped_column(JSON, default=list)
    new_labels: Mapped[list[str]] = mapped_column(JSON, default=list)
    similarity: Mapped[float | None] = mapped_column(Float)
    diff: Mapped[list[Any] | None] = mapped_column(JSON)
    reference_only: Mapped[bool] = mapped_column(default=False)
    # Set when staff confirmed or overrode this match (a concordance correction).
    corrected: Mapped[bool] = mapped_column(default=False)

    comparison: Mapped[VersionComparison] = relationship(back_populates="changes")
    articles: Mapped[list[ChangeArticle]] = relationship(
        back_populates="change", cascade="all, delete-orphan"
    )


class ChangeArticle(Base):
    """Which stored articles a change concerns, on which side: the index behind the
    article history pages."""

    __tablename__ = "change_article"

    change_id: Mapped[int] = mapped_column(
        ForeignKey("change.id", ondelete="CASCADE"), primary_key=True
    )
    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    side: Mapped[str] = mapped_column(String(3))  # "old" or "new"

    change: Mapped[Change] = relationship(back_populates="articles")
    article: Mapped[VersionArticle] = relationship()


class AlignmentCorrection(Base):
    """Staff's word on a match between two versions; the engine honours it on every
    re-computation."""

    __tablename__ = "alignment_correction"

    id: Mapped[int] = mapped_column(primary_key=True)
    from_version_id: Mapped[int] = mapped_column(
        ForeignKey("draft_version.id", ondelete="CASCADE"), index=True
    )
    to_version_id: Mapped[int] = mapped_column(ForeignKey("draft_version.id", ondelete="CASCADE"))
    old_positions: Mapped[list[int]] = mapped_column(JSON)
    new_positions: Mapped[list[int]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped[User | None] = relationship()
