"""Background jobs: one row per piece of long work, the state every web instance shows.

The queue (Huey, on SQLite or Redis) only carries a job's id to a worker; what the job
is, where it stands and how it ended live here, in the database, so any instance can
answer a progress request and a job survives the queue losing its message.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from noticeboard.models.base import Base, enum_column, utcnow
from noticeboard.models.user import User


class JobKind(enum.StrEnum):
    IMPORT = "import"  # a spreadsheet of opinions, all rows or none
    MATCHING = "matching"  # opinions matched to the changes that answer them
    NOTICES = "notices"  # outcome notices sent to contributors who asked for them
    EXPORT = "export"  # the open-data files written again
    RECOMPUTE = "recompute"  # a law's stored comparisons computed again


class JobState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"  # the work ended on a problem it reports (bad rows, a lost law)
    INTERRUPTED = "interrupted"  # its worker stopped mid-way; nothing of it was saved

    @property
    def finished(self) -> bool:
        return self in (JobState.DONE, JobState.FAILED, JobState.INTERRUPTED)


class Job(Base):
    __tablename__ = "job"
    __table_args__ = (Index("ix_job_state_created", "state", "created_at"),)

    # Random and unguessable: it is the address of the job's page.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[JobKind] = mapped_column(enum_column(JobKind))
    state: Mapped[JobState] = mapped_column(enum_column(JobState), default=JobState.QUEUED)
    # Who started it; none for the console and for work the system queues itself.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    # What to do: for an import {"filename", "law_slug", "dry_run"}; a law's slug for others.
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Progress: ``processed`` of ``total`` (an estimate until known), and what it is doing.
    total: Mapped[int | None]
    processed: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(String(500), default="")
    # How it ended: counts for the page ({"created": 114395}), and the problems found,
    # each {"row", "column", "template", "params"}, the first few hundred of error_count.
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    errors: Mapped[list[Any]] = mapped_column(JSON, default=list)
    error_count: Mapped[int] = mapped_column(default=0)
    # Each claim by a worker counts one; the worker is "host:pid" of the last claim.
    attempts: Mapped[int] = mapped_column(default=0)
    worker: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    user: Mapped[User | None] = relationship()

    @property
    def progress(self) -> float:
        """0.0 to 1.0; 1.0 once finished, however it ended."""
        if self.state.finished:
            return 1.0
        if not self.total:
            return 0.0
        return min(0.99, self.processed / self.total)


class JobPayload(Base):
    """The file a job works on (an uploaded spreadsheet), kept in the database so that
    any worker on any machine can read it, and so that a retry reads the same bytes."""

    __tablename__ = "job_payload"

    job_id: Mapped[str] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
