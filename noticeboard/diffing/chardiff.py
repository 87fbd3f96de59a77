"""Character diffs of article texts, readable in Chinese.

The C++ diff-match-patch with semantic cleanup does the work; two passes on top keep a
changed number or a replaced phrase in one piece, because Chinese has no spaces for the
semantic cleanup to snap to:

* a change that starts or ends inside a number (第三十[一]条, Article 1[2]) grows to the
  whole number, so a reader sees 三十一 -> 三十 rather than a lone 一 struck out;
* a run of one or two characters left equal between two changes (-登 =记 +载) is folded into
  them, unless it is punctuation or a line break, which are real boundaries.
"""

from __future__ import annotations

import fast_diff_match_patch

from noticeboard.diffing.model import DiffOps
from noticeboard.diffing.numerals import CHINESE_NUMERAL_CHARS

_NUMBER_CHARS = frozenset(CHINESE_NUMERAL_CHARS + "0123456789０１２３４５６７８９")
# An equal run this short between two changes is noise, not a shared word.
_TINY_EQUALITY = 2
# The C++ diff without a time limit is O(N·D): instant for articles, minutes for two
# rewritten 10 MB uploads. A time limit would make the result depend on the machine, so
# beyond this many differing characters the changed middle is shown as one replacement.
EXACT_LIMIT = 40_000


def char_diff(old: str, new: str) -> DiffOps:
    """Diff two texts: (op, text) pairs, -1 deleted, 0 equal, 1 inserted.

    The deleted and equal parts spell `old`, the inserted and equal parts spell `new`.
    """
    if old == new:
        return ((0, old),) if old else ()
    if len(old) + len(new) > EXACT_LIMIT:
        coarse = _coarse_diff(old, new)
        if coarse is not None:
            return coarse
    raw = fast_diff_match_patch.diff(
        old, new, timelimit=0, checklines=False, cleanup="Semantic", counts_only=False
    )
    pieces = _pieces(raw)
    _grow_over_numbers(pieces)
    return _ops(_absorb_tiny_equalities(pieces))


def _coarse_diff(old: str, new: str) -> DiffOps | None:
    """Common start and end, and the rest replaced; None when the rest is small enough."""
    prefix = _common_prefix_length(old, new)
    suffix = _common_prefix_length(old[prefix:][::-1], new[prefix:][::-1])
    if len(old) + len(new) - 2 * (prefix + suffix) <= EXACT_LIMIT:
        return None
    ops = (
        (0, old[:prefix]),
        (-1, old[prefix : len(old) - suffix]),
        (1, new[prefix : len(new) - suffix]),
        (0, old[len(old) - suffix :]),
    )
    return tuple((op, text) for op, text in ops if text)


def _common_prefix_length(first: str, second: str) -> int:
    # Binary search on slice comparisons: each is a C memcmp, so a 10 MB text costs
    # about two dozen of them instead of a Python loop over its characters.
    low, high = 0, min(len(first), len(second))
    while low < high:
        middle = (low + high + 1) // 2
        if first[:middle] == second[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


# A piece is [deleted, inserted]; an equal run is stored as [text, None].
_Piece = list[str | None]


def _pieces(raw: list[tuple[str, str]]) -> list[_Piece]:
    pieces: list[_Piece] = []
    for op, text in raw:
        if op == "=":
            pieces.append([text, None])
        elif pieces and pieces[-1][1] is not None:
            change = pieces[-1]
            if op == "-":
                change[0] = f"{change[0]}{text}"
            else:
                change[1] = f"{change[1]}{text}"
        else:
            pieces.append([text, ""] if op == "-" else ["", text])
    return pieces


def _is_number(char: str) -> bool:
    return char in _NUMBER_CHARS or (char.isascii() and char.isalnum())


def _grow_over_numbers(pieces: list[_Piece]) -> None:
    for position, piece in enumerate(pieces):
        if piece[1] is None:
            continue
        deleted, inserted = piece[0] or "", piece[1]
        edge = (deleted[:1] or inserted[:1]), (deleted[-1:] or inserted[-1:])
        if position > 0 and _is_number(edge[0]):
            before = pieces[position - 1]
            equal = before[0] or ""
            cut = len(equal)
            while cut > 0 and _is_number(equal[cut - 1]):
                cut -= 1
            if cut < len(equal):
                moved = equal[cut:]
                before[0] = equal[:cut]
                deleted, inserted = moved + deleted, moved + inserted
        if position + 1 < len(pieces) and _is_number(edge[1]):
            after = pieces[position + 1]
            equal = after[0] or ""
            cut = 0
            while cut < len(equal) and _is_number(equal[cut]):
                cut += 1
            if cut:
                moved = equal[:cut]
                after[0] = equal[cut:]
                deleted, inserted = deleted + moved, inserted + moved
        piece[0], piece[1] = deleted, inserted


def _absorb_tiny_equalities(pieces: list[_Piece]) -> list[_Piece]:
    merged: list[_Piece] = []
    for piece in pieces:
        if piece[1] is None:
            if not piece[0]:
                continue
            merged.append(piece)
            continue
        if merged and merged[-1][1] is not None:
            _join(merged[-1], "", piece)
            continue
        if len(merged) >= 2 and merged[-2][1] is not None and _is_tiny_word(merged[-1][0] or ""):
            equal = merged.pop()[0] or ""
            _join(merged[-1], equal, piece)
            continue
        merged.append(piece)
    return merged


def _is_tiny_word(text: str) -> bool:
    return len(text) <= _TINY_EQUALITY and all(char.isalnum() for char in text)


def _join(change: _Piece, equal: str, following: _Piece) -> None:
    change[0] = f"{change[0]}{equal}{following[0]}"
    change[1] = f"{change[1]}{equal}{following[1]}"


def _ops(pieces: list[_Piece]) -> DiffOps:
    ops: list[tuple[int, str]] = []
    for first, second in pieces:
        if second is None:
            if first:
                if ops and ops[-1][0] == 0:
                    ops[-1] = (0, ops[-1][1] + first)
                else:
                    ops.append((0, first))
            continue
        if first:
            ops.append((-1, first))
        if second:
            ops.append((1, second))
    return tuple(ops)
