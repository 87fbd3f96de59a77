"""Helpers of the diff engine tests: the sample laws and small hand-made drafts."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from noticeboard.diffing import Article, Comparison, ParsedDraft, compare_texts, parse_draft
from noticeboard.diffing.numerals import to_chinese_numeral

SAMPLES = Path(__file__).resolve().parents[2] / "noticeboard" / "samples"


@cache
def sample(path: str) -> str:
    return (SAMPLES / path).read_text(encoding="utf-8")


@cache
def parsed_sample(path: str) -> ParsedDraft:
    return parse_draft(sample(path))


@cache
def compared_samples(old: str, new: str) -> Comparison:
    return compare_texts(sample(old), sample(new))


def draft_of(*texts: str, first: int = 1) -> ParsedDraft:
    """A draft whose articles hold `texts`, numbered 第一条, 第二条, ... from `first`."""
    return ParsedDraft(
        preamble="",
        articles=tuple(
            Article(
                label=f"第{to_chinese_numeral(number)}条",
                number=str(number),
                heading_path=(),
                paragraphs=tuple(text.split("\n")),
            )
            for number, text in enumerate(texts, start=first)
        ),
    )
