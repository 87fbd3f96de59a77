"""Fixtures of the diff engine tests."""

from __future__ import annotations

import pytest

from noticeboard.diffing import ParsedDraft
from tests.diffing.helpers import parsed_sample


@pytest.fixture(scope="session")
def civil_code() -> ParsedDraft:
    return parsed_sample("cn/civilcode-2020.txt")
