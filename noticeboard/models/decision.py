"""The commission's work: which opinions each change answers, and every decision made
on an opinion with its public reason."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from noticeboard.models.article import Change
from noticeboard.models.base import Base, enum_column, utcnow
from noticeboard.models.opinion import Opinion, Outcome
from noticeboard.models.user import User


class LinkDegree(enum.StrEnum):
    FULL = "full"  # the change does what the opinion asked
    PARTIAL = "partial"  # the change goes part of the way


class ReasonCode(enum.StrEnum):
    """Why an opinion was not (or only partly) adopted: the reason the citizen reads."""

    ALREADY_COVERED = "already_covered"  # already covered by existing law
    OUT_OF_SCOPE = "out_of_scope"  # outside this law's scope
    CONFLICTS_HIGHER_LAW = "conflicts_higher_law"  # conflicts with a higher law
    LEFT_TO_REGULATIONS = "left_to_regulations"  # better settled in regulations
    NOT_FEASIBLE = "not_feasible"  # not feasible at present
    OTHER_OPINIONS_PREVAILED = "other_opinions_prevailed"  # weighed against other opinions
    NO_CHANGE_NEEDED = "no_change_needed"  # the draft already does what was asked
    OTHER = "other"


class ChangeLink(Base):
    """This change was made, wholly or partly, because this opinion asked for it."""

    __tablename__ = "change_link"
    __table_args__ = (UniqueConstraint("change_id", "opinion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    change_id: Mapped[int] = mapped_column(ForeignKey("change.id", ondelete="CASCADE"), index=True)
    opinion_id: Mapped[int] = mapped_column(
        ForeignKey("opinion.id", ondelete="CASCADE"), index=True
    )
    degree: Mapped[LinkDegree] = mapped_column(enum_column(LinkDegree), default=LinkDegree.FULL)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    change: Mapped[Change] = relationship()
    opinion: Mapped[Opinion] = relationship()
    created_by: Mapped[User | None] = relationship()


class Decision(Base):
    """One decision on an opinion. The latest one is the opinion's outcome (kept on
    Opinion.outcome for queries); the earlier ones are its history."""

    __tablename__ = "decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    opinion_id: Mapped[int] = mapped_column(
        ForeignKey("opinion.id", ondelete="CASCADE"), index=True
    )
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome))
    reason_code: Mapped[ReasonCode | None] = mapped_column(enum_column(ReasonCode))
    public_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    opinion: Mapped[Opinion] = relationship()
    decided_by: Mapped[User | None] = relationship()


class EditorialMark(Base):
    """A change with no public origin (drafting, consistency, a higher law's wording)."""

    __tablename__ = "editorial_mark"

    change_id: Mapped[int] = mapped_column(
        ForeignKey("change.id", ondelete="CASCADE"), primary_key=True
    )
    note: Mapped[str] = mapped_column(String(500), default="")
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    marked_at: Mapped[datetime] = mapped_column(default=utcnow)
