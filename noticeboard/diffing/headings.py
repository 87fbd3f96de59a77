"""Recognise the heading lines of Chinese and English drafts.

Each function looks at one line that has already been stripped of surrounding whitespace
(and of Markdown `#` marks) and says what kind of heading it is, if any. The parser decides
what to do with the answer; keeping recognition separate keeps both halves testable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from noticeboard.diffing.numerals import (
    CHINESE_NUMERAL_CHARS,
    parse_chinese_numeral,
    parse_roman_numeral,
)

_NUMERAL = f"[{CHINESE_NUMERAL_CHARS}0-9０-９]+"
_SPACE = "[ \t\u3000\u00a0]"

# 第十二条 / 第12条 / 第十二条之一, then a space, a bracketed caption or the end of the line.
# Without that boundary 第十六条规定的 at the start of a wrapped line would become a heading.
# Traditional characters (條, 編, 節) too: drafts from Taiwan and Hong Kong use them.
_CHINESE_ARTICLE = re.compile(
    rf"第{_SPACE}*({_NUMERAL}){_SPACE}*[条條](?:之({_NUMERAL}))?(?=$|{_SPACE}|【)"
)
_CHINESE_CONTAINER = re.compile(
    rf"第{_SPACE}*({_NUMERAL}){_SPACE}*(分编|分編|编|編|章|节|節)(?=$|{_SPACE})"
)
# Rank of each container when no Markdown level says how deep it sits.
CHINESE_CONTAINER_RANK = {"编": 1, "編": 1, "分编": 2, "分編": 2, "章": 3, "节": 4, "節": 4}

_ENGLISH_WORDS = {
    "book": "book",
    "title": "title",
    "part": "part",
    "chapter": "chapter",
    "ch.": "chapter",
    "subchapter": "subchapter",
    "division": "division",
    "article": "article",
    "art.": "article",
    "section": "section",
    "sec.": "section",
    "§": "section",
    "§§": "section",
    "schedule": "schedule",
    "rule": "rule",
}
ENGLISH_RANK = {
    "book": 1,
    "title": 1,
    "part": 2,
    "chapter": 3,
    "subchapter": 4,
    "division": 5,
    "article": 6,
    "section": 7,
    "schedule": 8,
    "rule": 8,
}
# Full words need a space before the number ("Articles 12" is prose, not a heading);
# abbreviations and § may be glued to it.
_ENGLISH_HEADING = re.compile(
    r"(?:(?P<word>book|title|part|chapter|subchapter|division|article|section|schedule|rule)\s+"
    r"|(?P<abbr>ch\.|art\.|sec\.|§§?)\s*)"
    r"(?P<num>\d+(?:[.\-]\d+)*[A-Za-z]{0,2}|[IVXLCDM]+|[A-Z])(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_CAPTION_SEPARATORS = " \t\u3000.:：-–—"


class ChineseArticleHeading(NamedTuple):
    """A named tuple, as it is made for every article of every draft parsed."""

    label: str
    number: str | None  # None when the numeral cannot be read
    rest: str


@dataclass(frozen=True, slots=True)
class ChineseContainerHeading:
    rank: int


@dataclass(frozen=True, slots=True)
class EnglishHeading:
    kind: str  # "article", "section", "chapter", ... (abbreviations folded)
    label: str
    number: str
    rest: str  # what follows the number, separators removed: a caption or the first text
    plain_heading_like: bool  # would pass as a heading on a line without Markdown marks


def collapse_spaces(text: str) -> str:
    return " ".join(text.split())


def match_chinese_article(line: str) -> ChineseArticleHeading | None:
    found = _CHINESE_ARTICLE.match(line)
    if found is None:
        return None
    main = parse_chinese_numeral(found.group(1))
    number: str | None = None if main is None else str(main)
    if found.group(2) is not None and number is not None:
        sub = parse_chinese_numeral(found.group(2))
        number = None if sub is None else f"{number}-{sub}"
    label = found.group(0)
    if " " in label or "\t" in label or "\u3000" in label or "\u00a0" in label:
        label = collapse_spaces(label)  # as INTERFACES.md says: runs become one space
    return ChineseArticleHeading(label, number, line[found.end() :].strip())


def match_chinese_container(line: str) -> ChineseContainerHeading | None:
    found = _CHINESE_CONTAINER.match(line)
    if found is None or parse_chinese_numeral(found.group(1)) is None:
        return None
    return ChineseContainerHeading(CHINESE_CONTAINER_RANK[found.group(2)])


def match_english(line: str) -> EnglishHeading | None:
    found = _ENGLISH_HEADING.match(line)
    if found is None:
        return None
    word = (found.group("word") or found.group("abbr")).lower()
    kind = _ENGLISH_WORDS[word]
    number = english_number(found.group("num"))
    tail = line[found.end() :]
    rest = tail.lstrip(_CAPTION_SEPARATORS).strip()
    return EnglishHeading(
        kind=kind,
        label=collapse_spaces(found.group(0)),
        number=number,
        rest=rest,
        plain_heading_like=_looks_like_plain_heading(tail),
    )


def english_number(raw: str) -> str:
    """Normalise the number of an English heading or reference: IV -> 4, 31a -> 31A."""
    # A lone letter is a Roman numeral only for the usual I, V and X; Part C is part three.
    if not raw[0].isdigit() and (len(raw) > 1 or raw.upper() in "IVX"):
        roman = parse_roman_numeral(raw)
        if roman is not None:
            return str(roman)
    return raw.upper()


def article_kind(label: str) -> str:
    """The kind of unit a label names: 条 for Chinese articles, else article, section, ..."""
    if label.startswith("第"):
        return "条"
    english = match_english(label)
    return english.kind if english is not None else ""


def _looks_like_plain_heading(tail: str) -> bool:
    # "Section 5. The General Assembly ..." is a heading; "Section 5 of this Act ..." is prose.
    if not tail or tail[0] in ".:：-–—":
        return True
    stripped = tail.lstrip()
    return stripped != tail and not stripped[:1].islower()


_SORT_PARTS = re.compile(r"\d+|[A-Za-z]+")


def number_sort_key(number: str) -> tuple[int, ...]:
    """Order article numbers: 12 < 12-1 < 13, 31 < 31A < 31B < 32."""
    if number.isdecimal():
        return (int(number),)
    key: list[int] = []
    for part in _SORT_PARTS.findall(number):
        if part.isdigit():
            key.append(int(part))
        else:
            value = 0
            for char in part.upper():
                value = value * 26 + ord(char) - ord("A") + 1
            key.append(value)
    return tuple(key)
