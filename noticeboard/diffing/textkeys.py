"""Comparison keys: the form of an article's text in which only real edits show.

Whitespace and the width of letters, digits and punctuation (，versus ,) are layout, not law:
the key drops the first and folds the second so that neither ever makes an article "modified".
"""

from __future__ import annotations

import re
import unicodedata

_FULL_WIDTH = re.compile("[\uff01-\uff5e]")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
# Characters that have a half- and a full-width form (ASCII letters, digits, punctuation),
# and invisible ones: what may differ between two texts that fold to the same key.
WIDTH_VARIANT = re.compile("[\x21-\x7e\uff01-\uff5e\u00ad\u200b-\u200d\u2060\ufeff]")


# Similarity is quadratic in the length of the texts (about 2 s for two 100,000-character
# articles), so longer keys are judged by their beginning and end. No real article comes
# near this length (the longest in the Civil Code has about 1,000 characters); it bounds
# the time a hostile upload can take.
SIMILARITY_LIMIT = 20_000


def similarity_key(key: str) -> str:
    """The layout key, or its first and last 10,000 characters when it is longer."""
    if len(key) <= SIMILARITY_LIMIT:
        return key
    half = SIMILARITY_LIMIT // 2
    return key[:half] + key[-half:]


def layout_key(text: str) -> str:
    """Text without whitespace: cheap, and enough to match the untouched articles."""
    return "".join(text.split())


def comparison_key(text: str) -> str:
    """Text without whitespace or invisible characters, with width differences folded (NFKC).

    Full NFKC costs about 10 µs per Chinese article, almost all of it spent on full-width
    punctuation; folding that with a regular expression first leaves NFKC for the rare texts
    with other compatibility characters (①, ㎡, vertical forms).
    """
    key = _FULL_WIDTH.sub(_half_width, "".join(text.split()))
    if not unicodedata.is_normalized("NFKC", key):
        key = "".join(unicodedata.normalize("NFKC", key).split())
    if _INVISIBLE.search(key):
        key = _INVISIBLE.sub("", key)
    return key


def _half_width(found: re.Match[str]) -> str:
    return chr(ord(found.group()) - 0xFEE0)
