"""Pair edited articles by similarity: where they stood first, then anywhere.

Similarity is the normalised Indel similarity (rapidfuzz) of the layout keys. Unrelated
articles of the Civil Code score under 0.48 in 99.9 % of random pairs; reworded ones over
0.85. A pair far from its expected place must clear a higher bar than one where it stood.
"""

from __future__ import annotations

from rapidfuzz import process
from rapidfuzz.distance import Indel

from noticeboard.diffing.anchors import Anchors, anchors_from_pairs, by_gap
from noticeboard.diffing.table import Group, MatchTable

LOCAL_THRESHOLD = 0.5
GLOBAL_THRESHOLD = 0.62
# An article where it is expected and this similar is taken without looking further: the
# in-place edit is by far the most common revision, and checking every other candidate in
# a long rewritten chapter costs more than the rest of the alignment.
STRONG_THRESHOLD = 0.8
# An article rewritten where it stood (第九条 of the Minors Protection Law in 2024 keeps only
# 0.41 of its text) is still that article when nothing else is left between the same
# neighbours; only texts with almost nothing in common are then told apart.
IN_PLACE_THRESHOLD = 0.25
# How much more alike a left-over article must be to take a weak partner's place.
_CLEARLY_BETTER = 0.15
# Above this many candidate pairs, let rapidfuzz loop in C++ rather than call it per pair.
_PER_PAIR_LIMIT = 400


def match_similar(table: MatchTable, anchors: Anchors) -> None:
    """Pair edited articles: first inside each gap between anchors, then across gaps."""
    local: list[tuple[float, int, int]] = []
    for olds, news in by_gap(anchors, table.unmatched_old(), table.unmatched_new()):
        if olds and news:
            olds, news = _take_expected(table, anchors, olds, news)
            local.extend(_scored_pairs(table, olds, news, LOCAL_THRESHOLD))
    _accept_best(table, local, anchors)
    leftovers = _scored_pairs(table, table.unmatched_old(), table.unmatched_new(), GLOBAL_THRESHOLD)
    _accept_best(table, leftovers, anchors)
    _prefer_better_partners(table)


def _prefer_better_partners(table: MatchTable) -> None:
    """Undo a weak match made in place when the article's real partner is still unmatched.

    When an article moves and an unrelated one is inserted where it stood, the local stage
    pairs the two if they share enough legal boilerplate (0.5 is common in the Civil Code);
    the moved copy, clearly better, is then left over. Only weak pairs are looked at, so
    this costs little.
    """
    weak = [
        number
        for number, group in enumerate(table.groups)
        if not (group.identical or group.pinned or group.similarity is None)
        and group.similarity < STRONG_THRESHOLD
        and len(group.old) == 1
        and len(group.new) == 1
    ]
    if not weak:
        return
    spare_new = {new: table.new_similarity_keys[new] for new in table.unmatched_new()}
    spare_old = {old: table.old_similarity_keys[old] for old in table.unmatched_old()}
    for number in weak:
        group = table.groups[number]
        old, new = group.old[0], group.new[0]
        bar = (group.similarity or 0.0) + _CLEARLY_BETTER
        better = process.extractOne(
            table.old_similarity_keys[old],
            spare_new,
            scorer=Indel.normalized_similarity,
            score_cutoff=bar,
        )
        if better is not None:
            _, score, candidate = better
            table.replace(number, _pair(table, old, candidate, float(score)))
            del spare_new[candidate]
            spare_new[new] = table.new_similarity_keys[new]
            continue
        better = process.extractOne(
            table.new_similarity_keys[new],
            spare_old,
            scorer=Indel.normalized_similarity,
            score_cutoff=bar,
        )
        if better is not None:
            _, score, candidate = better
            table.replace(number, _pair(table, candidate, new, float(score)))
            del spare_old[candidate]
            spare_old[old] = table.old_similarity_keys[old]


def match_in_place(table: MatchTable) -> None:
    """Pair what is left between the same two matched neighbours, one for one, in order."""
    anchors = anchors_from_pairs(
        (group.old[0], group.new[0]) for group in table.groups if group.old and group.new
    )
    for olds, news in by_gap(anchors, table.unmatched_old(), table.unmatched_new()):
        if len(olds) != len(news):
            continue
        for old, new in zip(olds, news, strict=True):
            score = table.similarity((old,), (new,))
            if score >= IN_PLACE_THRESHOLD:
                table.add(Group((old,), (new,), score, identical=score == 1.0))


def _take_expected(
    table: MatchTable, anchors: Anchors, olds: list[int], news: list[int]
) -> tuple[list[int], list[int]]:
    """Pair each old article with the new one at its expected place when they are close."""
    free = list(news)
    left: list[int] = []
    for old in olds:
        if not free:
            left.append(old)
            continue
        expected = anchors.expected_new(old)
        new = min(free, key=lambda candidate: (abs(candidate - expected), candidate))
        score = Indel.normalized_similarity(
            table.old_similarity_keys[old],
            table.new_similarity_keys[new],
            score_cutoff=STRONG_THRESHOLD,
        )
        if score:
            free.remove(new)
            _add_pair(table, old, new, float(score))
        else:
            left.append(old)
    return left, free


def _scored_pairs(
    table: MatchTable, olds: list[int], news: list[int], threshold: float
) -> list[tuple[float, int, int]]:
    if not olds or not news:
        return []
    scored: list[tuple[float, int, int]] = []
    if len(olds) * len(news) <= _PER_PAIR_LIMIT:
        for old in olds:
            old_key = table.old_similarity_keys[old]
            for new in news:
                score = Indel.normalized_similarity(
                    old_key, table.new_similarity_keys[new], score_cutoff=threshold
                )
                if score:
                    scored.append((float(score), old, new))
        return scored
    choices = {new: table.new_similarity_keys[new] for new in news}
    for old in olds:
        for _, score, new in process.extract(
            table.old_similarity_keys[old],
            choices,
            scorer=Indel.normalized_similarity,
            score_cutoff=threshold,
            limit=None,
        ):
            scored.append((float(score), old, new))
    return scored


def _accept_best(table: MatchTable, scored: list[tuple[float, int, int]], anchors: Anchors) -> None:
    # Best similarity first; at equal similarity (to 0.01) the pair nearer its expected
    # place wins, so parallel provisions (same wording, different subject) stay in place.
    ranked = sorted(
        (-round(score, 2), abs(anchors.expected_new(old) - new), old, new, score)
        for score, old, new in scored
    )
    for _, _, old, new, score in ranked:
        if table.old_group[old] < 0 and table.new_group[new] < 0:
            _add_pair(table, old, new, score)


def _add_pair(table: MatchTable, old: int, new: int, score: float) -> None:
    table.add(_pair(table, old, new, score))


def _pair(table: MatchTable, old: int, new: int, score: float) -> Group:
    identical = table.same_text((old,), (new,))
    return Group((old,), (new,), 1.0 if identical else score, identical=identical)
