"""Find articles that were split in two or more, or merged from several.

Runs after one-to-one matching, on what it left: a split shows up either as a pair whose new
article lacks text that sits in an unmatched neighbour, or as an old article left unmatched
whose pieces are consecutive unmatched new articles. Merges are the mirror image.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rapidfuzz.distance import LCSseq

from noticeboard.diffing.anchors import Anchors, anchors_from_pairs, by_gap
from noticeboard.diffing.table import Group, MatchTable

# A piece must bring at least this share of its own characters as new common text with the
# host article. Random short passages of the Civil Code reach 0.5 against long articles in
# 1 % of pairs; real pieces of a split article reach 0.9 and more.
PIECE_GAIN = 0.7
# Each piece of a split found without a one-to-one pair must be mostly inside the host...
PIECE_CONTAINMENT = 0.7
# ... and the pieces together must resemble the host as a whole.
WHOLE_THRESHOLD = 0.5
# More pieces than this from one article is a rewrite, not a split; it also bounds the search.
_MAX_PIECES = 8


def detect_splits_and_merges(table: MatchTable) -> None:
    _grow_pairs(table)
    anchors = anchors_from_pairs(
        (group.old[0], group.new[0]) for group in table.groups if group.old and group.new
    )
    _split_unmatched(table, anchors, split=True)
    _split_unmatched(table, anchors, split=False)


def _grow_pairs(table: MatchTable) -> None:
    for number, group in enumerate(list(table.groups)):
        if group.identical or group.pinned or len(group.old) != 1 or len(group.new) != 1:
            continue
        news = _grow(
            table.old_similarity_keys[group.old[0]],
            list(group.new),
            table.new_similarity_keys.__getitem__,
            table.new_group,
        )
        if len(news) > 1:
            table.replace(number, _group(table, group.old, tuple(news)))
            continue
        olds = _grow(
            table.new_similarity_keys[group.new[0]],
            list(group.old),
            table.old_similarity_keys.__getitem__,
            table.old_group,
        )
        if len(olds) > 1:
            table.replace(number, _group(table, tuple(olds), group.new))


def _grow(
    host: str,
    run: list[int],
    key_of: Callable[[int], str],
    group_of: Sequence[int],
) -> list[int]:
    """Extend a run of consecutive articles with unmatched neighbours that fill in the host."""
    if not any(
        0 <= index < len(group_of) and group_of[index] < 0 for index in (run[0] - 1, run[-1] + 1)
    ):
        return run  # the usual case, decided without computing anything
    common = LCSseq.similarity(host, "".join(key_of(index) for index in run))
    while True:
        best: tuple[float, int, int] | None = None
        for candidate in (run[0] - 1, run[-1] + 1):
            if not 0 <= candidate < len(group_of) or group_of[candidate] >= 0:
                continue
            piece = key_of(candidate)
            if not piece:
                continue
            extended = [candidate, *run] if candidate < run[0] else [*run, candidate]
            grown = LCSseq.similarity(host, "".join(key_of(index) for index in extended))
            share = (grown - common) / len(piece)
            if share >= PIECE_GAIN and (best is None or share > best[0]):
                best = (share, candidate, grown)
        if best is None:
            return run
        _, candidate, common = best
        run = [candidate, *run] if candidate < run[0] else [*run, candidate]


def _split_unmatched(table: MatchTable, anchors: Anchors, *, split: bool) -> None:
    """Hosts left unmatched whose pieces are consecutive unmatched articles on the other side.

    Pieces are looked for between the same matched neighbours as the host: a split article
    whose every piece also moved elsewhere is reported as deleted and added.
    """
    host_key = (table.old_similarity_keys if split else table.new_similarity_keys).__getitem__
    piece_key = (table.new_similarity_keys if split else table.old_similarity_keys).__getitem__
    proposals: list[tuple[float, int, tuple[int, ...]]] = []
    for olds, news in by_gap(anchors, table.unmatched_old(), table.unmatched_new()):
        hosts, pieces = (olds, news) if split else (news, olds)
        if not hosts or len(pieces) < 2:
            continue
        for host in hosts:
            key = host_key(host)
            inside = [
                piece
                for piece in pieces
                if 0 < len(piece_key(piece)) <= len(key)
                and LCSseq.similarity(key, piece_key(piece))
                >= PIECE_CONTAINMENT * len(piece_key(piece))
            ]
            for run in _consecutive_runs(inside):
                best = _best_subrun(key, run, piece_key)
                if best is not None:
                    proposals.append((-best[0], host, best[1]))
    host_group = table.old_group if split else table.new_group
    piece_group = table.new_group if split else table.old_group
    for _, host, pieces_run in sorted(proposals):
        if host_group[host] >= 0 or any(piece_group[index] >= 0 for index in pieces_run):
            continue
        group_old, group_new = ((host,), pieces_run) if split else (pieces_run, (host,))
        table.add(_group(table, group_old, group_new))


def _group(table: MatchTable, olds: tuple[int, ...], news: tuple[int, ...]) -> Group:
    # Cutting an article in two at a paragraph break leaves its text as it was.
    identical = table.same_text(olds, news)
    similarity = 1.0 if identical else table.similarity(olds, news)
    return Group(olds, news, similarity, identical=identical)


def _consecutive_runs(indices: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for index in indices:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return [run for run in runs if len(run) > 1]


def _best_subrun(
    host: str, run: list[int], key_of: Callable[[int], str]
) -> tuple[float, tuple[int, ...]] | None:
    best: tuple[float, tuple[int, ...]] | None = None
    for start in range(len(run)):
        for end in range(start + 2, min(len(run), start + _MAX_PIECES) + 1):
            joined = "".join(key_of(index) for index in run[start:end])
            score = 2 * LCSseq.similarity(host, joined) / (len(host) + len(joined))
            if score >= WHOLE_THRESHOLD and (best is None or score > best[0]):
                best = (score, tuple(run[start:end]))
    return best
