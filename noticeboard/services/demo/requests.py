"""Opinions with a known answer, generated from a real comparison: the ground truth of
the matching benchmark and the varied texts of ``noticeboard demo --scale N``.

Each opinion says what it was made to be (``style``) and which changes answer it
(``truth``, empty when none does). Requests for a real change quote the edit (citing the
article, citing none, or citing a wrong one) or paraphrase it loosely; requests not
adopted ask to change wording the next version keeps, or to add wording it lacks;
general remarks and off-topic letters ask for nothing. Quotes are cut at word
boundaries (jieba for Chinese) with a random amount of context, and texts are assembled
from interchangeable parts, so a million opinions do not fall into a few identical ones.

A request quoting an edit that several changes make (食品药品 → 食品安全 runs through the
whole Food Safety Law) is answered by each of them unless it names the right article:
its truth holds all of them. Pure Python and seeded: same input, same opinions.
"""

from __future__ import annotations

import logging
import random
import re
import warnings
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from noticeboard.services.demo.request_wordings import EN, MARKS, SYNONYMS, ZH
from noticeboard.services.triage.scoring import ArticleRef, ChangeDoc
from noticeboard.services.triage.text import STOP_WORDS, EditSides, in_edit, normalise, sides_of

STYLES = ("exact", "no_article", "wrong_article", "paraphrase", "kept", "lacking", "general",
          "off_topic")  # fmt: skip
MIX = (0.22, 0.14, 0.08, 0.16, 0.12, 0.08, 0.08, 0.12)  # how often each style is drawn
_CJK = re.compile(r"[\u4e00-\u9fff]")
_EN_WORD = re.compile(r"\S+")
_REFERENCE = re.compile(r"(?:本法)?第?[一二三四五六七八九十百零〇0-9]+[条款项]?|至|和|、")
_DANGLING = re.compile(r"(^|[将把在对])(?:的|中的|里的|中)(?=“)")
_FILLER = STOP_WORDS - {"he", "his", "him", "himself", "she", "her", "hers", "herself"}
_EDGE = "，。；：、,.;: \n\"'()（）"


@dataclass(frozen=True)
class GeneratedOpinion:
    text: str
    style: str
    truth: frozenset[int]  # ids of the changes that answer it; empty: none
    article_keys: tuple[str, ...] = ()  # articles linked on the form
    campaign: int | None = None  # copies of one letter share this number


@dataclass(frozen=True)
class _Edit:
    change_id: int
    key: str
    label: str  # the article's label in the opinion's version ("" for an added one)
    old: str  # the change's old side (equal and deleted runs), as written
    new: str
    old_span: tuple[int, int]  # the edit on each side, widened to whole words
    new_span: tuple[int, int]
    old_cuts: tuple[int, ...]  # word boundaries on each side
    new_cuts: tuple[int, ...]


@cache
def _jieba() -> Any:
    """jieba, loaded on first use: its 0.42.1 source has invalid escapes that this
    project's warnings-as-errors would turn into a SyntaxError at import."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import jieba  # type: ignore[import-untyped]
    jieba.setLogLevel(logging.WARNING)
    return jieba


def _cuts(text: str, zh: bool) -> tuple[int, ...]:
    if zh:
        tokens = _jieba().tokenize(text)
        return tuple(sorted({0, len(text), *(end for _, _, end in tokens)}))
    return tuple(sorted({0, len(text), *(m.start() for m in _EN_WORD.finditer(text)),
                         *(m.end() for m in _EN_WORD.finditer(text))}))  # fmt: skip


def _widen(span: tuple[int, int], cuts: Sequence[int], left: int, right: int) -> tuple[int, int]:
    """The span widened to word boundaries, then by ``left``/``right`` more words."""
    start = max(0, bisect_right(cuts, span[0]) - 1)
    end = min(len(cuts) - 1, bisect_left(cuts, span[1]))
    return cuts[max(0, start - left)], cuts[min(len(cuts) - 1, end + right)]


def _edits_of(change: ChangeDoc, label: str, key: str, zh: bool) -> list[_Edit]:
    ops = [(int(op), str(t)) for op, t in change.diff] if change.diff else []
    if not ops:
        ops = [(-1, change.old_text), (1, change.new_text)]
    old = "".join(t for op, t in ops if op <= 0)
    new = "".join(t for op, t in ops if op >= 0)
    old_cuts, new_cuts = _cuts(old, zh), _cuts(new, zh)
    edits: list[_Edit] = []
    old_at = new_at = 0
    group: list[int] = []  # [old_start, old_end, new_start, new_end]
    for n, (op, text) in enumerate(ops):
        short_gap = op == 0 and len(text) <= 2 and group and n + 1 < len(ops)
        if op != 0 or short_gap:
            if not group:
                group = [old_at, old_at, new_at, new_at]
            if op <= 0:
                group[1] = old_at + len(text)
            if op >= 0:
                group[3] = new_at + len(text)
        elif group:
            edits.append(_make_edit(change, key, label, old, new, group, old_cuts, new_cuts))
            group = []
        old_at += len(text) if op <= 0 else 0
        new_at += len(text) if op >= 0 else 0
    if group:
        edits.append(_make_edit(change, key, label, old, new, group, old_cuts, new_cuts))
    return [e for e in edits if _substantive(e)]


def _make_edit(change: ChangeDoc, key: str, label: str, old: str, new: str, group: list[int],
               old_cuts: tuple[int, ...], new_cuts: tuple[int, ...]) -> _Edit:  # fmt: skip
    return _Edit(change.change_id, key, label, old, new, (group[0], group[1]),
                 (group[2], group[3]), old_cuts, new_cuts)  # fmt: skip


def _substantive(edit: _Edit) -> bool:
    """Punctuation, spacing, captions and renumbered cross-references are edits nobody
    writes in to ask for."""
    old = _widen(edit.old_span, edit.old_cuts, 0, 0) if edit.old else (0, 0)
    new = _widen(edit.new_span, edit.new_cuts, 0, 0) if edit.new else (0, 0)
    touched = edit.old[slice(*old)] + edit.new[slice(*new)]
    raw = edit.old[slice(*edit.old_span)] + edit.new[slice(*edit.new_span)]
    words = re.sub(r"[\W_]", "", _REFERENCE.sub("", touched))
    return (
        len(words) >= 2
        and len(re.sub(r"[\W_]", "", raw)) >= 2
        and not touched.lstrip().startswith("[")
        and '"' not in touched
        # "the" -> "those" is the character diff's doing, not a wording anyone asked for;
        # pronouns stay (gender-neutral wording is a real request).
        and not all(w in _FILLER for w in re.findall(r"[a-z]+", raw.lower()) or ["x"])
    )


class RequestGenerator:
    """Makes opinions on one comparison; build once, draw as many as needed."""

    def __init__(self, changes: Sequence[ChangeDoc], articles: Sequence[ArticleRef],
                 next_articles: Sequence[ArticleRef], *, seed: int = 0) -> None:  # fmt: skip
        self.rng = random.Random(seed)  # noqa: S311 - test data, not secrets
        self.articles = [a for a in articles if a.text.strip()]
        self.zh = any(_CJK.search(a.text) for a in self.articles[:20])
        self.words = ZH if self.zh else EN
        old_label = {a.key: a.label for a in articles}
        self.next_text = {a.key: a.text for a in next_articles}
        self.sides: list[tuple[int, frozenset[str], EditSides]] = [
            (c.change_id, c.keys, sides_of(c.diff, c.old_text, c.new_text)) for c in changes
        ]
        self.edits: list[_Edit] = []
        for change in changes:
            if change.reference_only:
                continue  # a renumbered cross-reference: nobody asks for it
            key = next((k for k in sorted(change.keys) if k in old_label), "")
            self.edits.extend(_edits_of(change, old_label.get(key, ""), key, self.zh))
        self._sharing_cache: dict[tuple[str, str], frozenset[int]] = {}
        self._campaigns = 0
        self._cuts_cache: dict[str, tuple[int, ...]] = {}

    def _personal(self) -> str:
        """A sentence about the sender: independent letters differ beyond their request."""
        w, rng = self.words, self.rng
        me = rng.choice(w["me"]).format(who=rng.choice(w["who"]), where=rng.choice(w["where"]),
                                        n=rng.randint(2, 40))  # fmt: skip
        return me + rng.choice(w["seen"])

    def _wrap(self, body: str, *, long: bool = False) -> str:
        w, rng = self.words, self.rng
        personal = self._personal() if long or rng.random() < 0.7 else ""
        parts = [personal, body] if rng.random() < 0.5 else [body, personal]
        if long:
            parts += [rng.choice(w["reason"][2:]), self._personal()]
        text = (
            rng.choice(w["open"])
            + "".join(parts)
            + rng.choice(w["reason"])
            + rng.choice(w["close"])
        )
        if not self.zh:
            return re.sub(r"\s+", " ", text).strip()
        mark = rng.choice(MARKS)
        return text.replace("“", mark[0]).replace("”", mark[1])

    def _format(self, frame: str, label: str, **parts: str) -> str:
        in_cite = f" in {label}" if label else ""
        text = frame.format(cite=label, in_cite=in_cite, **parts)
        if not label and self.zh:  # no article named: no "的" left hanging before the quote
            text = _DANGLING.sub(r"\1", text)
        return text

    def _sharing(self, before: str, after: str) -> frozenset[int]:
        """Changes that make this same edit: without the right article, each answers."""
        cached = self._sharing_cache.get((before, after))
        if cached is None:
            a, b = normalise(before), normalise(after)
            cached = frozenset(
                change_id
                for change_id, _keys, sides in self.sides
                if (not a or in_edit(a, sides.old, sides.deleted))
                and (not b or in_edit(b, sides.new, sides.inserted))
            )
            self._sharing_cache[(before, after)] = cached
        return cached

    def _quote(self, edit: _Edit) -> tuple[str, str]:
        left, right = self.rng.choice((0, 0, 1, 1, 2)), self.rng.choice((0, 0, 1, 2))
        old_span, new_span = self._part(edit.old_span), self._part(edit.new_span)
        old = _widen(old_span, edit.old_cuts, left, right) if edit.old else (0, 0)
        new = _widen(new_span, edit.new_cuts, left, right) if edit.new else (0, 0)
        before = self._clip(edit.old[slice(*old)].strip(_EDGE))
        after = self._clip(edit.new[slice(*new)].strip(_EDGE))
        if before == after:  # the edit was only context-sized: quote a little more
            return self._quote(edit) if self.rng.random() < 0.9 else (before, after + "。")
        if edit.old_span[0] == edit.old_span[1]:
            before = ""  # a pure insertion: ask to add
        if edit.new_span[0] == edit.new_span[1]:
            after = ""  # a pure deletion
        return before, after

    def _part(self, span: tuple[int, int]) -> tuple[int, int]:
        """A long edit is quoted in part: people cite a few words of a rewritten article."""
        longest = 14 if self.zh else 40
        if span[1] - span[0] <= longest:
            return span
        size = self.rng.randint(longest // 2, longest)
        start = self.rng.randint(span[0], span[1] - size)
        return start, start + size

    def _clip(self, quote: str) -> str:
        """At most 60 characters, cut between words: nobody quotes half a word."""
        if len(quote) <= 60:
            return quote
        if self.zh:
            return quote[:60]
        return quote[:60].rsplit(" ", 1)[0]

    def _request(self, edit: _Edit, label: str) -> tuple[str, frozenset[int]]:
        before, after = self._quote(edit)
        w = self.words
        if before and after:
            frame = self.rng.choice(w["replace"])
        elif after:
            frame = self.rng.choice(w["add"])
        else:
            frame = self.rng.choice(w["delete"])
        body = self._format(frame, label, a=before, b=after)
        return body, self._sharing(before, after) | {edit.change_id}

    def _loose(self, edit: _Edit, label: str) -> tuple[str, frozenset[int]]:
        span = _widen(self._part(edit.new_span), edit.new_cuts, 3, 3) if edit.new else (0, 0)
        if span == (0, 0) or edit.new_span[0] == edit.new_span[1]:
            span = _widen(self._part(edit.old_span), edit.old_cuts, 3, 3)
            source = edit.old[slice(*span)]
        else:
            source = edit.new[slice(*span)]
        source = source.strip()[:80]
        for word, other in SYNONYMS.items():
            if word in source and self.rng.random() < 0.6:
                source = source.replace(word, other, 1)
        source = re.sub(r"[，。；、,.;\n\[\]]+", "" if self.zh else " ", source)
        body = self._format(self.rng.choice(self.words["loose"]), label, w=source)
        # A loose wording of the same edit: every change making that edit answers it.
        core = (
            edit.old[slice(*edit.old_span)].strip(_EDGE),
            edit.new[slice(*edit.new_span)].strip(_EDGE),
        )
        return body, self._sharing(*core) | {edit.change_id}

    def draw(self, style: str) -> GeneratedOpinion:
        rng = self.rng
        if style in STYLES[:4] and self.edits:
            edit = rng.choice(self.edits)
            answers_by_article = style == "exact" or (style == "paraphrase" and rng.random() < 0.5)
            linked: tuple[str, ...] = ()
            label = ""
            if answers_by_article and edit.key:
                linked = (edit.key,) if rng.random() < 0.6 else ()
                label = edit.label if not linked or rng.random() < 0.5 else ""
            elif style == "wrong_article":
                other = rng.choice([a for a in self.articles if a.key != edit.key] or self.articles)
                linked = (other.key,) if rng.random() < 0.6 else ()
                label = other.label if not linked or rng.random() < 0.5 else ""
            body, shared = (self._loose if style == "paraphrase" else self._request)(edit, label)
            truth = (
                frozenset({edit.change_id})
                if (linked or label) and style != "wrong_article"
                else shared
            )
            return GeneratedOpinion(self._wrap(body), style, truth, linked)
        if style in ("kept", "lacking"):
            return self._not_adopted(style)
        if style == "general":
            article = rng.choice(self.articles)
            body = self._format(rng.choice(self.words["general"]), article.label)
            linked = (article.key,) if article.label in body and rng.random() < 0.5 else ()
            return GeneratedOpinion(self._wrap(body), style, frozenset(), linked)
        body = "".join(rng.sample(self.words["off"], rng.randint(1, 2)))
        return GeneratedOpinion(self._wrap(body), "off_topic", frozenset())

    def _kept_phrase(self, article: ArticleRef) -> str:
        """Wording of the article that the next version keeps, away from any edit."""
        after = self.next_text.get(article.key, "")
        cuts = self._cuts_cache.get(article.key)
        if cuts is None:
            cuts = self._cuts_cache[article.key] = _cuts(article.text, self.zh)
        touched = [s for _cid, keys, s in self.sides if article.key in keys]
        for _ in range(8):
            start = self.rng.randrange(0, max(1, len(cuts) - 2))
            end = min(len(cuts) - 1, start + self.rng.randint(*((2, 4) if self.zh else (6, 12))))
            phrase = article.text[cuts[start] : cuts[end]].strip()
            folded = normalise(phrase)
            near_edit = any(
                in_edit(folded, s.old, s.deleted) or in_edit(folded, s.new, s.inserted)
                for s in touched
            )
            if len(folded) >= 4 and phrase in after and not near_edit and "\n" not in phrase:
                return phrase
        return ""

    def _not_adopted(self, style: str) -> GeneratedOpinion:
        rng, w = self.rng, self.words
        kept = [a for a in self.articles if a.key in self.next_text]
        article = rng.choice(kept or self.articles)
        linked = (article.key,) if rng.random() < 0.6 else ()
        label = article.label if not linked or rng.random() < 0.5 else ""
        phrase = self._kept_phrase(article) if style == "kept" else ""
        if phrase and rng.random() < 0.6:
            extra = rng.choice(w["swap"])
            other = extra + phrase if self.zh else f"{extra} {phrase}"
            body = self._format(rng.choice(w["replace"]), label, a=phrase, b=other)
        elif phrase:
            body = self._format(rng.choice(w["delete"]), label, a=phrase)
        else:
            after = self.next_text.get(article.key, "")
            addition = rng.choice([x for x in w["lack"] if x not in after] or w["lack"])
            body = self._format(rng.choice(w["add"]), label, b=addition)
            style = "lacking"
        return GeneratedOpinion(self._wrap(body), style, frozenset(), linked)

    def campaign(
        self, size: int, copies: Callable[..., list[str]] | None = None
    ) -> list[GeneratedOpinion]:
        """One letter copied ``size`` times, with the variations campaigns have."""
        self._campaigns += 1
        base = self.draw(self.rng.choice(("exact", "paraphrase", "kept", "lacking")))
        # A campaign letter is a few sentences long: the request and the reasons around it.
        text = self._wrap(base.text, long=True)
        letters = campaign_letter_maker() if self.zh else None
        if letters is not None:  # H1's distinct letters, so two campaigns never read alike
            text = text + letters(1, self.rng)[0]
        base = GeneratedOpinion(text, base.style, base.truth, base.article_keys)
        language = "zh" if self.zh else "en"
        texts = copies(base.text, size, self.rng, language=language) if copies else None
        if not texts:
            texts = [base.text + self.rng.choice(("", " ", "！", "。")) for _ in range(size)]
        return [GeneratedOpinion(t, f"campaign:{base.style}", base.truth, base.article_keys,
                                 self._campaigns) for t in texts]  # fmt: skip

    def stream(self, count: int, *, campaign_share: float = 0.0) -> Iterator[GeneratedOpinion]:
        """``count`` opinions in the mix of styles, ``campaign_share`` of them campaigns."""
        made, in_campaigns = 0, int(count * campaign_share)
        copies = campaign_copier()
        while made < in_campaigns:
            size = min(in_campaigns - made, self.rng.choice((5, 20, 50, 200)))
            yield from self.campaign(size, copies)
            made += size
        for style in self.rng.choices(STYLES, weights=MIX, k=count - made):
            yield self.draw(style)


def campaign_letter_maker() -> Callable[..., list[str]] | None:
    try:
        from noticeboard.services.demo import campaigns
    except ImportError:
        return None
    letters: Callable[..., list[str]] | None = getattr(campaigns, "campaign_letters", None)
    return letters


def campaign_copier() -> Callable[..., list[str]] | None:
    """H1's campaign variations (``demo.campaigns.campaign_copies``) when present."""
    try:
        from noticeboard.services.demo import campaigns
    except ImportError:
        return None
    copies: Callable[..., list[str]] | None = getattr(campaigns, "campaign_copies", None)
    return copies
