"""The log filter hides every receipt code and leaves ordinary words alone."""

from __future__ import annotations

import itertools
import logging

from noticeboard.services.opinions.receipts import check_character, format_receipt_code
from noticeboard.web.core.log_redaction import REDACTED, ReceiptCodeRedactor


def _message(text: str) -> str:
    record = logging.LogRecord("noticeboard", logging.INFO, __file__, 1, "saw %s", (text,), None)
    ReceiptCodeRedactor().filter(record)
    return record.getMessage()


def _code_of_letters_only() -> str:
    # About one code in forty has no digit at all; the filter must not rely on one.
    for letters in itertools.product("ABCDEFGHJK", repeat=3):
        payload = "".join(letters) * 3
        check = check_character(payload)
        if check.isalpha():
            return payload + check
    raise AssertionError("no letters-only code found")


def test_a_code_without_a_digit_is_hidden_stored_and_shown() -> None:
    code = _code_of_letters_only()
    assert _message(code) == f"saw {REDACTED}"
    assert _message(format_receipt_code(code)) == f"saw {REDACTED}"
    assert _message(format_receipt_code(code).lower()) == f"saw {REDACTED}"


def test_an_upper_case_word_whose_check_fails_stays_readable() -> None:
    word = "ATTACHMENT"
    payload = word[:-1]
    assert check_character(payload) != word[-1]
    assert _message(word) == "saw ATTACHMENT"
