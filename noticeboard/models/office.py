"""Outreach offices in three tiers, and the collection points under them."""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, String, UniqueConstraint, true
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
    # A closed office keeps its record and its opinions; it takes no new ones.
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())

    parent: Mapped[Office | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Office]] = relationship(back_populates="parent")
    collection_points: Mapped[list[CollectionPoint]] = relationship(
        back_populates="office", order_by="CollectionPoint.name"
    )

    def __repr__(self) -> str:
        return f"<Office {self.slug}>"


class CollectionPoint(TimestampMixin, Base):
    """A unit below an office where opinions are gathered: a community centre, a
    teahouse, a school, a village drum tower. Opinions may name the point they came in at."""

    __tablename__ = "collection_point"
    __table_args__ = (UniqueConstraint("office_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    slug: Mapped[str] = mapped_column(String(64))  # unique within its office
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    is_active: Mapped[bool] = mapped_column(default=True)

    office: Mapped[Office] = relationship(back_populates="collection_points")

    def __repr__(self) -> str:
        return f"<CollectionPoint {self.office_id}:{self.slug}>"
