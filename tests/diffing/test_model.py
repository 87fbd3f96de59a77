from __future__ import annotations

import dataclasses
import json

import pytest

from noticeboard.diffing import (
    Article,
    ArticleChange,
    ChangeKind,
    Comparison,
    ParsedDraft,
    compare_drafts,
)
from tests.diffing.helpers import compared_samples, draft_of


def test_values_are_frozen() -> None:
    article = Article("第一条", "1", (), ("甲。",))
    with pytest.raises(dataclasses.FrozenInstanceError):
        article.label = "第二条"  # type: ignore[misc]


def test_article_text_joins_paragraphs_with_line_breaks() -> None:
    assert Article("第一条", "1", (), ("甲。", "乙。")).text == "甲。\n乙。"
    assert Article("第一条", "1", (), ()).text == ""


def test_to_dict_has_exactly_the_documented_shape() -> None:
    comparison = compared_samples("cn/duiwai-maoyifa/2016.txt", "cn/duiwai-maoyifa/2022.txt")
    data = comparison.to_dict()
    assert set(data) == {"old", "new", "changes"}
    assert data["old"] == {"articles": 70}
    assert data["new"] == {"articles": 69}
    assert data["changes"][0] == {
        "kind": "unchanged",
        "old": ["第一条"],
        "new": ["第一条"],
        "similarity": 1.0,
    }
    assert data["changes"][8] == {
        "kind": "deleted",
        "old": ["第九条"],
        "new": [],
        "similarity": None,
    }
    modified = next(change for change in data["changes"] if change["kind"] == "modified")
    assert set(modified) == {"kind", "old", "new", "similarity", "diff", "reference_only"}
    assert modified["reference_only"] is True
    assert all(isinstance(op, list) and len(op) == 2 for op in modified["diff"])
    # It is JSON as it stands.
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_reference_only_key_appears_only_when_true() -> None:
    comparison = compare_drafts(draft_of("甲乙丙丁。"), draft_of("甲乙丙戊。"))
    (change,) = comparison.to_dict()["changes"]
    assert change["kind"] == "modified"
    assert "reference_only" not in change


def change(kind: ChangeKind, similarity: float | None) -> ArticleChange:
    return ArticleChange(kind, (0,), (0,), ("第一条",), ("第一条",), similarity)


def test_similarity_is_rounded_to_three_decimals_and_never_reads_identical() -> None:
    assert change(ChangeKind.MODIFIED, 0.123456).to_dict()["similarity"] == 0.123
    assert change(ChangeKind.MODIFIED, 0.99996).to_dict()["similarity"] == 0.999
    assert change(ChangeKind.UNCHANGED, 1.0).to_dict()["similarity"] == 1.0
    assert change(ChangeKind.ADDED, None).to_dict()["similarity"] is None


def test_counts_lists_every_kind_in_a_fixed_order() -> None:
    empty = ParsedDraft("", ())
    counts = Comparison(empty, empty, ()).counts()
    assert list(counts) == [
        "unchanged",
        "renumbered",
        "modified",
        "moved",
        "added",
        "deleted",
        "split",
        "merged",
    ]
    assert set(counts.values()) == {0}


def test_chapters_of_a_draft() -> None:
    draft = ParsedDraft(
        "",
        (
            Article("第一条", "1", ("第一章",), ()),
            Article("第二条", "2", ("第一章",), ()),
            Article("第三条", "3", ("第二章",), ()),
        ),
    )
    assert draft.chapters() == (("第一章",), ("第二章",))


def test_change_kind_is_a_string() -> None:
    assert ChangeKind.SPLIT == "split"
    assert json.dumps(ChangeKind.MERGED) == '"merged"'
