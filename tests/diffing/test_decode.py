from __future__ import annotations

import codecs

import pytest

from noticeboard.diffing import DraftDecodeError, decode_bytes, parse_draft
from tests.diffing.helpers import sample

LAW = sample("cn/duiwai-maoyifa/2016.txt")


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "gb18030"]
)
def test_reads_every_supported_encoding(encoding: str) -> None:
    assert decode_bytes(LAW.encode(encoding)) == LAW


def test_bom_is_not_part_of_the_text() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + "第一条 内容".encode()) == "第一条 内容"


def test_gb18030_draft_parses_like_the_utf8_one() -> None:
    decoded = decode_bytes(LAW.encode("gb18030"))
    assert parse_draft(decoded) == parse_draft(LAW)


def test_empty_bytes_are_an_empty_draft() -> None:
    assert decode_bytes(b"") == ""


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", 3),
        (b"first line\nsecond\n\x00\x01\x02\x03binary", 3),
    ],
)
def test_binary_input_is_refused_naming_the_line(data: bytes, line: int) -> None:
    with pytest.raises(DraftDecodeError, match=rf"binary file .*line {line}"):
        decode_bytes(data)


def test_control_characters_are_refused_naming_the_line() -> None:
    with pytest.raises(DraftDecodeError, match="U\\+0007 on line 2"):
        decode_bytes("第一条 内容\n第二条 \x07响铃".encode())


def test_undecodable_bytes_are_refused_naming_the_line() -> None:
    data = "第一条 内容\n第二条 内容\n".encode() + b"\xff\xfe\xfa bad"
    with pytest.raises(DraftDecodeError, match="line 3") as raised:
        decode_bytes(data)
    assert "UTF-8" in str(raised.value)


def test_big5_is_read_as_big5_not_as_gb18030_mojibake() -> None:
    # Big5 bytes are mostly valid GB18030 too, but read as rare characters, not as Chinese.
    text = "第一條 臺灣的法律規定，應當遵守。\n第二條 這是繁體中文的條文內容。"
    assert decode_bytes(text.encode("big5")) == text


def test_shift_jis_is_refused_naming_the_likely_encoding() -> None:
    data = "第一条 日本語のテキストです。これは中国語ではありません。\n".encode("shift_jis")
    with pytest.raises(DraftDecodeError, match=r"line 1.*cp932"):
        decode_bytes(data)


def test_utf16_without_byte_order_mark_is_detected_either_way() -> None:
    # 一 is U+4E00: its low byte is NUL, so NUL bytes fall on both sides of each pair.
    text = "第一章 总则\n第一条 为了保护未成年人，制定本法。\n"
    assert decode_bytes(text.encode("utf-16-le")) == text
    assert decode_bytes(text.encode("utf-16-be")) == text
    english = "Article 1\nAll persons are born equally free.\n"
    assert decode_bytes(english.encode("utf-16-le")) == english


def test_damaged_utf16_is_refused_with_its_line() -> None:
    data = codecs.BOM_UTF16_LE + "第一条\n第二条\n".encode("utf-16-le") + b"\x00\xd8"
    with pytest.raises(DraftDecodeError, match="line 3"):
        decode_bytes(data)


def test_decode_error_is_a_value_error() -> None:
    assert issubclass(DraftDecodeError, ValueError)
