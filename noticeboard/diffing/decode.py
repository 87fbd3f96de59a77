"""Bytes of an uploaded draft to text, or a clear refusal.

Strict decoding in a fixed order, each guess checked before it is believed:

1. a byte-order mark decides (UTF-8, UTF-16, UTF-32);
2. NUL bytes mean UTF-16 without a mark, or a binary file: both byte orders are tried and
   kept only if the result reads as text (CJK, Latin, punctuation), else the file is refused;
3. UTF-8;
4. GB18030, kept only when the result reads as ordinary simplified Chinese: GB18030 decodes
   most byte strings, and Big5 or Shift-JIS read as GB18030 is plausible-looking nonsense;
5. Big5, kept only when the bytes are strict Big5 and charset-normalizer, judging by the
   language, also takes them for Big5.

Anything else is refused with the line of the first byte that is not UTF-8: never mojibake.
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
# Characters a draft is made of: ASCII and Latin-1, general punctuation, CJK punctuation,
# kana, CJK ideographs, full-width forms. Text read with the wrong UTF-16 byte order lands
# mostly elsewhere (第 U+7B2C becomes U+2C7B, Latin Extended-C).
_NOT_DRAFT_TEXT = re.compile(
    "[^\t\n\r\x0c\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u3000-\u30ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uff00-\uffef]"
)
_DRAFT_TEXT_SHARE = 0.95
# Share of the non-ASCII characters of a GB18030 reading that must be in GB2312, the set of
# common simplified characters. Mainland laws score 1.0; Big5 read as GB18030 far less.
_GB2312_SHARE = 0.95
_SAMPLE = 65_536
_BIG5_NAMES = frozenset({"big5", "big5hkscs", "cp950"})
# Legacy encodings worth naming in a refusal (charset-normalizer's names).
_NAMED_IN_REFUSALS = frozenset(
    {"cp932", "shift_jis", "euc_jp", "euc_kr", "cp949", "cp1252", "latin_1"}
)


class DraftDecodeError(ValueError):
    """The bytes are not a text draft in an encoding we can read with confidence."""


def decode_bytes(data: bytes) -> str:
    """Decode a draft: UTF-8 (with or without BOM), UTF-16 (BOM, or detected), GB18030, Big5."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(_strict(data[len(bom) :], encoding, offset=len(bom)))
    if b"\x00" in data:
        return _utf16_or_refuse(data)
    try:
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError as utf8_error:
        return _legacy_chinese_or_refuse(data, utf8_error)


def _strict(data: bytes, encoding: str, *, offset: int) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = _line_at(data, error.start, encoding)
        raise DraftDecodeError(
            f"the file starts like {encoding.upper()} but byte {offset + error.start} "
            f"(line {line}) is not valid {encoding.upper()}"
        ) from None


def _utf16_or_refuse(data: bytes) -> str:
    """UTF-16 without a byte-order mark: the byte order whose reading is text, if any."""
    best: tuple[float, str] | None = None
    if len(data) % 2 == 0:
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            share = _draft_text_share(text)
            if share >= _DRAFT_TEXT_SHARE and (best is None or share > best[0]):
                best = (share, text)
    if best is not None and not _CONTROL.search(best[1]):
        return best[1]
    line = _line_at(data, data.index(0))
    raise DraftDecodeError(
        f"this looks like a binary file (NUL byte on line {line}), not a text draft; "
        ".docx and PDF files must be converted to text first"
    )


def _draft_text_share(text: str) -> float:
    sample = text[:_SAMPLE]
    if not sample:
        return 0.0
    return 1 - len(_NOT_DRAFT_TEXT.findall(sample)) / len(sample)


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


def _legacy_chinese_or_refuse(data: bytes, utf8_error: UnicodeDecodeError) -> str:
    gb18030 = _decoded_or_none(data, "gb18030")
    if gb18030 is not None and _reads_as_simplified_chinese(gb18030):
        return _checked(gb18030)
    guess = charset_normalizer.from_bytes(data[:_SAMPLE]).best()
    guessed = guess.encoding if guess is not None else None
    big5 = _decoded_or_none(data, "big5")
    if big5 is not None and guessed in _BIG5_NAMES:
        return _checked(big5)
    line = _line_at(data, utf8_error.start)
    hint = f"; it may be {guessed}" if guessed in _NAMED_IN_REFUSALS else ""
    raise DraftDecodeError(
        f"cannot read the file as text: byte {utf8_error.start} (line {line}) is not valid "
        f"UTF-8, and the file does not read as UTF-16, GB18030 or Big5 either{hint}. "
        "Save the draft as UTF-8 and upload it again"
    )


def _decoded_or_none(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


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
