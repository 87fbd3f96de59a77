"""Anchors: matched pairs known to be in order, and the gaps between them.

An article that is not matched yet most likely corresponds to one in the same gap of the
other version; the anchors also say where an old article would stand in the new version
had it not moved, which breaks ties between equally good candidates.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Anchors:
    """Pairs known to be in order, used to guess where an unmatched old article would be."""

    old: tuple[int, ...]
    new: tuple[int, ...]

    def gap(self, old: int) -> int:
        return bisect_left(self.old, old)

    def new_gap(self, new: int) -> int:
        return bisect_left(self.new, new)

    def expected_new(self, old: int) -> float:
        """Position in the new version an old article would have if it had not moved."""
        if not self.old:
            return float(old)
        slot = bisect_left(self.old, old)
        if slot == 0:
            return float(self.new[0] - (self.old[0] - old))
        if slot == len(self.old):
            return float(self.new[-1] + (old - self.old[-1]))
        old_before, old_after = self.old[slot - 1], self.old[slot]
        new_before, new_after = self.new[slot - 1], self.new[slot]
        share = (old - old_before) / (old_after - old_before)
        return new_before + share * (new_after - new_before)


def longest_increasing(pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest run of pairs increasing on both sides (pairs sorted by their first item)."""
    tails: list[int] = []
    tail_at: list[int] = []
    previous: list[int] = [-1] * len(pairs)
    for position, (_, value) in enumerate(pairs):
        slot = bisect_left(tails, value)
        if slot == len(tails):
            tails.append(value)
            tail_at.append(position)
        else:
            tails[slot] = value
            tail_at[slot] = position
        previous[position] = tail_at[slot - 1] if slot else -1
    chain: list[tuple[int, int]] = []
    cursor = tail_at[-1] if tail_at else -1
    while cursor >= 0:
        chain.append(pairs[cursor])
        cursor = previous[cursor]
    chain.reverse()
    return chain


def anchors_from_pairs(pairs: Iterable[tuple[int, int]]) -> Anchors:
    """Anchors from the longest in-order run of (old, new) pairs."""
    chain = longest_increasing(sorted(pairs))
    return Anchors(tuple(old for old, _ in chain), tuple(new for _, new in chain))


def by_gap(
    anchors: Anchors, olds: Iterable[int], news: Iterable[int]
) -> list[tuple[list[int], list[int]]]:
    """Unmatched old and new articles grouped by the gap they sit in, gaps in order."""
    olds_by_gap: defaultdict[int, list[int]] = defaultdict(list)
    news_by_gap: defaultdict[int, list[int]] = defaultdict(list)
    for old in olds:
        olds_by_gap[anchors.gap(old)].append(old)
    for new in news:
        news_by_gap[anchors.new_gap(new)].append(new)
    return [
        (olds_by_gap.get(gap, []), news_by_gap.get(gap, []))
        for gap in sorted(olds_by_gap.keys() | news_by_gap.keys())
    ]
