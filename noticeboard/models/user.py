"""Staff accounts."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from noticeboard.models.base import Base, TimestampMixin, enum_column
from noticeboard.models.office import Office


class Role(enum.StrEnum):
    ADMIN = "admin"  # users, offices, laws
    COMMISSION = "commission"  # versions, decisions and links on every law
    OFFICE = "office"  # opinions of its own office and the offices below it


class User(TimestampMixin, Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None]
    # Part of every session's id: changing it signs the account out everywhere.
    session_token: Mapped[str] = mapped_column(
        String(32), default=lambda: secrets.token_hex(16), server_default=""
    )

    office: Mapped[Office | None] = relationship()

    # Flask-Login protocol, kept here so the web layer needs no adapter class.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
