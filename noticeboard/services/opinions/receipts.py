"""Receipt codes: what a contributor keeps to look their opinion up later.

Ten characters of Crockford's base32 (``0-9`` and ``A-Z`` without ``I L O U``): nine
random ones (45 bits from :mod:`secrets`) and one Luhn mod 32 check character over them.
The check catches every single wrong character and most swaps of neighbours, so a typo
is answered with "please check the code" instead of a confusing "not found".

Shown as ``XXXX-XXXX-XX``; typed in any case, with or without dashes and spaces, with
``O`` for ``0`` and ``I``/``L`` for ``1``, and in full-width forms from a Chinese IME.

Pure: no database, no Flask. The services check new codes against stored ones.
"""

from __future__ import annotations

import secrets
import unicodedata
from typing import Final, Literal

ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BASE: Final = len(ALPHABET)  # 32
RANDOM_LENGTH: Final = 9
CODE_LENGTH: Final = RANDOM_LENGTH + 1
_VALUE = {char: value for value, char in enumerate(ALPHABET)}
# Look-alikes people type for the characters the alphabet leaves out.
_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})
# Separators people put in: spaces, ASCII and typographic dashes, dots.
_SEPARATORS = frozenset(" \t-‐‑‒–—―−.·_")
# Doubling a value in base 32 and adding its two "digits": a permutation of 0..31,
# which is why every single substitution changes the sum.
_DOUBLED = tuple((2 * v) // BASE + (2 * v) % BASE for v in range(BASE))

Problem = Literal["empty", "length", "character", "check"]


class MalformedReceiptCode(ValueError):
    """The text cannot be a receipt code; ``problem`` says why (for tests and logs).

    Users are told only "please check the code": a typo, not a missing opinion.
    """

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem)
        self.problem: Problem = problem


def check_character(payload: str) -> str:
    """The Luhn mod 32 check character for ``payload`` (characters of ALPHABET)."""
    total = 0
    # From the right: the character next to the check character is doubled.
    for offset, char in enumerate(reversed(payload)):
        value = _VALUE[char]
        total += _DOUBLED[value] if offset % 2 == 0 else value
    return ALPHABET[(BASE - total % BASE) % BASE]


def is_valid(code: str) -> bool:
    """Whether a normalised ten-character code passes the check."""
    if len(code) != CODE_LENGTH or any(char not in _VALUE for char in code):
        return False
    return check_character(code[:-1]) == code[-1]


def new_receipt_code() -> str:
    """A fresh code, normalised (no dashes): nine random characters and the check."""
    bits = secrets.randbits(5 * RANDOM_LENGTH)
    payload = "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(RANDOM_LENGTH))
    return payload + check_character(payload)


def normalise_receipt_code(text: str) -> str:
    """Upper-case, separators out, look-alikes mapped; no validation."""
    folded = unicodedata.normalize("NFKC", text).upper().translate(_ALIASES)
    return "".join(char for char in folded if char not in _SEPARATORS and not char.isspace())


def parse_receipt_code(text: str) -> str:
    """The normalised code typed in ``text``, or MalformedReceiptCode.

    A code that parses is well-formed; whether an opinion has it is the lookup's question.
    """
    code = normalise_receipt_code(text)
    if not code:
        raise MalformedReceiptCode("empty")
    if len(code) != CODE_LENGTH:
        raise MalformedReceiptCode("length")
    if any(char not in _VALUE for char in code):
        raise MalformedReceiptCode("character")
    if check_character(code[:-1]) != code[-1]:
        raise MalformedReceiptCode("check")
    return code


def format_receipt_code(code: str) -> str:
    """``XXXX-XXXX-XX`` for display and print."""
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"
