"""The diff engine: parse drafts into articles, align two versions, diff each article.

Pure Python, no Flask and no database; every value is a frozen dataclass, and the same input
always gives the same output.
"""

from noticeboard.diffing.align import align_articles
from noticeboard.diffing.compare import compare_drafts, compare_texts
from noticeboard.diffing.decode import DraftDecodeError, decode_bytes
from noticeboard.diffing.model import (
    Article,
    ArticleChange,
    ChangeKind,
    Comparison,
    ParsedDraft,
    ParseWarning,
)
from noticeboard.diffing.parse import parse_draft

__all__ = [
    "Article",
    "ArticleChange",
    "ChangeKind",
    "Comparison",
    "DraftDecodeError",
    "ParseWarning",
    "ParsedDraft",
    "align_articles",
    "compare_drafts",
    "compare_texts",
    "decode_bytes",
    "parse_draft",
]
