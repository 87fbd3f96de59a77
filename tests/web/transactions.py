"""Helpers for checking what a request wrote: its commits, and the comparison rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from noticeboard.extensions import db
from noticeboard.models import Change, ChangeArticle, VersionComparison


@contextmanager
def commits_counted() -> Iterator[list[str]]:
    """Each commit of the app's request session while the block runs (the tests' own
    ``db_session`` is a plain Session and is not counted)."""
    seen: list[str] = []

    def note(_session: Session) -> None:
        seen.append("commit")

    event.listen(db.session, "after_commit", note)
    try:
        yield seen
    finally:
        event.remove(db.session, "after_commit", note)


def comparison_rows(session: Session) -> tuple[int, int, int]:
    """How many stored comparisons, changes and change-article links there are."""
    session.expire_all()
    return tuple(  # type: ignore[return-value]
        session.scalar(select(func.count()).select_from(table)) or 0
        for table in (VersionComparison, Change, ChangeArticle)
    )
