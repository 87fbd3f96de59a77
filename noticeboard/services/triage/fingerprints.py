"""Fingerprints of opinion texts for finding copies of one letter (a campaign).

A text is normalised (NFKC, case-folded, without whitespace, punctuation or symbols, so
a copy with full-width commas or another line layout is the same text), cut into
overlapping character shingles of ``SHINGLE`` characters, and summarised by a
``datasketch`` MinHash whose ``BANDS`` bands of ``ROWS`` values are hashed to signed
64-bit keys (a PostgreSQL BIGINT). Two texts sharing a band key are candidates; the
exact Jaccard similarity of their shingle sets decides.

Character shingles work the same for Chinese (no word boundaries to find) and English
(whitespace is dropped, so a shingle spans word joins). Pure: no database, no Flask.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Measured with benchmarks/clustering_quality.py (--tune) over campaign copies (another
# name, greeting, closing, a sentence dropped or added, typos) and distinct opinions
# quoting the same article: with 3 to 6 characters the median copy pair scores 0.75 to
# 0.70 and the 99.9th percentile of distinct pairs 0.24 to 0.20; 5 separates them best
# with these bands (P 0.991, R 0.963). More bands (24 x 3) raise recall to 0.99 but let
# distinct letters that quote a campaign's sentences in (P 0.987) and store 50% more keys.
SHINGLE = 5
BANDS = 16
ROWS = 4
NUM_PERM = BANDS * ROWS
# Exact Jaccard of shingle sets from which two texts are copies of one letter, and the
# shingles they must share besides (two short requests quoting the same clause of an
# article can be alike in proportion while sharing little more than the quotation).
THRESHOLD = 0.45
MIN_COMMON = 40
# Below this weight a text is too short to be told apart from an independent one:
# "同意", "agree", "支持草案" are written by thousands of people who never saw each
# other's letter. A Chinese character counts 1 and any other letter or digit a quarter
# (an English word of four letters says about as much as one character), so 24 is a
# sentence or two: about 24 Chinese characters or 20 English words.
MIN_WEIGHT = 24.0
# Fixed forever: the stored band keys of every law depend on it (change it, and every
# law must be clustered again).
SEED = 20261202
_KEY_SALT = np.uint64(0x6E62_6231_2026_1202)  # "nbb1" and the date: the keys' version
# Rolling hash of the shingles' code points: odd multiplier, arithmetic modulo 2**64.
_BASE = np.uint64(0x100000001B3)
# Shingles hashed per MinHash update, so a 100,000-character text never builds one
# 100,000 x NUM_PERM matrix at once.
_CHUNK = 8192

_IDEOGRAPHS = re.compile(
    "[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003ffff]"
)


@dataclass(frozen=True)
class Fingerprint:
    """What clustering keeps of one text: its shingles and its band keys.

    ``shingles`` is a sorted array of distinct 32-bit shingle hashes (empty for an
    empty or punctuation-only text); ``band_keys`` is empty when the text is too short
    to cluster."""

    shingles: np.ndarray
    band_keys: tuple[int, ...]

    @property
    def clusterable(self) -> bool:
        return bool(self.band_keys)

    def __len__(self) -> int:
        return int(self.shingles.size)


class _DroppingTable(dict[int, int | None]):
    """For ``str.translate``: separators, punctuation, symbols and control or format
    characters map to None (deleted), anything else to itself. Filled as characters
    are met, so the category of each code point is looked up once per process."""

    def __missing__(self, code: int) -> int | None:
        category = unicodedata.category(chr(code))
        kept = category[0] not in "ZPS" and category not in {"Cc", "Cf", "Cs"}
        self[code] = code if kept else None
        return self[code]


_DROPPING = _DroppingTable()


def normalise(text: str) -> str:
    """The text as compared: NFKC, case-folded, letters, digits and marks only."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_DROPPING)


def text_weight(normalised: str) -> float:
    """How much a normalised text says: CJK characters 1, other characters 1/4."""
    wide = len(_IDEOGRAPHS.findall(normalised))
    return wide + (len(normalised) - wide) / 4


def shingle_hashes(normalised: str, k: int | None = None) -> np.ndarray:
    """Sorted distinct 32-bit hashes of the text's ``k``-character shingles.

    A text shorter than ``k`` (but not empty) is one shingle. Linear in the length:
    a polynomial rolling hash over the code points, computed with numpy."""
    if not normalised:
        return np.empty(0, dtype=np.uint32)
    points = np.frombuffer(normalised.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    width = min(k or SHINGLE, points.size)
    count = points.size - width + 1
    with np.errstate(over="ignore"):
        rolled = np.zeros(count, dtype=np.uint64)
        for offset in range(width):
            rolled = rolled * _BASE + points[offset : offset + count]
        mixed = rolled ^ (rolled >> np.uint64(29))
        mixed = mixed * np.uint64(0xBF58476D1CE4E5B9)
        folded = (mixed ^ (mixed >> np.uint64(32))) & np.uint64(0xFFFFFFFF)
    return np.unique(folded.astype(np.uint32))


def _identity(value: int) -> int:
    return value


class Signer:
    """MinHash signatures with one set of permutations, generated once per process
    (from ``SEED``, so every process gets the same ones) and reused for every text."""

    def __init__(self) -> None:
        # Imported here: datasketch loads scipy (seconds), which recording an opinion or
        # starting the web app must not wait for.
        from datasketch import MinHash  # type: ignore[import-untyped]

        self._minhash = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=_identity)

    def signature(self, shingles: np.ndarray) -> np.ndarray:
        """The MinHash values (NUM_PERM uint32) of a non-empty shingle set."""
        self._minhash.clear()
        for start in range(0, shingles.size, _CHUNK):
            self._minhash.update_batch(shingles[start : start + _CHUNK].tolist())
        values: np.ndarray = self._minhash.digest()
        return values

    def fingerprints(self, texts: Sequence[str | None]) -> list[Fingerprint]:
        """The fingerprints of many texts; band keys are hashed for all at once."""
        shingled, weights = [], []
        for text in texts:
            normalised = normalise(text or "")
            shingled.append(shingle_hashes(normalised))
            weights.append(text_weight(normalised))
        chosen = [
            i for i, (s, w) in enumerate(zip(shingled, weights, strict=True))
            if s.size and w >= MIN_WEIGHT
        ]  # fmt: skip
        keys: list[tuple[int, ...]] = [()] * len(texts)
        if chosen:
            values = np.stack([self.signature(shingled[i]) for i in chosen])
            for i, row in zip(chosen, band_keys(values).tolist(), strict=True):
                keys[i] = tuple(row)
        return [Fingerprint(s, k) for s, k in zip(shingled, keys, strict=True)]


def band_keys(values: np.ndarray) -> np.ndarray:
    """Signed 64-bit keys, one per band, for each row of MinHash values (N x NUM_PERM
    in, N x BANDS out). The band's index is hashed in first, so equal values in two
    bands never meet; each value is folded in with a multiply and the splitmix64
    finaliser, in numpy over the whole batch."""
    rows = values.astype(np.uint64).reshape(len(values), BANDS, ROWS)
    with np.errstate(over="ignore"):
        key = np.broadcast_to(np.arange(BANDS, dtype=np.uint64) + _KEY_SALT, rows.shape[:2])
        for row in range(ROWS):
            key = _mix64(key * _BASE + rows[:, :, row])
    return key.view(np.int64)


def _mix64(value: np.ndarray) -> np.ndarray:
    value = (value ^ (value >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    value = (value ^ (value >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    mixed: np.ndarray = value ^ (value >> np.uint64(31))
    return mixed


_local = threading.local()


def _signer() -> Signer:
    # A Signer reuses one MinHash, so each thread (web threads, workers) has its own.
    signer: Signer | None = getattr(_local, "signer", None)
    if signer is None:
        signer = _local.signer = Signer()
    return signer


def fingerprint(text: str | None) -> Fingerprint:
    """The fingerprint of one opinion text: no band keys when it is too short."""
    return _signer().fingerprints([text])[0]


def jaccard(left: np.ndarray, right: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted distinct shingle arrays (0 when either
    is empty: nothing to compare is never a copy)."""
    if left.size == 0 or right.size == 0:
        return 0.0
    common = np.intersect1d(left, right, assume_unique=True).size
    return common / (left.size + right.size - common)


def same_letter(left: np.ndarray, right: np.ndarray) -> float:
    """The Jaccard similarity of two shingle sets when they are copies of one letter
    (at least ``THRESHOLD``, and ``MIN_COMMON`` shingles shared), else 0."""
    if left.size < MIN_COMMON or right.size < MIN_COMMON:
        return 0.0
    common = np.intersect1d(left, right, assume_unique=True).size
    score = common / (left.size + right.size - common)
    return score if common >= MIN_COMMON and score >= THRESHOLD else 0.0


def text_jaccard(left: str, right: str) -> float:
    """Exact Jaccard similarity of two texts' shingle sets."""
    return jaccard(shingle_hashes(normalise(left)), shingle_hashes(normalise(right)))


def fingerprints(texts: Sequence[str | None]) -> list[Fingerprint]:
    """The fingerprints of many texts, in their order."""
    return _signer().fingerprints(texts)
