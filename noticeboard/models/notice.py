"""Outcome notices: the outbox of messages telling a contributor what became of their
opinion, one row per final decision on an opinion whose contributor asked for it.

A row holds no copy of the contact: the sender reads it from the opinion when it sends,
and the opinion's contact is erased once the notice is delivered or has failed for good
(``services.notices.retention``). Rows never reach open data or the exports.

States, each move a compare-and-set on the row:

- ``pending``: waiting to be sent, at ``next_attempt_at`` or later;
- ``claimed``: a run of the notices job (``claimed_by``, ``claim_attempt``) took it and
  is talking to the server; a run that died leaves it to go back to ``pending``;
- ``sending``: committed just before the message's final dot goes to the SMTP server, so
  a run that died here counts as delivered: sending again could give the server a second
  message with this ``Message-ID``, and the window is one write to a socket;
- ``sent``, ``failed`` (for good: refused by the server, out of attempts, or the contact
  kept no longer), ``cancelled`` (unsubscribed, decision undone or superseded).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from noticeboard.models.base import Base, enum_column, utcnow
from noticeboard.models.decision import Decision
from noticeboard.models.opinion import Opinion


class NoticeChannel(enum.StrEnum):
    EMAIL = "email"
    SMS = "sms"


class NoticeState(enum.StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def open(self) -> bool:
        """Still owed to the contributor: the contact must be kept for it."""
        return self in (NoticeState.PENDING, NoticeState.CLAIMED, NoticeState.SENDING)


class Notice(Base):
    __tablename__ = "notice"
    __table_args__ = (
        # The sender's one query: what is due now, oldest first.
        Index("ix_notice_state_due", "state", "next_attempt_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opinion_id: Mapped[int] = mapped_column(
        ForeignKey("opinion.id", ondelete="CASCADE"), index=True
    )
    decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("decision.id", ondelete="SET NULL"), index=True
    )
    channel: Mapped[NoticeChannel] = mapped_column(enum_column(NoticeChannel))
    language: Mapped[str] = mapped_column(String(8))
    state: Mapped[NoticeState] = mapped_column(
        enum_column(NoticeState), default=NoticeState.PENDING
    )
    # The local part of the Message-ID (``<token@domain>``), random so that nothing can be
    # read from it; fixed when the row is written, so every attempt sends the same id.
    message_token: Mapped[str] = mapped_column(String(32), unique=True)
    # The one-click unsubscribe link's secret: neither the receipt code nor the feed token.
    unsubscribe_token: Mapped[str] = mapped_column(String(43), unique=True)
    # The Message-ID as first sent (its domain comes from the sender address then).
    message_id: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    claim_attempt: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    # When it failed for good or was cancelled.
    closed_at: Mapped[datetime | None]

    opinion: Mapped[Opinion] = relationship()
    decision: Mapped[Decision | None] = relationship()

    def __repr__(self) -> str:
        return f"<Notice {self.id} {self.state.value}>"
