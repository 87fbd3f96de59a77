"""The table of matches between old and new articles, and the exact-text stages.

The table is plain and mutable while the aligner works; `align.py` turns it into frozen
`ArticleChange` values at the end.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import Indel

from noticeboard.diffing.anchors import Anchors, anchors_from_pairs
from noticeboard.diffing.textkeys import (
    WIDTH_VARIANT,
    comparison_key,
    layout_key,
    similarity_key,
)


@dataclass(frozen=True, slots=True)
class Group:
    """Old and new articles that correspond; either side may be empty (added, deleted)."""

    old: tuple[int, ...]
    new: tuple[int, ...]
    similarity: float | None
    identical: bool
    pinned: bool = False


@dataclass(slots=True)
class MatchTable:
    """Which group each article belongs to (-1: none yet), with keys cached per article.

    Identity is decided on the full layout keys (whitespace removed), then width-folded ones.
    Similarity is measured on `similarity_keys`: the layout keys, bounded in length. Width
    folding is left out of it: it costs several times more and barely moves a similarity.
    """

    old_texts: Sequence[str]
    new_texts: Sequence[str]
    old_group: list[int] = field(init=False)
    new_group: list[int] = field(init=False)
    groups: list[Group] = field(default_factory=list)
    old_keys: list[str] = field(init=False)
    new_keys: list[str] = field(init=False)
    old_similarity_keys: list[str] = field(init=False)
    new_similarity_keys: list[str] = field(init=False)
    _old_folded: dict[int, str] = field(default_factory=dict)
    _new_folded: dict[int, str] = field(default_factory=dict)
    _old_letters: dict[int, str] = field(default_factory=dict)
    _new_letters: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.old_group = [-1] * len(self.old_texts)
        self.new_group = [-1] * len(self.new_texts)
        self.old_keys = [layout_key(text) for text in self.old_texts]
        self.new_keys = [layout_key(text) for text in self.new_texts]
        self.old_similarity_keys = [similarity_key(key) for key in self.old_keys]
        self.new_similarity_keys = [similarity_key(key) for key in self.new_keys]

    def add(self, group: Group) -> None:
        number = len(self.groups)
        self.groups.append(group)
        for index in group.old:
            self.old_group[index] = number
        for index in group.new:
            self.new_group[index] = number

    def replace(self, number: int, group: Group) -> None:
        """Put `group` in the place of group `number`; articles it drops become unmatched."""
        for index in self.groups[number].old:
            self.old_group[index] = -1
        for index in self.groups[number].new:
            self.new_group[index] = -1
        self.groups[number] = group
        for index in group.old:
            self.old_group[index] = number
        for index in group.new:
            self.new_group[index] = number

    def unmatched_old(self) -> list[int]:
        return [index for index, group in enumerate(self.old_group) if group < 0]

    def unmatched_new(self) -> list[int]:
        return [index for index, group in enumerate(self.new_group) if group < 0]

    def old_folded(self, index: int) -> str:
        if index not in self._old_folded:
            self._old_folded[index] = comparison_key(self.old_texts[index])
        return self._old_folded[index]

    def new_folded(self, index: int) -> str:
        if index not in self._new_folded:
            self._new_folded[index] = comparison_key(self.new_texts[index])
        return self._new_folded[index]

    def old_letters(self, index: int) -> str:
        """The layout key without the characters that have width variants."""
        if index not in self._old_letters:
            self._old_letters[index] = WIDTH_VARIANT.sub("", self.old_keys[index])
        return self._old_letters[index]

    def new_letters(self, index: int) -> str:
        if index not in self._new_letters:
            self._new_letters[index] = WIDTH_VARIANT.sub("", self.new_keys[index])
        return self._new_letters[index]

    def same_text(self, old: Sequence[int], new: Sequence[int]) -> bool:
        """Equal but for whitespace and character width."""
        old_key = "".join([self.old_keys[i] for i in old])
        new_key = "".join([self.new_keys[j] for j in new])
        if old_key == new_key:
            return True
        # Folding is dear; texts whose other characters differ cannot fold to the same key.
        old_letters = "".join([self.old_letters(i) for i in old])
        if old_letters != "".join([self.new_letters(j) for j in new]):
            return False
        old_folded = "".join([self.old_folded(i) for i in old])
        return old_folded == "".join([self.new_folded(j) for j in new])

    def similarity(self, old: Sequence[int], new: Sequence[int]) -> float:
        if self.same_text(old, new):
            return 1.0
        old_key = similarity_key("".join([self.old_similarity_keys[index] for index in old]))
        new_key = similarity_key("".join([self.new_similarity_keys[index] for index in new]))
        # Capped below 1: texts that differ in more than layout are never "identical".
        return min(float(Indel.normalized_similarity(old_key, new_key)), 0.9999)


def match_identical(table: MatchTable) -> list[tuple[int, int]]:
    """Pair unmatched articles whose text is the same, when it is unique on both sides.

    Returns the pairs of texts that occur more than once, for `match_duplicates`, which needs
    the anchors to place them.
    """
    duplicates = _match_equal_keys(
        table,
        table.unmatched_old(),
        table.unmatched_new(),
        table.old_keys.__getitem__,
        table.new_keys.__getitem__,
    )
    # Width-folding every remaining article would cost more than all the rest of the
    # alignment; only texts whose letters (CJK, or anything outside ASCII and full-width
    # forms) agree can fold to the same key, so fold just those.
    olds_by_letters: defaultdict[str, list[int]] = defaultdict(list)
    news_by_letters: defaultdict[str, list[int]] = defaultdict(list)
    for index in table.unmatched_old():
        olds_by_letters[table.old_letters(index)].append(index)
    for index in table.unmatched_new():
        news_by_letters[table.new_letters(index)].append(index)
    olds = [
        i for letters, found in olds_by_letters.items() if letters in news_by_letters for i in found
    ]
    news = [
        j for letters, found in news_by_letters.items() if letters in olds_by_letters for j in found
    ]
    duplicates += _match_equal_keys(
        table, sorted(olds), sorted(news), table.old_folded, table.new_folded
    )
    return duplicates


def _match_equal_keys(
    table: MatchTable,
    olds: list[int],
    news: list[int],
    old_key: Callable[[int], str],
    new_key: Callable[[int], str],
) -> list[tuple[int, int]]:
    # Plain dicts of first positions: one lookup per article, lists only for repeated texts.
    old_at: dict[str, int] = {}
    new_at: dict[str, int] = {}
    repeated: set[str] = set()
    for index in olds:
        key = old_key(index)
        if old_at.setdefault(key, index) != index:
            repeated.add(key)
    for index in news:
        key = new_key(index)
        if new_at.setdefault(key, index) != index:
            repeated.add(key)
    for key, new_index in new_at.items():
        old_index = old_at.get(key)
        if old_index is not None and key not in repeated:
            table.add(Group((old_index,), (new_index,), 1.0, identical=True))
    duplicates: list[tuple[int, int]] = []
    if repeated:
        olds_with = defaultdict(list)
        news_with = defaultdict(list)
        for index in olds:
            if (key := old_key(index)) in repeated:
                olds_with[key].append(index)
        for index in news:
            if (key := new_key(index)) in repeated:
                news_with[key].append(index)
        for key, key_olds in olds_with.items():
            duplicates.extend((old, new) for old in key_olds for new in news_with.get(key, ()))
    return duplicates


def match_duplicates(
    table: MatchTable, candidates: Iterable[tuple[int, int]], anchors: Anchors
) -> None:
    """Pair repeated identical texts by closeness to where each old copy is expected."""
    ranked = sorted((abs(anchors.expected_new(old) - new), old, new) for old, new in candidates)
    for _, old, new in ranked:
        if table.old_group[old] < 0 and table.new_group[new] < 0:
            table.add(Group((old,), (new,), 1.0, identical=True))


def anchors_of(table: MatchTable) -> Anchors:
    """Anchors from the exact and pinned one-to-one pairs: the surest evidence of order."""
    return anchors_from_pairs(
        (group.old[0], group.new[0])
        for group in table.groups
        if len(group.old) == 1 and len(group.new) == 1 and (group.identical or group.pinned)
    )
