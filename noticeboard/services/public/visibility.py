"""What the public may see: which versions, which opinions, and whose names.

Every public read (the law and compare pages, boards and kiosks, the feeds, the receipt
lookup, the API and the open-data files) takes its rules from here, so that a change to
one of them is made once and reaches every reader:

- **Versions**: a version is public while it is published. A draft is staff's work in
  progress and can still be replaced; a withdrawn version was a mistake, hidden but kept
  for the record. Neither is ever shown, nor anything that exists only inside one.
- **Opinions** (the open-data list): an opinion is public when the version it was made
  on is public, so withdrawing a version withdraws its opinions from the open data too.
- **Changes**: a change in the text is public only when both versions of its comparison
  are public (``is_public_version`` on each side).
- **Names**: a contributor's name is shown only with their consent (``name_public``) and
  never once their personal data was erased; otherwise they are anonymous, shown by
  category and office. The contact and the opinion's own text are never public.

The rules are SQL expressions for WHERE clauses, so every read stays one indexed query
at a million opinions; the Python predicates are for rows a reader already holds.
Staff-side lifecycle checks (only a draft may be replaced, only a published version
withdrawn, opinions recorded on published versions only) are not visibility rules and
stay with the services that enforce them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, func, select

from noticeboard.models import DraftVersion, Opinion, VersionStatus

# The one status the public may see. Kept private: readers use the functions below.
_PUBLIC_STATUS = VersionStatus.PUBLISHED


def is_public_version(version: type[DraftVersion] = DraftVersion) -> ColumnElement[bool]:
    """WHERE condition: the version row is public (published; never a draft or a withdrawn
    version). Pass an ``aliased(DraftVersion)`` when a query joins two versions, as a
    comparison does; each side must be public for its changes to be."""
    return version.status == _PUBLIC_STATUS


def shown_to_public(version: DraftVersion) -> bool:
    """``is_public_version`` for a version already loaded."""
    return version.status is _PUBLIC_STATUS


def public_version_ids() -> Select[int]:
    """The ids of every public version, for ``column.in_(...)``: an IN over a subquery,
    which PostgreSQL turns into a semi-join."""
    return select(DraftVersion.id).where(is_public_version())


def latest_public_sequences() -> Subquery:
    """One row per law with a public version: ``law_id`` and the ``sequence`` of its newest
    public version. Join it back to ``DraftVersion`` on both columns for the rows."""
    return (
        select(DraftVersion.law_id, func.max(DraftVersion.sequence).label("sequence"))
        .where(is_public_version())
        .group_by(DraftVersion.law_id)
        .subquery()
    )


def is_public_opinion() -> ColumnElement[bool]:
    """WHERE condition on ``Opinion``: the opinion was made on a public version. Which of
    its columns a reader may load is a separate matter (never ``text`` or ``contact``);
    the name goes through ``public_contributor_name``."""
    return Opinion.version_id.in_(public_version_ids())


# What ``public_contributor_name`` reads: a public read's ``load_only`` lists include these,
# so the rule never lazy-loads a column (or reads one the list forgot).
NAME_CONSENT_COLUMNS = (
    Opinion.contributor_name,
    Opinion.name_public,
    Opinion.personal_data_erased_at,
)


def public_contributor_name(opinion: Opinion) -> str | None:
    """The contributor's name as the public may read it, or None for an anonymous one.

    Shown only when the contributor consented (``name_public``) and their personal data
    was not erased: withdrawing consent switches ``name_public`` off, and erasure clears
    the name and stamps ``personal_data_erased_at`` (the stamp alone suffices, should
    a name ever be left behind). Runs of whitespace are collapsed, and a blank name is
    anonymous."""
    if not opinion.name_public or opinion.personal_data_erased_at is not None:
        return None
    return " ".join(opinion.contributor_name.split()) or None


def iso(moment: datetime | None) -> str | None:
    """A timestamp as the API and the open-data files print it: ISO 8601, UTC as ``Z``."""
    return moment.isoformat().replace("+00:00", "Z") if moment is not None else None


def public_version_dict(version: DraftVersion) -> dict[str, Any]:
    """A public version as the API and the open-data files describe it: its own columns,
    without its text or articles. Staff-only columns (the withdrawal, the source text,
    the parser's warnings) are never part of it."""
    return {
        "sequence": version.sequence,
        "label": version.label,
        "published_at": iso(version.published_at),
        "is_adopted_text": version.is_adopted_text,
        "comment_opens_at": iso(version.comment_opens_at),
        "comment_closes_at": iso(version.comment_closes_at),
        "articles": version.article_count,
    }
