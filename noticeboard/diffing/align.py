"""Align the articles of two versions and say what happened to each.

Stages, cheapest and surest first: staff pins; identical text (whitespace only, then width
folded); repeated identical texts placed by their neighbours; similar text near where the
article stood, then anywhere; splits and merges. Every stage only looks at what the earlier
ones left, and every tie is broken by position, so the result is deterministic.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from noticeboard.diffing.anchors import longest_increasing
from noticeboard.diffing.model import Article, ArticleChange, ChangeKind
from noticeboard.diffing.similar import match_in_place, match_similar
from noticeboard.diffing.splitmerge import detect_splits_and_merges
from noticeboard.diffing.table import (
    Group,
    MatchTable,
    anchors_of,
    match_duplicates,
    match_identical,
)

Pin = tuple[Sequence[int], Sequence[int]]


class PlannedChange(NamedTuple):
    """A change before its diff: what `compare_drafts` turns into an `ArticleChange`.

    A named tuple, because one is made per article and never leaves the package.
    """

    kind: ChangeKind
    old: tuple[int, ...]
    new: tuple[int, ...]
    similarity: float | None
    identical: bool  # same text but for layout


def align_articles(
    old: Sequence[Article], new: Sequence[Article], pinned: Sequence[Pin] = ()
) -> tuple[ArticleChange, ...]:
    """Match the articles of `old` with those of `new`; changes come in new-document order.

    `pinned` holds staff corrections as (old indices, new indices): one to one, one to
    several (split), several to one (merged), one to none (deleted) or none to one (added).
    They are taken as given and the rest is aligned around them. Raises ValueError for a pin
    that names a missing article, names one twice, or is several to several. The changes
    carry no diffs; `compare_drafts` adds them.
    """
    return tuple(
        ArticleChange(
            kind,
            olds,
            news,
            labels_of(old, olds),
            labels_of(new, news),
            similarity,
        )
        for kind, olds, news, similarity, _ in plan_changes(old, new, pinned)
    )


def labels_of(articles: Sequence[Article], indices: tuple[int, ...]) -> tuple[str, ...]:
    return tuple([articles[index].label for index in indices])


def plan_changes(
    old: Sequence[Article], new: Sequence[Article], pinned: Sequence[Pin] = ()
) -> list[PlannedChange]:
    """The alignment of `align_articles`, as lightweight records in new-document order."""
    table = MatchTable([article.text for article in old], [article.text for article in new])
    for olds, news in _checked_pins(pinned, len(old), len(new)):
        similarity = table.similarity(olds, news) if olds and news else None
        identical = bool(olds and news) and table.same_text(olds, news)
        table.add(Group(olds, news, similarity, identical, pinned=True))
    duplicates = match_identical(table)
    anchors = anchors_of(table)
    match_duplicates(table, duplicates, anchors)
    match_similar(table, anchors)
    detect_splits_and_merges(table)
    match_in_place(table)
    for index in table.unmatched_old():
        table.add(Group((index,), (), None, identical=False))
    for index in table.unmatched_new():
        table.add(Group((), (index,), None, identical=False))
    return _ordered_changes(table.groups, old, new)


def _checked_pins(
    pinned: Sequence[Pin], old_count: int, new_count: int
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    checked: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    used_old: set[int] = set()
    used_new: set[int] = set()
    for raw_old, raw_new in pinned:
        olds, news = tuple(sorted(raw_old)), tuple(sorted(raw_new))
        if not olds and not news:
            raise ValueError("a pin must name at least one article")
        if len(olds) > 1 and len(news) > 1:
            raise ValueError(f"pin {olds} -> {news}: several to several is not a change kind")
        for index, count, used, side in (
            *((i, old_count, used_old, "old") for i in olds),
            *((j, new_count, used_new, "new") for j in news),
        ):
            if not 0 <= index < count:
                raise ValueError(f"pin names {side} article {index}, which does not exist")
            if index in used:
                raise ValueError(f"pin names {side} article {index} twice")
            used.add(index)
        checked.append((olds, news))
    return checked


def _ordered_changes(
    groups: list[Group], old: Sequence[Article], new: Sequence[Article]
) -> list[PlannedChange]:
    matched = sorted(
        (group.old[0], group.new[0], number)
        for number, group in enumerate(groups)
        if group.old and group.new
    )
    in_order_pairs = set(longest_increasing([(old_i, new_j) for old_i, new_j, _ in matched]))
    in_order = {number for old_i, new_j, number in matched if (old_i, new_j) in in_order_pairs}
    # Where the nearest in-order old article at or before each position landed, so that a
    # deletion can stand where it was in the old version.
    landed = [-1] * len(old)
    for number in in_order:
        for index in groups[number].old:
            landed[index] = max(groups[number].new)
    for index in range(1, len(landed)):
        if landed[index] < 0:
            landed[index] = landed[index - 1]
    keyed: list[tuple[tuple[int, int, int], PlannedChange]] = []
    for number, group in enumerate(groups):
        kind = _kind_of(group, number in in_order, old, new)
        planned = PlannedChange(kind, group.old, group.new, group.similarity, group.identical)
        if group.new:
            sort_key = (group.new[0], 0, 0)
        else:
            first = group.old[0]
            sort_key = (landed[first - 1] if first else -1, 1, first)
        keyed.append((sort_key, planned))
    keyed.sort(key=lambda item: item[0])
    return [planned for _, planned in keyed]


def _kind_of(
    group: Group, in_order: bool, old: Sequence[Article], new: Sequence[Article]
) -> ChangeKind:
    if not group.new:
        return ChangeKind.DELETED
    if not group.old:
        return ChangeKind.ADDED
    if len(group.new) > 1:
        return ChangeKind.SPLIT
    if len(group.old) > 1:
        return ChangeKind.MERGED
    if not in_order:
        return ChangeKind.MOVED
    if not group.identical:
        return ChangeKind.MODIFIED
    if old[group.old[0]].label == new[group.new[0]].label:
        return ChangeKind.UNCHANGED
    return ChangeKind.RENUMBERED
