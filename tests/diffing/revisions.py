"""Generated laws and revisions with their recorded truth, for the property tests.

Hypothesis draws the revision (which article is kept, edited, deleted, split, merged or
moved; where articles are inserted); the article texts come from a seeded generator, so
they stay distinct from one another while Hypothesis shrinks the revision.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from dataclasses import dataclass

from hypothesis import strategies as st

from noticeboard.diffing import ChangeKind, Comparison

COMMON_PHRASES = ("应当", "依照本法规定", "县级以上人民政府", "有关部门", "予以处罚", "但是")
OPERATIONS = ("keep", "keep", "keep", "edit", "delete", "split", "merge", "move", "move_edit")
ONE_TO_ONE = {
    ChangeKind.UNCHANGED,
    ChangeKind.RENUMBERED,
    ChangeKind.MODIFIED,
    ChangeKind.MOVED,
}


def sentence(rng: random.Random) -> str:
    letters = [chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(rng.randint(14, 40))]
    if rng.random() < 0.3:
        letters.insert(rng.randrange(len(letters)), rng.choice(COMMON_PHRASES))
    return "".join(letters) + "。"


def article(rng: random.Random) -> list[str]:
    return [sentence(rng) for _ in range(rng.randint(1, 4))]


def lightly_edited(text: str, rng: random.Random) -> str:
    """At most about a tenth of the characters touched: still plainly the same article."""
    for _ in range(rng.randint(1, max(1, len(text) // 40))):
        at = rng.randrange(len(text))
        roll = rng.random()
        if roll < 0.4:
            text = text[:at] + rng.choice(COMMON_PHRASES) + text[at:]
        elif roll < 0.7:
            text = text[:at] + text[at + rng.randint(1, 3) :]
        else:
            text = text[:at] + chr(rng.randint(0x4E00, 0x9FA5)) + text[at + 1 :]
    return text


@dataclass(frozen=True)
class Revision:
    old: list[str]
    new: list[str]
    groups: frozenset[tuple[tuple[int, ...], tuple[int, ...]]]
    identical: frozenset[tuple[int, int]]  # one-to-one pairs whose text did not change


@st.composite
def revisions(draw: st.DrawFn) -> Revision:
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    old_sentences = [article(rng) for _ in range(draw(st.integers(1, 24)))]
    old = ["".join(sentences) for sentences in old_sentences]
    operations = draw(st.lists(st.sampled_from(OPERATIONS), min_size=len(old), max_size=len(old)))
    # Items of the new version: (text, origin, unit); pieces of one split share a unit,
    # which nothing may be inserted into.
    items: list[tuple[str, tuple[str, tuple[int, ...]], int]] = []
    moving: list[tuple[str, tuple[str, tuple[int, ...]]]] = []
    unit = 0
    index = 0
    while index < len(old):
        operation = operations[index]
        unit += 1
        if operation == "delete":
            pass
        elif operation == "split" and len(old_sentences[index]) > 1:
            cut = rng.randint(1, len(old_sentences[index]) - 1)
            sentences = old_sentences[index]
            for piece in ("".join(sentences[:cut]), "".join(sentences[cut:])):
                items.append((piece, ("split", (index,)), unit))
        elif operation == "merge" and index + 1 < len(old):
            items.append((old[index] + old[index + 1], ("merged", (index, index + 1)), unit))
            index += 1
        elif operation in ("move", "move_edit"):
            text = lightly_edited(old[index], rng) if operation == "move_edit" else old[index]
            moving.append((text, ("pair", (index,))))
        elif operation == "edit":
            items.append((lightly_edited(old[index], rng), ("pair", (index,)), unit))
        else:
            items.append((old[index], ("pair", (index,)), unit))
        index += 1
    inserted = [("".join(article(rng)), ("added", ())) for _ in range(draw(st.integers(0, 4)))]
    for text, origin in moving + inserted:
        # Between two units only, so the pieces of a split stay together.
        boundaries = [0] + [
            position
            for position in range(1, len(items) + 1)
            if position == len(items) or items[position][2] != items[position - 1][2]
        ]
        unit += 1
        items.insert(draw(st.sampled_from(boundaries)), (text, origin, unit))
    new = [text for text, _, _ in items]
    news_of: dict[tuple[str, tuple[int, ...]], list[int]] = {}
    for position, (_, origin, _) in enumerate(items):
        news_of.setdefault(origin, []).append(position)
    groups: set[tuple[tuple[int, ...], tuple[int, ...]]] = set()
    identical: set[tuple[int, int]] = set()
    for (kind, olds), news in news_of.items():
        if kind == "added":
            groups.update(((), (position,)) for position in news)
            continue
        groups.add((olds, tuple(news)))
        if kind == "pair" and new[news[0]] == old[olds[0]]:
            identical.add((olds[0], news[0]))
    matched_old = {index for olds, _ in groups for index in olds}
    groups.update(((index,), ()) for index in range(len(old)) if index not in matched_old)
    return Revision(old, new, frozenset(groups), frozenset(identical))


def longest_increasing_length(pairs: list[tuple[int, int]]) -> int:
    tails: list[int] = []
    for _, value in sorted(pairs):
        slot = bisect_left(tails, value)
        tails[slot : slot + 1] = [value]
    return len(tails)


def assert_well_formed(comparison: Comparison) -> None:
    """Every article in exactly one change; changes in new-document order."""
    olds = sorted(index for change in comparison.changes for index in change.old)
    news = sorted(index for change in comparison.changes for index in change.new)
    assert olds == list(range(len(comparison.old.articles)))
    assert news == list(range(len(comparison.new.articles)))
    firsts = [change.new[0] for change in comparison.changes if change.new]
    assert firsts == sorted(firsts)
    for change in comparison.changes:
        assert (change.similarity is None) == (
            change.kind in (ChangeKind.ADDED, ChangeKind.DELETED)
        )
        if change.similarity is not None:
            assert 0.0 <= change.similarity <= 1.0
        assert list(change.old_labels) == [comparison.old.articles[i].label for i in change.old]
        assert list(change.new_labels) == [comparison.new.articles[i].label for i in change.new]


@st.composite
def pinned_revisions(
    draw: st.DrawFn,
) -> tuple[Revision, list[tuple[tuple[int, ...], tuple[int, ...]]]]:
    """A revision and staff pins that need not agree with the texts (staff know better)."""
    revision = draw(revisions())
    free_old = list(range(len(revision.old)))
    free_new = list(range(len(revision.new)))
    pins: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    for _ in range(draw(st.integers(0, 3))):
        shape = draw(st.sampled_from(["pair", "split", "merge", "deleted", "added"]))
        olds_wanted = {"pair": 1, "split": 1, "merge": 2, "deleted": 1, "added": 0}[shape]
        news_wanted = {"pair": 1, "split": 2, "merge": 1, "deleted": 0, "added": 1}[shape]
        if len(free_old) < olds_wanted or len(free_new) < news_wanted:
            continue
        olds = draw(st.permutations(free_old))[:olds_wanted]
        news = draw(st.permutations(free_new))[:news_wanted]
        for index in olds:
            free_old.remove(index)
        for index in news:
            free_new.remove(index)
        pins.append((tuple(sorted(olds)), tuple(sorted(news))))
    return revision, pins
