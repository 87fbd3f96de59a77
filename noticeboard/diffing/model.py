"""The values the diff engine produces: parsed drafts, article changes and comparisons.

Everything here is a frozen dataclass so that a parsed draft or a comparison can be cached,
shared between requests and compared for equality without defensive copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class ChangeKind(StrEnum):
    """How one article (or a group of them) fared between two versions."""

    UNCHANGED = "unchanged"
    RENUMBERED = "renumbered"
    MODIFIED = "modified"
    MOVED = "moved"
    ADDED = "added"
    DELETED = "deleted"
    SPLIT = "split"
    MERGED = "merged"


@dataclass(frozen=True, slots=True)
class Article:
    """One article of a draft.

    `label` is the heading as written (`第十二条之一`, `Article 12`); `number` is a normalised
    key in Arabic digits (`12-1`, `12`, `31A`) that survives the choice of numeral style.
    """

    label: str
    number: str
    heading_path: tuple[str, ...]
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """Something odd the parser worked around; `line` is 1-based in the submitted text."""

    line: int
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class ParsedDraft:
    preamble: str
    articles: tuple[Article, ...]
    warnings: tuple[ParseWarning, ...] = ()

    def chapters(self) -> tuple[tuple[str, ...], ...]:
        """Distinct heading paths in document order, for tables of contents."""
        seen: dict[tuple[str, ...], None] = {}
        for article in self.articles:
            seen.setdefault(article.heading_path, None)
        return tuple(seen)


DiffOps = tuple[tuple[int, str], ...]


@dataclass(frozen=True, slots=True)
class ArticleChange:
    """One entry of a comparison.

    `old` and `new` are positions in `ParsedDraft.articles` (the web app stores articles by
    position); the labels are carried along for people and for the JSON form.
    """

    kind: ChangeKind
    old: tuple[int, ...]
    new: tuple[int, ...]
    old_labels: tuple[str, ...]
    new_labels: tuple[str, ...]
    similarity: float | None
    diff: DiffOps | None = None
    reference_only: bool = False

    def to_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "kind": self.kind.value,
            "old": list(self.old_labels),
            "new": list(self.new_labels),
            "similarity": _rounded_similarity(self.kind, self.similarity),
        }
        if self.diff is not None:
            entry["diff"] = [[op, text] for op, text in self.diff]
        if self.reference_only:
            entry["reference_only"] = True
        return entry


def _rounded_similarity(kind: ChangeKind, similarity: float | None) -> float | None:
    if similarity is None:
        return None
    rounded = round(similarity, 3)
    # A one-character edit in a long article rounds to 1.0, which would read as "identical".
    if rounded >= 1.0 and similarity < 1.0:
        return 0.999
    if kind in (ChangeKind.UNCHANGED, ChangeKind.RENUMBERED):
        return 1.0
    return rounded


@dataclass(frozen=True, slots=True)
class Comparison:
    old: ParsedDraft
    new: ParsedDraft
    changes: tuple[ArticleChange, ...]

    def counts(self) -> dict[str, int]:
        """Number of changes of each kind, every kind listed, in a fixed order."""
        totals = dict.fromkeys((kind.value for kind in ChangeKind), 0)
        for change in self.changes:
            totals[change.kind.value] += 1
        return totals

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape fixed in INTERFACES.md."""
        return {
            "old": {"articles": len(self.old.articles)},
            "new": {"articles": len(self.new.articles)},
            "changes": [change.to_dict() for change in self.changes],
        }
