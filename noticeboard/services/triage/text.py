"""Terms of a text and their weight by rarity, for matching opinions to changes.

Chinese is cut into character bigrams rather than words: jieba 0.42.1 cuts a 60-character
opinion in about 340 µs on this machine, which is 6 minutes of one core for a million
opinions before any scoring; bigrams cost about a tenth of that and find the same
phrases (a quoted 县级以上 shares its bigrams with the article whatever the segmentation).
English is cut into lower-case words without stop words.

Rarity comes from the law itself: a term found in most articles of the law (未成年人 in
the Minors Protection Law, "state" in a constitution) says nothing about which change an
opinion means, so its inverse document frequency is near zero.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from noticeboard.services.triage.requests import OpinionRequest

Vector = dict[str, float]

# CJK ideographs (with extension A and compatibility forms), Latin words and numbers.
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
# Longest text read: a 100,000-character letter is matched on its first 20,000
# characters, which hold far more terms than any change.
MAX_CHARS = 20_000

STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself shall may
    must please suggest suggests propose proposes think believe article section paragraph
    clause law text wording words
    """.split()  # noqa: SIM905 - a word list reads better as text
)
# Single characters and bigrams that carry no meaning on their own in a request.
_CJK_NOISE = frozenset("的了和与或及等是在对为将把中之其应本条款项法")


def normalise(text: str) -> str:
    """Full-width forms folded to half-width and Latin lower-cased (NFKC)."""
    return unicodedata.normalize("NFKC", text[:MAX_CHARS]).lower()


def terms(text: str) -> list[str]:
    """The terms of a text, in order, repeated as often as they occur."""
    folded = normalise(text)
    found: list[str] = []
    for run in _CJK_RUN.findall(folded):
        if len(run) == 1:
            if run not in _CJK_NOISE:
                found.append(run)
            continue
        found.extend(run[i : i + 2] for i in range(len(run) - 1))
    found.extend(word for word in _WORD.findall(folded) if word not in STOP_WORDS)
    return found


class Rarity:
    """Inverse document frequencies over a law's documents (its articles and changes).

    A term never seen in the law gets the highest weight: an opinion's unusual words
    cannot point to any change, but they do make its text less similar to every one.
    """

    def __init__(self, documents: Iterable[Iterable[str]]) -> None:
        frequency: Counter[str] = Counter()
        count = 0
        for document in documents:
            count += 1
            frequency.update(set(document))
        self.documents = count
        self._idf = {term: self._formula(df) for term, df in frequency.items()}
        self.unseen = self._formula(0)

    def _formula(self, df: int) -> float:
        # Smoothed, never negative; a term in every document weighs log(1 + 0.5/(N+0.5)) ~ 0.
        return math.log(1.0 + (self.documents - df + 0.5) / (df + 0.5))

    def idf(self, term: str) -> float:
        return self._idf.get(term, self.unseen)

    def vector(self, found: Iterable[str]) -> Vector:
        """TF-IDF with sublinear term frequency, of unit length (empty for no terms)."""
        counts: dict[str, int] = {}
        for term in found:
            counts[term] = counts.get(term, 0) + 1
        idf, unseen, log = self._idf.get, self.unseen, math.log
        weighted = {
            term: (1.0 + log(n) if n > 1 else 1.0) * idf(term, unseen) for term, n in counts.items()
        }
        norm = math.sqrt(sum(w * w for w in weighted.values()))
        if norm == 0.0:
            return {}
        return {term: w / norm for term, w in weighted.items() if w > 0.0}

    def coverage(
        self, wanted: Iterable[str], present: Mapping[str, object] | frozenset[str] | set[str]
    ) -> float:
        """Share of the rarity of ``wanted`` terms found in ``present``: 1.0 when all of
        them are there, in [0, 1]."""
        total = found = 0.0
        idf, unseen = self._idf, self.unseen
        for term in set(wanted):
            weight = idf.get(term, unseen)
            total += weight
            if term in present:
                found += weight
        return found / total if total > 0.0 else 0.0


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine of two unit vectors, clamped to [0, 1] against rounding."""
    if len(a) > len(b):
        a, b = b, a
    total = sum(weight * b.get(term, 0.0) for term, weight in a.items())
    return min(1.0, max(0.0, total))


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    at = bisect_right(spans, (start, 1 << 62)) - 1
    if at >= 0 and spans[at][1] > start:
        return True
    return at + 1 < len(spans) and spans[at + 1][0] < end


def in_edit(phrase: str, side: str, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether the phrase occurs on this side touching an edited run (English words
    whole: "he" is not found in "the")."""
    latin_start, latin_end = phrase[:1].isascii() and phrase[:1].isalnum(), phrase[-1:].isascii()
    latin_end = latin_end and phrase[-1:].isalnum()
    at = side.find(phrase)
    seen = 0
    while at >= 0 and seen < 50:
        end = at + len(phrase)
        whole = not (latin_start and at > 0 and side[at - 1].isalnum()) and not (
            latin_end and end < len(side) and side[end].isalnum()
        )
        if whole and _overlaps(at, end, spans):
            return True
        at = side.find(phrase, at + 1)
        seen += 1
    return False


@dataclass(frozen=True)
class Phrase:
    """Quoted wording, normalised, with its terms (worked out once per opinion)."""

    text: str
    terms: frozenset[str]

    @classmethod
    def of(cls, text: str) -> Phrase:
        folded = normalise(text)
        return cls(folded, frozenset(terms(folded)))


@dataclass(frozen=True)
class PreparedRequest:
    replacements: tuple[tuple[Phrase, Phrase], ...]
    additions: tuple[Phrase, ...]
    deletions: tuple[Phrase, ...]
    quotes: tuple[Phrase, ...]

    def signature(self) -> tuple[str, ...]:
        """What the request asks, as a key: equal for opinions asking the same."""
        return (
            *(f"r{a.text}\x00{b.text}" for a, b in self.replacements),
            *(f"a{x.text}" for x in self.additions),
            *(f"d{x.text}" for x in self.deletions),
            *(f"q{x.text}" for x in self.quotes),
        )

    def phrases(self) -> list[Phrase]:
        found = [p for pair in self.replacements for p in pair]
        return [*found, *self.additions, *self.deletions, *self.quotes]

    @classmethod
    def of(cls, request: OpinionRequest) -> PreparedRequest:
        asked = {x for pair in request.replacements for x in pair}
        asked.update(request.additions, request.deletions)
        return cls(
            tuple((Phrase.of(a), Phrase.of(b)) for a, b in request.replacements),
            tuple(Phrase.of(x) for x in request.additions),
            tuple(Phrase.of(x) for x in request.deletions),
            # Quotes that are part of a request count once, through the request.
            tuple(Phrase.of(x) for x in request.quotes if x not in asked),
        )


@dataclass(frozen=True)
class EditSides:
    """The two sides of a change, normalised, with the spans the edit touched.

    ``old`` holds the equal and deleted runs, ``new`` the equal and inserted ones, so a
    quoted phrase that straddles an edit (县级以上人民政府, of which only 县级以上 went)
    is still found touching it.
    """

    old: str
    new: str
    deleted: tuple[tuple[int, int], ...]
    inserted: tuple[tuple[int, int], ...]
    deleted_terms: frozenset[str]
    inserted_terms: frozenset[str]
    new_terms: frozenset[str]

    @property
    def edited(self) -> str:
        runs = [self.old[a:b] for a, b in self.deleted] + [self.new[a:b] for a, b in self.inserted]
        return "\n".join(runs)

    def gone(self, phrase: Phrase, rarity: Rarity) -> float:
        return _found(phrase, self.old, self.deleted, self.deleted_terms, rarity)

    def came(self, phrase: Phrase, rarity: Rarity) -> float:
        return _found(phrase, self.new, self.inserted, self.inserted_terms, rarity)

    def weigh_request(self, request: PreparedRequest, rarity: Rarity) -> tuple[float, float]:
        """(support, against): how much of what the opinion quotes or asks the edit
        does, and how plainly this change left undone what it asked."""
        support = against = 0.0
        for a, b in request.replacements:
            gone, came = self.gone(a, rarity), self.came(b, rarity)
            if gone or a.text in self.old:
                support = max(support, 0.8 * max(gone, came) + 0.2 * min(gone, came))
            else:  # the wording it wants replaced is not in this article at all
                support = max(support, 0.4 * came)
            if not gone and not came and len(a.text) >= 2 and a.text in self.new:
                against = 1.0
        for x in request.deletions:
            gone = self.gone(x, rarity)
            support = max(support, gone)
            if not gone and len(x.text) >= 2 and x.text in self.new:
                against = 1.0
        for x in request.additions:
            came = self.came(x, rarity)
            support = max(support, came)
            if (
                not came
                and x.text not in self.new
                and rarity.coverage(x.terms, self.new_terms) < 0.5
            ):
                against = max(against, 0.6)
        for x in request.quotes:
            support = max(support, self.gone(x, rarity), self.came(x, rarity))
        return support, (0.0 if support >= 0.8 else against)

    def has_any(self, phrases: Sequence[Phrase]) -> bool:
        return any(p.text in self.old or p.text in self.new for p in phrases if len(p.text) >= 2)


def _found(
    phrase: Phrase,
    side: str,
    spans: Sequence[tuple[int, int]],
    edit_terms: frozenset[str],
    rarity: Rarity,
) -> float:
    if len(phrase.text) >= 2 and in_edit(phrase.text, side, spans):
        return 1.0
    # Near-quotes (a character off, other punctuation) count by their rare terms.
    if len(phrase.terms) < 2 or phrase.terms.isdisjoint(edit_terms):
        return 0.0
    share = rarity.coverage(phrase.terms, edit_terms)
    return 0.8 * share if share >= 0.6 else 0.0


def sides_of(diff: Sequence[Sequence[Any]] | None, old_text: str, new_text: str) -> EditSides:
    old_parts: list[str] = []
    new_parts: list[str] = []
    deleted: list[tuple[int, int]] = []
    inserted: list[tuple[int, int]] = []
    old_at = new_at = 0
    if diff:
        runs = [(int(op), normalise(str(text))) for op, text in diff]
    elif old_text and new_text:
        runs = (
            [(0, normalise(old_text))]
            if old_text == new_text
            else [(-1, normalise(old_text)), (1, normalise(new_text))]
        )
    else:  # added (no old side) or deleted (no new side): all of it is the edit
        runs = [(-1, normalise(old_text)), (1, normalise(new_text))]
    for op, text in runs:
        if not text:
            continue
        if op <= 0:
            if op < 0:
                deleted.append((old_at, old_at + len(text)))
            old_parts.append(text)
            old_at += len(text)
        if op >= 0:
            if op > 0:
                inserted.append((new_at, new_at + len(text)))
            new_parts.append(text)
            new_at += len(text)
    old, new = "".join(old_parts), "".join(new_parts)
    return EditSides(
        old=old,
        new=new,
        deleted=tuple(deleted),
        inserted=tuple(inserted),
        deleted_terms=frozenset(t for a, b in deleted for t in terms(old[a:b])),
        inserted_terms=frozenset(t for a, b in inserted for t in terms(new[a:b])),
        new_terms=frozenset(terms(new)),
    )
