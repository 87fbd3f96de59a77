"""Chinese and Arabic numerals as they appear in article and chapter headings.

Headings write numbers as 第一千二百六十条, 第1260条, 第１２６０条 or, in some drafts, digit by
digit (第一二六〇条); all of them must give the same article number so that renumbering and
cross-references can be checked arithmetically.
"""

from __future__ import annotations

from functools import lru_cache

_DIGITS: dict[str, int] = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
_DIGIT_CHARS = "零一二三四五六七八九"

# Characters that may make up a Chinese numeral, for use inside regular expressions.
CHINESE_NUMERAL_CHARS = "〇零一二两兩三四五六七八九十百千"


@lru_cache(maxsize=4096)
def parse_chinese_numeral(text: str) -> int | None:
    """Return the value of a numeral written in Chinese, Arabic or full-width digits.

    Returns None when `text` is not a numeral, so callers can treat odd headings as text
    rather than crash on them. Cached: two versions of a law share almost all their
    article numbers, so the second version's headings cost a dictionary lookup each.
    """
    if not text:
        return None
    if text.isdecimal():
        return int(text)  # int() reads full-width and other decimal digits too
    if "十" not in text and "百" not in text and "千" not in text:
        # Digit-by-digit form such as 一二六〇 (used by some drafting tools).
        value = 0
        for char in text:
            digit = _DIGITS.get(char)
            if digit is None:
                return None
            value = value * 10 + digit
        return value
    return _parse_positional(text)


def _parse_positional(text: str) -> int | None:
    total = 0
    pending_digit = -1  # -1: no digit waiting for its unit
    last_unit = 10_000
    for char in text:
        digit = _DIGITS.get(char)
        if digit is not None:
            if pending_digit > 0:
                return None  # two digits in a row, such as 一二十
            pending_digit = digit
            continue
        unit = _UNITS.get(char)
        if unit is None or unit >= last_unit or (pending_digit == 0 and total == 0):
            return None  # not a numeral, or units out of order (百 after 十), or 零十
        # 十二 means 12 and 一千零十 means 1010: a unit without its digit counts once.
        total += (pending_digit if pending_digit > 0 else 1) * unit
        pending_digit = -1
        last_unit = unit
    if pending_digit > 0:
        total += pending_digit
    return total


def to_chinese_numeral(value: int) -> str:
    """Write 0 to 9999 the way statutes do: 十二, 一百零一, 一千二百六十."""
    if not 0 <= value <= 9999:
        raise ValueError(f"cannot write {value} as a Chinese numeral (0 to 9999 only)")
    if value == 0:
        return "零"
    parts: list[str] = []
    zero_pending = False
    for unit, unit_char in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = value // unit % 10
        if digit == 0:
            if parts:
                zero_pending = True
            continue
        if zero_pending:
            parts.append("零")
            zero_pending = False
        if not (unit == 10 and digit == 1 and not parts):
            parts.append(_DIGIT_CHARS[digit])
        parts.append(unit_char)
    return "".join(parts)


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def parse_roman_numeral(text: str) -> int | None:
    """Return the value of an upper- or lower-case Roman numeral, None when it is not one."""
    upper = text.upper()
    if not upper or any(char not in _ROMAN for char in upper):
        return None
    total = 0
    for position, char in enumerate(upper):
        value = _ROMAN[char]
        following = _ROMAN[upper[position + 1]] if position + 1 < len(upper) else 0
        total += -value if value < following else value
    return total if total > 0 else None
