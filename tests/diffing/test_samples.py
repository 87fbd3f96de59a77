"""Comparisons of the real sample laws; expected figures were checked by reading the texts."""

from __future__ import annotations

from noticeboard.diffing import ChangeKind, Comparison, compare_texts
from tests.diffing.helpers import compared_samples, sample

TRADE = ("cn/duiwai-maoyifa/2016.txt", "cn/duiwai-maoyifa/2022.txt")
FOOD = ("cn/shipin-anquanfa/2015.txt", "cn/shipin-anquanfa/2021.txt")
MINORS = ("cn/weichengnianren-baohufa/2020.txt", "cn/weichengnianren-baohufa/2024.txt")
VERMONT = (
    "en/vermont-constitution-1964-2010/1964.txt",
    "en/vermont-constitution-1964-2010/2010.txt",
)


def nonzero(comparison: Comparison) -> dict[str, int]:
    return {kind: count for kind, count in comparison.counts().items() if count}


def test_foreign_trade_law_article_9_deleted_and_the_rest_renumbered() -> None:
    comparison = compared_samples(*TRADE)
    assert nonzero(comparison) == {"unchanged": 8, "renumbered": 55, "modified": 6, "deleted": 1}
    deleted = [change for change in comparison.changes if change.kind is ChangeKind.DELETED]
    assert [(change.old_labels, change.old) for change in deleted] == [(("第九条",), (8,))]
    # The deletion stands where article 9 stood: after article 8, before old article 10.
    kinds = [change.kind for change in comparison.changes]
    assert kinds.index(ChangeKind.DELETED) == 8
    assert comparison.changes[9].old_labels == ("第十条",)
    assert comparison.changes[9].new_labels == ("第九条",)
    # Every later article keeps its text under a number one lower.
    for change in comparison.changes[9:]:
        assert change.old[0] == change.new[0] + 1
        assert change.kind in (ChangeKind.RENUMBERED, ChangeKind.MODIFIED)


def test_foreign_trade_law_six_articles_changed_only_in_cross_references() -> None:
    comparison = compared_samples(*TRADE)
    modified = [change for change in comparison.changes if change.kind is ChangeKind.MODIFIED]
    assert [(change.old_labels[0], change.new_labels[0]) for change in modified] == [
        ("第十八条", "第十七条"),
        ("第二十八条", "第二十七条"),
        ("第三十七条", "第三十六条"),
        ("第六十条", "第五十九条"),
        ("第六十三条", "第六十二条"),
        ("第六十四条", "第六十三条"),
    ]
    assert all(change.reference_only for change in modified)
    first = modified[0]
    assert first.diff is not None
    assert [op for op in first.diff if op[0] != 0][:2] == [(-1, "十六"), (1, "十五")]


def test_foreign_trade_law_width_only_differences_are_renumbered_not_modified() -> None:
    # Old 第十六条 ends its first line with ":", new 第十五条 with a full-width "：".
    comparison = compared_samples(*TRADE)
    by_old = {change.old_labels: change for change in comparison.changes if change.old_labels}
    old_16 = by_old[("第十六条",)]
    assert (
        comparison.old.articles[old_16.old[0]].text != comparison.new.articles[old_16.new[0]].text
    )
    assert old_16.kind is ChangeKind.RENUMBERED
    assert old_16.similarity == 1.0
    assert "diff" not in old_16.to_dict()


def test_food_safety_law_68_articles_reworded_in_place() -> None:
    comparison = compared_samples(*FOOD)
    assert nonzero(comparison) == {"unchanged": 86, "modified": 68}
    for change in comparison.changes:
        assert change.old == change.new
        assert change.old_labels == change.new_labels
    fifth = next(change for change in comparison.changes if change.old_labels == ("第五条",))
    assert fifth.kind is ChangeKind.MODIFIED
    assert fifth.diff is not None
    assert [op for op in fifth.diff if op[0] != 0] == [
        (-1, "药品"),
        (1, "安全"),
        (-1, "药品"),
        (1, "安全"),
    ]
    assert not any(change.reference_only for change in comparison.changes)


def test_minors_protection_law_one_article_rewritten() -> None:
    comparison = compared_samples(*MINORS)
    assert nonzero(comparison) == {"unchanged": 131, "modified": 1}
    (changed,) = [change for change in comparison.changes if change.kind is ChangeKind.MODIFIED]
    assert changed.old_labels == changed.new_labels == ("第九条",)
    assert changed.similarity is not None
    assert 0.3 < changed.similarity < 0.5
    # 第九十五条 only gained a space inside a word in 2024.
    by_label = {change.old_labels: change for change in comparison.changes}
    assert by_label[("第九十五条",)].kind is ChangeKind.UNCHANGED


def test_civil_code_against_itself_is_all_unchanged() -> None:
    text = sample("cn/civilcode-2020.txt")
    comparison = compare_texts(text, text)
    assert nonzero(comparison) == {"unchanged": 1260}
    assert [change.old for change in comparison.changes] == [(i,) for i in range(1260)]
    assert all(change.old == change.new for change in comparison.changes)


def test_vermont_articles_and_sections_align_by_kind() -> None:
    comparison = compared_samples(*VERMONT)
    every_change_has_one_kind_of_label = all(
        {label.split()[0] for label in change.old_labels + change.new_labels} <= {"Article"}
        or {label.split()[0] for label in change.old_labels + change.new_labels} <= {"Section"}
        for change in comparison.changes
    )
    assert every_change_has_one_kind_of_label
    # The 21 articles of the declaration of rights keep their numbers; 2010 added captions.
    for index in range(21):
        change = comparison.changes[index]
        assert change.old == change.new == (index,)
        assert change.kind is ChangeKind.MODIFIED
    # The 1974 judiciary article replaced old section 29 with new sections 29 to 37.
    by_old = {change.old_labels: change for change in comparison.changes if change.old_labels}
    assert by_old[("Section 29",)].kind is ChangeKind.DELETED
    assert by_old[("Section 30",)].new_labels == ("Section 38",)
    assert by_old[("Section 70",)].new_labels == ("Section 75",)
