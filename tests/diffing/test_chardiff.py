from __future__ import annotations

import pytest

from noticeboard.diffing.chardiff import char_diff
from noticeboard.diffing.model import DiffOps
from tests.diffing.helpers import parsed_sample


def spells(ops: DiffOps, old: str, new: str) -> bool:
    return (
        "".join(t for op, t in ops if op <= 0) == old
        and "".join(t for op, t in ops if op >= 0) == new
    )


def test_identical_and_empty_texts() -> None:
    assert char_diff("同一", "同一") == ((0, "同一"),)
    assert char_diff("", "") == ()
    assert char_diff("", "新") == ((1, "新"),)
    assert char_diff("旧", "") == ((-1, "旧"),)


def test_replaced_word_is_one_deletion_and_one_insertion() -> None:
    ops = char_diff("由县级人民政府负责", "由省级人民政府负责")
    assert ops == ((0, "由"), (-1, "县"), (1, "省"), (0, "级人民政府负责"))


def test_changed_number_is_shown_whole() -> None:
    ops = char_diff("依照本法第三十一条规定", "依照本法第三十条规定")
    assert ops == ((0, "依照本法第"), (-1, "三十一"), (1, "三十"), (0, "条规定"))
    ops = char_diff("see Article 12 below", "see Article 11 below")
    assert ops == ((0, "see Article "), (-1, "12"), (1, "11"), (0, " below"))


def test_tiny_equalities_between_changes_are_absorbed() -> None:
    # Without the cleanup this reads 登 struck, 记 kept, 载 inserted.
    assert char_diff("应当登记", "应当记载") == ((0, "应当"), (-1, "登记"), (1, "记载"))


def test_punctuation_between_changes_is_kept_as_a_boundary() -> None:
    assert (0, "，。") in char_diff("甲，。乙", "丙，。丁丁丁")
    # The same shape with two letters in the middle is one replaced phrase.
    assert char_diff("甲之中乙", "丙之中丁丁丁") == ((-1, "甲之中乙"), (1, "丙之中丁丁丁"))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("第十六条、第十七条", "第十五条、第十六条"),
        ("abc", "xbz"),
        ("一二三四五", "五四三二一"),
        ("国务院食品药品监督管理部门", "国务院食品安全监督管理部门"),
        ("line one\nline two", "line one\nline 2"),
    ],
)
def test_ops_always_spell_both_texts(old: str, new: str) -> None:
    assert spells(char_diff(old, new), old, new)


def test_every_reworded_food_safety_article_diffs_cleanly() -> None:
    old = parsed_sample("cn/shipin-anquanfa/2015.txt").articles
    new = parsed_sample("cn/shipin-anquanfa/2021.txt").articles
    changed = 0
    for before, after in zip(old, new, strict=True):
        if before.text == after.text:
            continue
        changed += 1
        ops = char_diff(before.text, after.text)
        assert spells(ops, before.text, after.text)
        # No equal run of one or two letters is left stranded between two edits.
        for position in range(1, len(ops) - 1):
            op, text = ops[position]
            if op == 0 and ops[position - 1][0] != 0 and ops[position + 1][0] != 0:
                assert len(text) > 2 or not text.isalnum()
    assert changed == 68


def test_food_safety_article_14_reads_as_phrases() -> None:
    old = parsed_sample("cn/shipin-anquanfa/2015.txt").articles[13]
    new = parsed_sample("cn/shipin-anquanfa/2021.txt").articles[13]
    assert old.label == new.label == "第十四条"
    edits = [(op, text) for op, text in char_diff(old.text, new.text) if op != 0]
    # 食品药品监督管理 became 食品安全监督管理 and the quality inspectorate was dropped.
    assert edits == [
        (-1, "药品"),
        (1, "安全"),
        (-1, "、质量监督"),
        (-1, "药品"),
        (1, "安全"),
        (-1, "药品"),
        (1, "安全"),
        (-1, "、质量监督"),
    ]


def test_huge_rewrites_are_one_replacement_between_the_common_ends() -> None:
    old = "甲" * 30_000 + "旧的中间部分" * 5_000 + "乙" * 30_000
    new = "甲" * 30_000 + "新的中间内容" * 5_000 + "乙" * 30_000
    ops = char_diff(old, new)
    assert [op for op, _ in ops] == [0, -1, 1, 0]
    assert spells(ops, old, new)
