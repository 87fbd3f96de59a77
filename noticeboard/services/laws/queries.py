"""Reading laws and versions for the staff screens, each with what its page shows loaded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from noticeboard.models import DraftVersion, Law, VersionComparison
from noticeboard.services.errors import NotFound
from noticeboard.services.laws.comparisons import previous_version, rows_of
from noticeboard.services.laws.pairs import comparison_to_read
from noticeboard.services.loading import ensure_loaded
from noticeboard.services.permissions import Actor, Permission, require


def laws_with_versions(session: Session, actor: Actor) -> Sequence[Law]:
    """Every law, most recently changed first, with its versions (the list counts them)."""
    require(actor, Permission.MANAGE_VERSIONS)
    return session.scalars(
        select(Law).options(selectinload(Law.versions)).order_by(Law.updated_at.desc())
    ).all()


def get_version(session: Session, slug: str, sequence: int) -> DraftVersion:
    """A version of the law at ``slug``, by its number, with its law."""
    version = session.scalar(
        select(DraftVersion)
        .join(DraftVersion.law)
        .where(Law.slug == slug, DraftVersion.sequence == sequence)
        .options(joinedload(DraftVersion.law))
    )
    if version is None:
        raise NotFound("No such version of this law.")
    return version


@dataclass(frozen=True)
class AlignmentPair:
    """A version and the one before it, as the concordance table shows them."""

    old: DraftVersion  # with its articles
    new: DraftVersion  # with its law and articles
    comparison: VersionComparison  # with its changes


def alignment_pair(session: Session, slug: str, sequence: int) -> AlignmentPair:
    try:
        new = get_version(session, slug, sequence)
    except NotFound:
        raise NotFound("No earlier version to align this one with.") from None
    old = previous_version(session, new)
    if old is None:
        raise NotFound("No earlier version to align this one with.")
    for version in (old, new):  # the correction form lists their articles
        rows_of(session, version)
    stored = comparison_to_read(session, old, new)  # stored with the version; never written here
    ensure_loaded(session, stored, "changes")
    return AlignmentPair(old=old, new=new, comparison=stored)
