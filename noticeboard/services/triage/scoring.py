"""Scoring one opinion against every change of a comparison, with the reasons.

Four parts, each in [0, 1], stored with the score so staff see why a match was made:
- ``article``: the opinion cited an article of this change (linked on the form or named
  in its text), followed through renumbering by the article's stable key; the same
  chapter counts for a little.
- ``quoted``: wording the opinion quotes is in the edit itself (an inserted or deleted
  run), on the side its request points to.
- ``similar``: rarity-weighted similarity of the opinion to the edit and its articles.
- ``against``: evidence that this change did not do what the opinion asked: the wording
  it wanted replaced or deleted is still there unchanged, the wording it wanted added
  is still missing, or it quotes wording this change's articles do not have at all.

An inverted index over the changes' terms keeps the work per opinion proportional to
the changes that share a term or an article with it, not to the whole comparison.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from noticeboard.services.triage.requests import Citation, label_citation, read_request
from noticeboard.services.triage.text import (
    EditSides,
    PreparedRequest,
    Rarity,
    Vector,
    normalise,
    sides_of,
    terms,
)

# Weights tuned on benchmarks/triage_quality.py (see its docstring for the figures).
ARTICLE_WEIGHT = 0.40
QUOTED_WEIGHT = 0.45
SIMILAR_WEIGHT = 0.55
AGAINST_WEIGHT = 0.55
SAME_CHAPTER = 0.15
ELSEWHERE = 0.4  # quoted wording found elsewhere than in the article it names
FOREIGN_QUOTES = 0.3  # cites this article, quotes wording it does not have
LIKELY = 0.5  # INTERFACES.md: a score of 0.5 or more means "likely"
# Terms this common in the law (idf below) open no candidate on their own.
MIN_POSTING_IDF = 0.4
SIMILAR_CANDIDATES = 12
WEIGHED_KEPT = 200_000  # memoised (request, change) weighings


@dataclass(frozen=True)
class ArticleRef:
    """An article of the opinion's version: how opinions may cite it."""

    key: str
    label: str
    chapter: tuple[str, ...] = ()
    text: str = ""


@dataclass(frozen=True)
class ChangeDoc:
    """A change as the scorer reads it (no database row)."""

    change_id: int
    ordinal: int
    keys: frozenset[str]
    chapters: frozenset[tuple[str, ...]]
    old_text: str
    new_text: str
    diff: tuple[tuple[int, str], ...] | None = None
    # Only cross-references to renumbered articles changed: nobody asks for that.
    reference_only: bool = False


@dataclass(frozen=True)
class OpinionDoc:
    opinion_id: int
    text: str
    keys: frozenset[str] = frozenset()  # stable keys of the articles it was linked to


@dataclass(frozen=True)
class ScoredChange:
    change_id: int
    score: float
    article: float = 0.0
    quoted: float = 0.0
    similar: float = 0.0
    against: float = 0.0

    @property
    def likely(self) -> bool:
        return self.score >= LIKELY


@dataclass
class _Prepared:
    doc: ChangeDoc
    sides: EditSides
    edit_terms: set[str] = field(default_factory=set)


def combine(article: float, quoted: float, similar: float, against: float) -> float:
    raw = (
        ARTICLE_WEIGHT * article
        + QUOTED_WEIGHT * quoted
        + SIMILAR_WEIGHT * similar
        - AGAINST_WEIGHT * against
    )
    return round(min(1.0, max(0.0, raw)), 4)


class ComparisonIndex:
    """The changes of one comparison, ready to score opinions against; built once."""

    def __init__(self, changes: Sequence[ChangeDoc], articles: Sequence[ArticleRef]) -> None:
        self._changes = [
            _Prepared(doc, sides_of(doc.diff, doc.old_text, doc.new_text)) for doc in changes
        ]
        self._ordinal = {p.doc.change_id: p.doc.ordinal for p in self._changes}
        self._by_citation: dict[Citation, str] = {}
        self._by_number: dict[str, str] = {}
        self._kinds: set[str] = set()
        self._chapter_of = {a.key: a.chapter for a in articles}
        self._text_of = {a.key: normalise(a.text) for a in articles}
        for article in articles:
            citation = label_citation(article.label)
            if citation is not None:
                self._by_citation.setdefault(citation, article.key)
                self._by_number.setdefault(citation.number, article.key)
                self._kinds.add(citation.kind)
        edit_terms = [terms(p.sides.edited) for p in self._changes]
        context_terms = [terms(p.doc.old_text + "\n" + p.doc.new_text) for p in self._changes]
        self.rarity = Rarity([*(terms(a.text) for a in articles), *edit_terms, *context_terms])
        self._postings: dict[str, list[tuple[int, float, float]]] = {}
        for index, (edit, context) in enumerate(zip(edit_terms, context_terms, strict=True)):
            self._changes[index].edit_terms = set(edit)
            edit_vector = self.rarity.vector(edit)
            context_vector = self.rarity.vector(context)
            for term in edit_vector.keys() | context_vector.keys():
                if self.rarity.idf(term) < MIN_POSTING_IDF:
                    continue
                self._postings.setdefault(term, []).append(
                    (index, edit_vector.get(term, 0.0), context_vector.get(term, 0.0))
                )
        # Every change's two sides in one string: a quoted phrase is looked up in all of
        # them with one str.find, in C, rather than once per change.
        self._starts: list[int] = []
        parts: list[str] = []
        at = 0
        for prepared in self._changes:
            self._starts.append(at)
            part = prepared.sides.old + "\x00" + prepared.sides.new + "\x00"
            parts.append(part)
            at += len(part)
        self._haystack = "".join(parts)
        self._weighed: dict[tuple[tuple[str, ...], int], tuple[float, float]] = {}
        self._by_key: dict[str, list[int]] = {}
        self._by_chapter: dict[tuple[str, ...], list[int]] = {}
        for index, prepared in enumerate(self._changes):
            for key in prepared.doc.keys:
                self._by_key.setdefault(key, []).append(index)
            for chapter in prepared.doc.chapters:
                if chapter:
                    self._by_chapter.setdefault(chapter, []).append(index)

    def __len__(self) -> int:
        return len(self._changes)

    def cited_keys(self, citations: Iterable[Citation]) -> set[str]:
        """Keys of the articles an opinion names in its text (English "Article 12" on a
        Chinese law finds 第十二条 by its number)."""
        keys: set[str] = set()
        for citation in citations:
            key = self._by_citation.get(citation)
            if key is None and citation.kind not in self._kinds:
                key = self._by_number.get(citation.number)
            if key is not None:
                keys.add(key)
        return keys

    def containing(self, phrase: str, *, most: int = 200) -> set[int]:
        """Changes whose articles contain the phrase anywhere."""
        found: set[int] = set()
        if len(phrase) < 2:
            return found
        at = self._haystack.find(phrase)
        while at >= 0 and len(found) < most:
            index = bisect_right(self._starts, at) - 1
            found.add(index)
            following = index + 1
            at = self._haystack.find(
                phrase,
                self._starts[following] if following < len(self._starts) else len(self._haystack),
            )
        return found

    def score(self, opinion: OpinionDoc) -> list[ScoredChange]:
        """Every change with a score above 0 for this opinion, best first."""
        request = read_request(opinion.text)
        prepared_request = PreparedRequest.of(request)
        keys = set(opinion.keys) | self.cited_keys(request.cited)
        vector = self.rarity.vector(terms(opinion.text))
        edit_dot: dict[int, float] = {}
        context_dot: dict[int, float] = {}
        for term, weight in vector.items():
            postings = self._postings.get(term)
            if postings is None:
                continue
            for index, edit_weight, context_weight in postings:
                edit_dot[index] = edit_dot.get(index, 0.0) + weight * edit_weight
                context_dot[index] = context_dot.get(index, 0.0) + weight * context_weight
        articles: dict[int, float] = {}
        for key in keys:
            for index in self._by_key.get(key, ()):
                articles[index] = 1.0
            for index in self._by_chapter.get(self._chapter_of.get(key, ()), ()):
                articles.setdefault(index, SAME_CHAPTER)
        quotes = prepared_request.quotes
        signature = prepared_request.signature()
        # Text similarity alone opens only the closest few: the rest could not reach the
        # stored threshold, and would cost a full weighing each.
        nearest = sorted(edit_dot, key=lambda i: -(edit_dot[i] + context_dot.get(i, 0.0)))
        candidates = set(nearest[:SIMILAR_CANDIDATES]) | articles.keys()
        # A quote found in many changes ("shall", a department renamed throughout) says
        # less about which one is meant than a quote found in one.
        specific = 0.0
        phrases = prepared_request.phrases()
        for phrase in phrases:
            holding = self.containing(phrase.text)
            candidates |= holding
            specific = max(specific, 1.0 / (1.0 + math.log(max(1, len(holding)))))
        cited_texts = [self._text_of.get(key, "") for key in keys]
        if cited_texts and not any(p.text in t for p in phrases for t in cited_texts):
            specific = 1.0  # the article it names lacks the wording: it meant another one
        parts: list[tuple[int, float, float, float, float]] = []
        for index in candidates:
            prepared = self._changes[index]
            similar = min(1.0, 0.7 * edit_dot.get(index, 0.0) + 0.3 * context_dot.get(index, 0.0))
            # Many opinions quote the same wording (campaigns, a renamed department):
            # each (request, change) pair is weighed once.
            memo = (signature, index)
            weighed = self._weighed.get(memo)
            if weighed is None:
                if len(self._weighed) > WEIGHED_KEPT:
                    self._weighed.clear()
                weighed = prepared.sides.weigh_request(prepared_request, self.rarity)
                self._weighed[memo] = weighed
            quoted, against = weighed
            article = articles.get(index, 0.0)
            if against == 0.0 and article == 1.0 and quotes and not quoted:
                # It names this article but quotes wording the article does not have.
                against = 0.0 if prepared.sides.has_any(quotes) else FOREIGN_QUOTES
            if prepared.doc.reference_only:
                article *= 0.5
            parts.append((index, article, quoted, similar, against))
        # The article it names does what it asks: the same edit made in other articles
        # (a renamed department, say) answers it less.
        own = any(article == 1.0 and quoted >= 0.8 for _, article, quoted, _, _ in parts)
        scored: list[ScoredChange] = []
        for index, article, quoted, similar, against in parts:
            if article < 1.0:
                quoted *= specific * (ELSEWHERE if own else 1.0)
            score = combine(article, quoted, similar, against)
            if score > 0.0:
                scored.append(
                    ScoredChange(
                        self._changes[index].doc.change_id,
                        score,
                        round(article, 4),
                        round(quoted, 4),
                        round(similar, 4),
                        round(against, 4),
                    )
                )
        scored.sort(key=lambda s: (-s.score, self._ordinal[s.change_id]))
        return scored


def score_all(
    index: ComparisonIndex, opinions: Iterable[OpinionDoc]
) -> dict[int, list[ScoredChange]]:
    return {opinion.opinion_id: index.score(opinion) for opinion in opinions}


__all__ = [
    "LIKELY",
    "ArticleRef",
    "ChangeDoc",
    "ComparisonIndex",
    "OpinionDoc",
    "ScoredChange",
    "Vector",
    "combine",
    "score_all",
]
