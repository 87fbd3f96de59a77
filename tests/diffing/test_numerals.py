from __future__ import annotations

import pytest

from noticeboard.diffing.numerals import (
    parse_chinese_numeral,
    parse_roman_numeral,
    to_chinese_numeral,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("一十二", 12),
        ("二十", 20),
        ("一百", 100),
        ("一百零一", 101),
        ("一百一十", 110),
        ("两百", 200),
        ("兩百", 200),
        ("一千零一", 1001),
        ("一千零一十", 1010),
        ("一千零十", 1010),
        ("一千二百六十", 1260),
        ("九千九百九十九", 9999),
        ("〇", 0),
        ("零", 0),
        ("一二六〇", 1260),
        ("1260", 1260),
        ("１２６０", 1260),
    ],
)
def test_reads_numerals_as_statutes_write_them(text: str, value: int) -> None:
    assert parse_chinese_numeral(text) == value


@pytest.mark.parametrize("text", ["", "十百", "一二十", "零十", "条", "1a", "²"])
def test_rejects_what_is_not_a_numeral(text: str) -> None:
    assert parse_chinese_numeral(text) is None


def test_writes_and_reads_back_every_number_up_to_9999() -> None:
    for value in range(10_000):
        assert parse_chinese_numeral(to_chinese_numeral(value)) == value


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1, "一"),
        (10, "十"),
        (12, "十二"),
        (101, "一百零一"),
        (110, "一百一十"),
        (1260, "一千二百六十"),
    ],
)
def test_writes_the_statute_form(value: int, text: str) -> None:
    assert to_chinese_numeral(value) == text


def test_refuses_numbers_it_cannot_write() -> None:
    with pytest.raises(ValueError, match="0 to 9999"):
        to_chinese_numeral(10_000)


@pytest.mark.parametrize(("text", "value"), [("I", 1), ("iv", 4), ("XIV", 14), ("MCMLXIV", 1964)])
def test_reads_roman_numerals(text: str, value: int) -> None:
    assert parse_roman_numeral(text) == value


def test_roman_numeral_rejects_other_letters() -> None:
    assert parse_roman_numeral("A") is None
    assert parse_roman_numeral("") is None
