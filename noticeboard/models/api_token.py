"""Per-user API tokens for other systems that record opinions and decisions.

Only a SHA-256 of the token is stored: the token itself is shown once, when it is made.
A token acts as its owner, within the role the owner had when it was made (``scope``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from noticeboard.models.base import Base, enum_column, utcnow
from noticeboard.models.user import Role, User


class ApiToken(Base):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # hex SHA-256 of the token; the token has 256 random bits, so no salt or slow hash
    # is needed (nothing to guess), and a lookup by hash is one index probe.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the token, so its owner can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(12))
    scope: Mapped[Role] = mapped_column(enum_column(Role))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def __repr__(self) -> str:
        return f"<ApiToken {self.prefix} of {self.user_id}>"
