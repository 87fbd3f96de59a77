"""Recognise edits that only follow a renumbering: 本法第十六条 -> 本法第十五条.

When article 9 is deleted, every later article moves up one and every cross-reference to
them is rewritten. Those articles changed on paper, but no opinion caused it. To tell them
apart, each reference in the old text is replaced by a token naming the number the aligned
article has in the new version; each reference in the new text by a token of its own number.
If the two texts are then equal, the references were the only difference.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from noticeboard.diffing.headings import article_kind, english_number
from noticeboard.diffing.model import Article, DiffOps
from noticeboard.diffing.numerals import CHINESE_NUMERAL_CHARS, parse_chinese_numeral
from noticeboard.diffing.textkeys import comparison_key

NumberMap = Mapping[tuple[str, str], str]
_Token = Callable[[str, str], str]  # (kind, number) -> placeholder

_NUMERAL = f"[{CHINESE_NUMERAL_CHARS}0-9０-９]+"
_NUMBER_CHARS = frozenset(CHINESE_NUMERAL_CHARS + "0123456789０１２３４５６７８９IVXLCDM")
# 第十六条, 第十六条之一, and the shared form 第十六、十七条.
_CHINESE_REFERENCE = re.compile(
    rf"第(?P<numbers>{_NUMERAL}(?:[、，,和及或至到]{_NUMERAL})*)[条條](?:之(?P<sub>{_NUMERAL}))?"
)
_CHINESE_SPLIT = re.compile(f"{_NUMERAL}")
# Article 12, Articles 12 and 13, sections 32 through 36, § 5, §§ 5-7.
_ENGLISH_NUMBER = r"\d+[A-Za-z]?|[IVXLCDM]+\b"
_ENGLISH_REFERENCE = re.compile(
    r"\b(?P<word>articles?|art\.|sections?|sec\.)\s*|(?P<sign>§§?)\s*",
    re.IGNORECASE,
)
_ENGLISH_LIST = re.compile(
    rf"(?:{_ENGLISH_NUMBER})(?:\s*(?:,|and|or|through|to|-|–)\s*(?:{_ENGLISH_NUMBER}))*"
)
_ENGLISH_SPLIT = re.compile(_ENGLISH_NUMBER)
# A reference right after a title in 《》 names another law's article, not this one's.
_OTHER_LAW = re.compile(r"》\s*$")
_LIST_GLUE = re.compile(r"^[\s、，,和及或者至到]*$")


def renumbering_map(
    pairs: Sequence[tuple[int, int]], old: Sequence[Article], new: Sequence[Article]
) -> dict[tuple[str, str], str]:
    """(kind, old number) -> new number for every article matched one to one."""
    return {
        (article_kind(old[i].label), old[i].number): new[j].number
        for i, j in pairs
        if article_kind(old[i].label) == article_kind(new[j].label)
    }


def may_be_renumbering(diff: DiffOps) -> bool:
    """Cheap screen on a character diff: were only numbers (and layout) touched?

    A renumbered reference changes nothing but digits, numerals or Roman numerals; any
    other letter in an edit rules the change out without tokenising both texts.
    """
    return all(op == 0 or all(_may_be_in_number(char) for char in text) for op, text in diff)


def _may_be_in_number(char: str) -> bool:
    return char in _NUMBER_CHARS or not char.isalnum()


def is_reference_only(old_text: str, new_text: str, numbers: NumberMap) -> bool:
    """True when the texts differ and mapping the old references makes them equal."""
    if comparison_key(old_text) == comparison_key(new_text):
        return False
    old_tokens = _tokenise(old_text, numbers)
    new_tokens = _tokenise(new_text, None)
    if old_tokens == old_text and new_tokens == new_text:
        return False  # no references at all: the difference is something else
    return comparison_key(old_tokens) == comparison_key(new_tokens)


def _tokenise(text: str, numbers: NumberMap | None) -> str:
    def token(kind: str, number: str) -> str:
        if numbers is None:
            return f"⟦{kind}:{number}⟧"
        mapped = numbers.get((kind, number))
        # An unmapped reference (to a deleted article) can never equal a new token.
        return f"⟦{kind}:{mapped}⟧" if mapped is not None else f"⟦{kind}:old {number}⟧"

    return _tokenise_english(_tokenise_chinese(text, token), token)


def _tokenise_chinese(text: str, token: _Token) -> str:
    if "条" not in text and "條" not in text:
        return text
    parts: list[str] = []
    position = 0
    external = False
    for found in _CHINESE_REFERENCE.finditer(text):
        before = text[position : found.start()]
        external = bool(_OTHER_LAW.search(before)) or (external and bool(_LIST_GLUE.match(before)))
        parts.append(before)
        if external:
            parts.append(found.group(0))
        else:
            parts.append(_chinese_tokens(found, token))
        position = found.end()
    parts.append(text[position:])
    return "".join(parts)


def _chinese_tokens(found: re.Match[str], token: _Token) -> str:
    numbers = []
    for raw in _CHINESE_SPLIT.findall(found.group("numbers")):
        value = parse_chinese_numeral(raw)
        numbers.append(str(value) if value is not None else raw)
    sub = found.group("sub")
    if sub is not None:
        sub_value = parse_chinese_numeral(sub)
        numbers[-1] = f"{numbers[-1]}-{sub_value if sub_value is not None else sub}"
    return "".join(token("条", number) for number in numbers)


def _tokenise_english(text: str, token: _Token) -> str:
    # Cheap screen: every English reference word contains one of these (ARTicle, SECtion).
    if not any(word in text for word in ("rt", "RT", "ec", "EC", "§")):
        return text
    parts: list[str] = []
    position = 0
    for found in _ENGLISH_REFERENCE.finditer(text):
        if found.start() < position:
            continue
        listed = _ENGLISH_LIST.match(text, found.end())
        if listed is None or not listed.group(0):
            continue
        word = (found.group("word") or found.group("sign")).lower()
        kind = "article" if word.startswith("art") else "section"
        parts.append(text[position : found.start()])
        parts.append(
            "".join(
                token(kind, english_number(raw)) for raw in _ENGLISH_SPLIT.findall(listed.group(0))
            )
        )
        position = listed.end()
    parts.append(text[position:])
    return "".join(parts)
