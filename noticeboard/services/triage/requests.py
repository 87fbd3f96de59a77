"""What an opinion asks for: the wording it quotes, what it wants replaced, added or
deleted, and the articles it names in its text.

Only what is written explicitly is read. "建议将“县级以上”改为“各级”" is a replacement;
"建议增加“网络保护”的内容" an addition; "第九条中的“建立”应删去" a deletion. Anything vaguer is
left to text similarity, so a misread intent can cost a hint but never invent one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from noticeboard.diffing.numerals import CHINESE_NUMERAL_CHARS, parse_chinese_numeral
from noticeboard.services.triage.text import normalise

# Opening and closing marks of a quotation, paired. ASCII ' is left out: it is an
# apostrophe far more often than a quote.
_QUOTE = re.compile(
    r"“([^“”]{1,200})”|「([^「」]{1,200})」|『([^『』]{1,200})』"
    r"|‘([^‘’]{1,200})’|\"([^\"]{1,200})\"|﹃([^﹄]{1,200})﹄"
)
_REPLACE_BETWEEN = re.compile(
    r"^\s*(?:一词|一句|字样|等字|的表述|的提法)?\s*[，,]?\s*(?:in (?:article|section) \w+\s*)?"
    r"(?:建议|应当|应|宜|可|请)?\s*"
    r"(?:修改为|修改成|改为|改成|更改为|替换为|替换成|换成|调整为|变更为|表述为|写为|写成|"
    r"should read|to read|be replaced by|be changed to|with|to|by|into|→|->)\s*[:：]?\s*$",
    re.IGNORECASE,
)
_REPLACE_BEFORE = re.compile(r"(?:replace|substitute|change|amend|swap)\s*$", re.IGNORECASE)
_DELETE_BEFORE = re.compile(
    r"(?:删除|删去|删掉|去掉|去除|取消|不要|remove|delete|strike(?: out)?|drop|omit|"
    r"take out)\s*(?:the )?(?:words?|phrase|term|wording)?\s*[:：]?\s*$",
    re.IGNORECASE,
)
_DELETE_AFTER = re.compile(
    r"^\s*(?:一词|一句|字样|等字|的表述|的规定|的内容|这一表述)?\s*"
    r"(?:应当|应|宜|建议|可以)?\s*(?:予以)?(?:删除|删去|删掉|去掉|取消|"
    r"should be (?:deleted|removed|struck|dropped)|be (?:deleted|removed))",
    re.IGNORECASE,
)
_ADD_BEFORE = re.compile(
    r"(?:增加|增设|增写|补充|加入|加上|添加|新增|写入|纳入|明确|规定|"
    r"add|insert|include|introduce|adding|inserting)"
    r"[^“”「」\"，。,;；]{0,12}\s*[:：]?\s*$",
    re.IGNORECASE,
)
_CN_ARTICLE = re.compile(
    rf"第\s*([{CHINESE_NUMERAL_CHARS}0-9]{{1,8}})\s*条(?:之([一二三四五六七八九十]))?"
)
_EN_ARTICLE = re.compile(r"\b(article|art\.|section|sec\.|§)\s*(\d{1,4}[a-z]?)\b", re.IGNORECASE)
_LABEL_CN = re.compile(
    rf"^第\s*([{CHINESE_NUMERAL_CHARS}0-9]{{1,8}})\s*条(?:之([一二三四五六七八九十]))?"
)
_LABEL_EN = re.compile(r"^(article|section)\s+(\d{1,4}[a-z]?)\b", re.IGNORECASE)
# Chapters are cited too ("第三章"), but they point at many articles: not an article cited.
_WORDS = {"art.": "article", "sec.": "section", "§": "section"}


@dataclass(frozen=True)
class Citation:
    """An article named by number: ``kind`` is "article"/"section" for English headings
    and "" for Chinese ones (第十二条 and Article 12 both give number "12")."""

    kind: str
    number: str


@dataclass(frozen=True)
class OpinionRequest:
    quotes: tuple[str, ...] = ()
    replacements: tuple[tuple[str, str], ...] = ()
    additions: tuple[str, ...] = ()
    deletions: tuple[str, ...] = ()
    cited: tuple[Citation, ...] = ()

    @property
    def asks_for_wording(self) -> bool:
        return bool(self.replacements or self.additions or self.deletions)


def label_citation(label: str) -> Citation | None:
    """The citation that names a stored article label (第十二条之一, Article 12, Section 31A)."""
    text = normalise(label.strip())
    match = _LABEL_CN.match(text)
    if match:
        value = parse_chinese_numeral(match.group(1))
        if value is None:
            return None
        suffix = parse_chinese_numeral(match.group(2)) if match.group(2) else None
        return Citation("", f"{value}-{suffix}" if suffix else str(value))
    match = _LABEL_EN.match(text)
    if match:
        return Citation(match.group(1).lower(), match.group(2).lower())
    return None


def cited_articles(text: str) -> tuple[Citation, ...]:
    folded = normalise(text)
    found: list[Citation] = []
    for match in _CN_ARTICLE.finditer(folded):
        value = parse_chinese_numeral(match.group(1))
        if value is None:
            continue
        suffix = parse_chinese_numeral(match.group(2)) if match.group(2) else None
        found.append(Citation("", f"{value}-{suffix}" if suffix else str(value)))
    for match in _EN_ARTICLE.finditer(folded):
        word = match.group(1).lower()
        found.append(Citation(_WORDS.get(word, word), match.group(2).lower()))
    return tuple(dict.fromkeys(found))


def _blank(text: str, spans: list[tuple[int, int, str]]) -> str:
    for start, end, _ in reversed(spans):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def read_request(text: str) -> OpinionRequest:
    """The explicit requests in an opinion's text (nothing is guessed)."""
    # Quotes are read on the text as written: NFKC would turn full-width quotes into
    # ASCII ones, but keeps “” and 「」 as they are.
    sample = text[:20_000]
    spans: list[tuple[int, int, str]] = []
    for match in _QUOTE.finditer(sample):
        phrase = next(g for g in match.groups() if g is not None).strip()
        if phrase:
            spans.append((match.start(), match.end(), phrase))
    replacements: list[tuple[str, str]] = []
    additions: list[str] = []
    deletions: list[str] = []
    used: set[int] = set()
    for i, (start, end, phrase) in enumerate(spans):
        if i in used:
            continue
        before = sample[max(0, start - 24) : start]
        if i + 1 < len(spans):
            following_start, _, following = spans[i + 1]
            if _REPLACE_BETWEEN.match(sample[end:following_start]):
                replacements.append((phrase, following))
                used.update((i, i + 1))
                continue
        if _DELETE_BEFORE.search(before) or _DELETE_AFTER.match(sample[end : end + 16]):
            deletions.append(phrase)
        elif _ADD_BEFORE.search(before):
            additions.append(phrase)
    if not replacements:
        # "replace "A" with "B"" with the verb first.
        for i in range(len(spans) - 1):
            start, end, phrase = spans[i]
            if _REPLACE_BEFORE.search(sample[max(0, start - 16) : start]):
                replacements.append((phrase, spans[i + 1][2]))
                break
    return OpinionRequest(
        quotes=tuple(dict.fromkeys(phrase for _, _, phrase in spans)),
        replacements=tuple(replacements),
        additions=tuple(additions),
        deletions=tuple(deletions),
        # Article numbers inside a quote are the law's own cross-references.
        cited=cited_articles(_blank(sample, spans)),
    )
