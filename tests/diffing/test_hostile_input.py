"""The engine against the hostile corpus: decode clearly or refuse clearly, never crash."""

from __future__ import annotations

import pytest

from noticeboard.diffing import DraftDecodeError, compare_texts, decode_bytes, parse_draft
from tests import hostile_corpus


@pytest.mark.parametrize(("name", "data"), list(hostile_corpus.stored_files()))
def test_every_stored_file_decodes_or_is_refused_with_a_line(name: str, data: bytes) -> None:
    try:
        text = decode_bytes(data)
    except DraftDecodeError as exc:
        refusal = str(exc).lower()
    else:
        refusal = ""
    if refusal:  # a message a person can act on: where, or what kind of file
        assert any(word in refusal for word in ("line", "empty", "binary"))
        return
    parsed = parse_draft(text)
    compare_texts(text, text)  # and comparing it with itself works
    assert isinstance(parsed.articles, tuple)


def test_legacy_encodings_are_read_as_chinese() -> None:
    files = dict(hostile_corpus.stored_files())
    for name in ("gbk.txt", "utf16-no-bom.txt", "utf16-bom.txt", "crlf-bom.txt"):
        parsed = parse_draft(decode_bytes(files[name]))
        assert [a.label for a in parsed.articles] == ["第一条", "第二条"], name
    big5 = parse_draft(decode_bytes(files["big5.txt"]))
    assert len(big5.articles) == 2
    assert "未成年人" in big5.articles[0].text


def test_binary_is_refused() -> None:
    files = dict(hostile_corpus.stored_files())
    with pytest.raises(DraftDecodeError):
        decode_bytes(files["binary-named.txt"])


def test_ten_megabyte_single_line_parses() -> None:
    parsed = parse_draft(decode_bytes(hostile_corpus.ten_megabyte_line()))
    assert len(parsed.articles) == 1


def test_hundred_thousand_articles_parse() -> None:
    parsed = parse_draft(decode_bytes(hostile_corpus.hundred_thousand_articles()))
    assert len(parsed.articles) == 100_000
    assert parsed.articles[-1].number == "100000"
