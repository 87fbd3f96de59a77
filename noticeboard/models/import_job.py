"""Bulk imports of opinions run in the background; this row is what the page polls.

The row lives in the database, not in one process's memory, so any worker can answer
the progress request.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from noticeboard.models.base import Base, enum_column, utcnow
from noticeboard.models.user import User


class ImportStatus(enum.StrEnum):
    QUEUED = "queued"
    CHECKING = "checking"  # reading and validating every row
    SAVING = "saving"  # all rows valid; writing them in one transaction
    DONE = "done"
    FAILED = "failed"  # rows with errors (or an unreadable file): nothing was saved

    @property
    def finished(self) -> bool:
        return self in (ImportStatus.DONE, ImportStatus.FAILED)


class ImportJob(Base):
    __tablename__ = "import_job"

    # Random and unguessable: the address of the progress page.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    law_slug: Mapped[str | None] = mapped_column(String(100))
    dry_run: Mapped[bool] = mapped_column(default=False)
    status: Mapped[ImportStatus] = mapped_column(
        enum_column(ImportStatus), default=ImportStatus.QUEUED
    )
    total_rows: Mapped[int | None]  # an estimate until the file is read
    processed_rows: Mapped[int] = mapped_column(default=0)
    created_count: Mapped[int] = mapped_column(default=0)
    error_count: Mapped[int] = mapped_column(default=0)
    # [[row, column, message], ...], the first few hundred; the count says how many in all.
    errors: Mapped[list[Any]] = mapped_column(JSON, default=list)
    message: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    user: Mapped[User | None] = relationship()
