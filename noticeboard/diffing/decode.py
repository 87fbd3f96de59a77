"""Bytes of an uploaded draft to text, or a clear refusal.

Strict decoding in a fixed order: a byte-order mark decides; NUL bytes mean UTF-16 without a
mark or a binary file; then UTF-8; then GB18030, accepted only when the result reads as
ordinary simplified Chinese, because GB18030 decodes many byte strings that were written in
another encoding (Big5, Shift-JIS) into plausible-looking nonsense. A guess that cannot be
checked is refused rather than shown as mojibake.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters other than tab, line breaks and form feed (Word's page break).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")
# Share of the non-ASCII characters of a GB18030 reading that must be in GB2312, the set of
# common simplified characters. Mainland laws score 1.0; Big5 read as GB18030 far less.
_GB2312_SHARE = 0.95
_SAMPLE = 65_536
# Legacy encodings a draft may really come in (charset-normalizer's names).
_LIKELY = frozenset(
    {
        "big5",
        "big5hkscs",
        "cp950",
        "cp932",
        "shift_jis",
        "euc_jp",
        "euc_kr",
        "cp949",
        "cp1252",
        "latin_1",
    }
)


class DraftDecodeError(ValueError):
    """The bytes are not a text draft in an encoding we can read with confidence."""


def decode_bytes(data: bytes) -> str:
    """Decode a draft: UTF-8 (with or without BOM), UTF-16 (BOM, or detected), GB18030."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(_strict(data[len(bom) :], encoding, offset=len(bom)))
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            try:
                text = data.decode(utf16)
            except UnicodeDecodeError:
                text = None
            if text is not None and not _CONTROL.search(text):
                return text
        line = _line_at(data, data.index(0))
        raise DraftDecodeError(
            f"this looks like a binary file (NUL byte on line {line}), not a text draft; "
            ".docx and PDF files must be converted to text first"
        )
    try:
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError as utf8_error:
        return _gb18030_or_refuse(data, utf8_error)


def _strict(data: bytes, encoding: str, *, offset: int) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = _line_at(data, error.start, encoding)
        raise DraftDecodeError(
            f"the file starts like {encoding.upper()} but byte {offset + error.start} "
            f"(line {line}) is not valid {encoding.upper()}"
        ) from None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text has its NUL bytes (the high half of ASCII characters) on one side only."""
    if len(data) % 2:
        return None
    sample = data[:_SAMPLE]
    zeros_even = sample[0::2].count(0)
    zeros_odd = sample[1::2].count(0)
    if zeros_odd > 4 * zeros_even and zeros_odd * 100 >= len(sample) // 2:
        return "utf-16-le"
    if zeros_even > 4 * zeros_odd and zeros_even * 100 >= len(sample) // 2:
        return "utf-16-be"
    return None


def _checked(text: str) -> str:
    """Refuse decoded text that still holds control characters: binary data in disguise."""
    found = _CONTROL.search(text)
    if found is not None:
        line = text.count("\n", 0, found.start()) + 1
        raise DraftDecodeError(
            f"control character U+{ord(found.group()):04X} on line {line}: "
            "this looks like a binary file, not a text draft"
        )
    return text


def _gb18030_or_refuse(data: bytes, utf8_error: UnicodeDecodeError) -> str:
    line = _line_at(data, utf8_error.start)
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _reads_as_simplified_chinese(text):
        return _checked(text)
    guess = charset_normalizer.from_bytes(data[:_SAMPLE]).best()
    # Only name a guess worth acting on; for random bytes the detector names odd code pages.
    hint = f"; it may be {guess.encoding}" if guess and guess.encoding in _LIKELY else ""
    raise DraftDecodeError(
        f"cannot read the file as text: byte {utf8_error.start} (line {line}) is not valid "
        f"UTF-8, and the file does not read as UTF-16 or GB18030 either{hint}. "
        "Save the draft as UTF-8 and upload it again"
    )


def _reads_as_simplified_chinese(text: str) -> bool:
    non_ascii = [char for char in text[:_SAMPLE] if not char.isascii()]
    if not non_ascii:
        return True
    common = 0
    for char in non_ascii:
        try:
            char.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += 1
    return common >= _GB2312_SHARE * len(non_ascii)


def _line_at(data: bytes, offset: int, encoding: str = "utf-8") -> int:
    """1-based line of the byte at `offset`, counting line breaks in the bytes before it."""
    before = data[:offset].decode(encoding, errors="replace")
    return before.count("\n") + 1
