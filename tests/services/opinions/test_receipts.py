"""Receipt codes: format, check character, normalisation."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from noticeboard.services.opinions.receipts import (
    ALPHABET,
    CODE_LENGTH,
    MalformedReceiptCode,
    check_character,
    format_receipt_code,
    is_valid,
    new_receipt_code,
    normalise_receipt_code,
    parse_receipt_code,
)

SAMPLES = ["0000000000", "ZZZZZZZZZ", "7K3M9QX2A", "ABCDEFGHJ", "123456789"]
payloads = st.text(alphabet=ALPHABET, min_size=9, max_size=9)


def with_check(payload: str) -> str:
    return payload[:9] + check_character(payload[:9])


def test_alphabet_is_crockford_base32() -> None:
    assert len(ALPHABET) == 32
    assert not set("ILOU") & set(ALPHABET)


def test_new_codes_are_well_formed_and_unique() -> None:
    codes = [new_receipt_code() for _ in range(50_000)]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{10}", code) for code in codes)
    assert all(is_valid(code) for code in codes)
    # Every character of the alphabet turns up in every random position: no bias to one end.
    for position in range(9):
        assert {code[position] for code in codes} == set(ALPHABET)


@pytest.mark.parametrize("payload", SAMPLES)
def test_every_single_substitution_is_caught(payload: str) -> None:
    code = with_check(payload)
    assert is_valid(code)
    for position, char in itertools.product(range(CODE_LENGTH), ALPHABET):
        if char != code[position]:
            typo = code[:position] + char + code[position + 1 :]
            assert not is_valid(typo), (code, typo)


@given(payloads)
def test_every_single_substitution_is_caught_for_any_code(payload: str) -> None:
    code = with_check(payload)
    for position, char in itertools.product(range(CODE_LENGTH), ALPHABET):
        if char != code[position]:
            assert not is_valid(code[:position] + char + code[position + 1 :])


def test_most_swaps_of_neighbours_are_caught() -> None:
    swaps = caught = 0
    for _ in range(2_000):
        code = new_receipt_code()
        for i in range(CODE_LENGTH - 1):
            if code[i] == code[i + 1]:
                continue
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
            swaps += 1
            caught += not is_valid(swapped)
    assert caught / swaps > 0.95


@pytest.mark.parametrize(
    "typed",
    [
        "7k3m-9qx2-a{c}",
        "7K3M9QX2A{c}",
        " 7K3M 9QX2 A{c} ",
        "7K3M–9QX2—A{c}",  # typographic dashes
        "７Ｋ３Ｍ－９ＱＸ２－Ａ{c}",  # full-width, from a Chinese input method
    ],
)
def test_normalisation(typed: str) -> None:
    code = with_check("7K3M9QX2A")
    assert parse_receipt_code(typed.format(c=code[-1])) == code


def test_look_alike_letters_read_as_digits() -> None:
    code = with_check("10010010A")
    typed = code.replace("0", "o").replace("1", "I", 1).replace("1", "l")
    assert parse_receipt_code(typed) == code
    assert normalise_receipt_code("oIl") == "011"


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", "empty"),
        ("  - ", "empty"),
        ("7K3M-9QX2", "length"),
        ("7K3M-9QX2-AAA", "length"),
        ("7K3M-9QX2-U0", "character"),
        ("7K3M-9QX2-#0", "character"),
    ],
)
def test_malformed_codes_say_why(typed: str, problem: str) -> None:
    with pytest.raises(MalformedReceiptCode) as caught:
        parse_receipt_code(typed)
    assert caught.value.problem == problem


def test_a_failed_check_is_malformed_not_unknown() -> None:
    code = with_check("7K3M9QX2A")
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(MalformedReceiptCode) as caught:
        parse_receipt_code(wrong)
    assert caught.value.problem == "check"


def test_format() -> None:
    assert format_receipt_code("7K3M9QX2AB") == "7K3M-9QX2-AB"
