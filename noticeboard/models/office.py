"""Outreach offices in three tiers, and the collection points under them."""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from noticeboard.models.base import Base, TimestampMixin, enum_column


class OfficeTier(enum.StrEnum):
    NATIONAL = "national"
    PROVINCIAL = "provincial"
    PREFECTURE = "prefecture"


class Office(TimestampMixin, Base):
    __tablename__ = "office"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    tier: Mapped[OfficeTier] = mapped_column(enum_column(OfficeTier))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"), index=True)
    region: Mapped[str] = mapped_column(String(200), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")

    parent: Mapped[Office | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Office]] = relationship(back_populates="parent")

    def __repr__(self) -> str:
        return f"<Office {self.slug}>"
