"""Which comparisons are stored, by whom, and reading any pair without writing.

Every comparison a page reads routinely is stored by the write that makes it needed,
never by the page (a GET never writes):

- consecutive versions by sequence (the staff timeline, the concordance): when a version
  is added or its draft replaced (``comparisons.refresh_consecutive``);
- consecutive *public* versions (the public timeline, article histories, the API and the
  open data): when a version is published or withdrawn (``store_public_pairs``), since a
  draft or a withdrawn version in between makes two public versions neighbours.

Any other pair (version 1 against version 3) is computed for the reader that asks and
not stored (``comparison_to_read``): the same changes, without ids, so without permalinks.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from noticeboard.models import Change, ChangeArticle, DraftVersion, VersionArticle
from noticeboard.models import VersionComparison as Stored
from noticeboard.services.errors import ValidationFailed
from noticeboard.services.laws.comparisons import (
    build_comparison,
    comparison_between,
    compute,
    stored_between,
)
from noticeboard.services.public.visibility import is_public_version


def store_public_pairs(session: Session, law_id: int) -> None:
    """Store the comparison of each pair of consecutive public versions of the law that
    is not stored yet. The publish and withdraw services call it; the caller commits."""
    public = session.scalars(
        select(DraftVersion)
        .where(DraftVersion.law_id == law_id, is_public_version())
        .order_by(DraftVersion.sequence)
    ).all()
    for old, new in pairwise(public):
        comparison_between(session, old, new)


def comparison_to_read(session: Session, old: DraftVersion, new: DraftVersion) -> Stored:
    """The stored comparison of two versions of a law or, for a pair nobody stored, the
    same comparison computed now and left out of the session (nothing is written)."""
    if old.law_id != new.law_id or old.sequence >= new.sequence:
        raise ValidationFailed("Compare an earlier version with a later one of the same law.")
    stored = stored_between(session, old, new)
    if stored is not None:
        return stored
    return build_comparison(session, old, new, compute(session, old, new))


def is_stored(comparison: Stored) -> bool:
    """False for a comparison ``comparison_to_read`` computed without storing."""
    return bool(inspect(comparison).persistent)


def changes_to_read(session: Session, comparison: Stored) -> Sequence[Change]:
    """The comparison's changes in document order."""
    if not is_stored(comparison):
        return comparison.changes
    return session.scalars(
        select(Change).where(Change.comparison_id == comparison.id).order_by(Change.ordinal)
    ).all()


def change_touching(
    session: Session, comparison: Stored, article: VersionArticle, side: str
) -> Change | None:
    """The change of ``comparison`` that concerns ``article`` on ``side`` ("old" or "new")."""
    if not is_stored(comparison):
        return next(
            (
                change
                for change in comparison.changes
                if article.position
                in (change.old_positions if side == "old" else change.new_positions)
            ),
            None,
        )
    return session.scalar(
        select(Change)
        .join(ChangeArticle, ChangeArticle.change_id == Change.id)
        .where(
            Change.comparison_id == comparison.id,
            ChangeArticle.article_id == article.id,
            ChangeArticle.side == side,
        )
    )
