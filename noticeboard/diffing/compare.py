"""Compare two drafts: align their articles, then diff and annotate each change."""

from __future__ import annotations

from collections.abc import Sequence

from noticeboard.diffing.align import Pin, labels_of, plan_changes
from noticeboard.diffing.chardiff import char_diff
from noticeboard.diffing.model import ArticleChange, ChangeKind, Comparison, DiffOps, ParsedDraft
from noticeboard.diffing.parse import parse_draft
from noticeboard.diffing.references import (
    is_reference_only,
    may_be_renumbering,
    renumbering_map,
)

_DIFFED = frozenset({ChangeKind.MODIFIED, ChangeKind.MOVED, ChangeKind.SPLIT, ChangeKind.MERGED})
_ONE_TO_ONE = frozenset(
    {ChangeKind.UNCHANGED, ChangeKind.RENUMBERED, ChangeKind.MODIFIED, ChangeKind.MOVED}
)


def compare_texts(old_text: str, new_text: str) -> Comparison:
    """Parse and compare two versions of a draft given as text."""
    return compare_drafts(parse_draft(old_text), parse_draft(new_text))


def compare_drafts(old: ParsedDraft, new: ParsedDraft, *, pinned: Sequence[Pin] = ()) -> Comparison:
    """Compare two parsed drafts; `pinned` are staff corrections (see `align_articles`)."""
    planned = plan_changes(old.articles, new.articles, pinned)
    numbers = renumbering_map(
        [(change.old[0], change.new[0]) for change in planned if change.kind in _ONE_TO_ONE],
        old.articles,
        new.articles,
    )
    changes: list[ArticleChange] = []
    for kind, olds, news, similarity, identical in planned:
        diff: DiffOps | None = None
        reference_only = False
        if kind in _DIFFED and not identical:  # a move without edits has nothing to show
            old_text = "\n".join([old.articles[index].text for index in olds])
            new_text = "\n".join([new.articles[index].text for index in news])
            diff = char_diff(old_text, new_text)
            reference_only = (
                kind in _ONE_TO_ONE
                and may_be_renumbering(diff)
                and is_reference_only(old_text, new_text, numbers)
            )
        changes.append(
            ArticleChange(
                kind,
                olds,
                news,
                labels_of(old.articles, olds),
                labels_of(new.articles, news),
                similarity,
                diff,
                reference_only,
            )
        )
    return Comparison(old, new, tuple(changes))
