from __future__ import annotations

from noticeboard.diffing import ChangeKind, compare_drafts, parse_draft
from noticeboard.diffing.references import is_reference_only, may_be_renumbering
from tests.diffing.helpers import draft_of

SHIFT = {("条", "16"): "15", ("条", "17"): "16", ("条", "18"): "17", ("条", "5"): "5"}


def test_renumbered_reference_is_reference_only() -> None:
    assert is_reference_only("依照本法第十六条规定", "依照本法第十五条规定", SHIFT)


def test_lists_and_ranges_follow_the_renumbering() -> None:
    assert is_reference_only("第十六条、第十七条", "第十五条、第十六条", SHIFT)
    assert is_reference_only("第十六条至第十八条", "第十五条至第十七条", SHIFT)
    assert is_reference_only("第十六、十七条", "第十五、十六条", SHIFT)
    assert is_reference_only("第16条", "第十五条", SHIFT)
    assert is_reference_only("依本法第十六條規定", "依本法第十五條規定", SHIFT)


def test_a_reference_that_does_not_follow_the_alignment_is_a_real_edit() -> None:
    assert not is_reference_only("依照本法第十六条规定", "依照本法第十四条规定", SHIFT)
    # Article 9 was deleted: a reference to it cannot have been renumbered.
    assert not is_reference_only("依照第九条规定", "依照第八条规定", SHIFT)


def test_other_edits_rule_it_out() -> None:
    assert not is_reference_only("依照本法第十六条规定", "根据本法第十五条规定", SHIFT)


def test_references_to_other_laws_are_not_renumbered() -> None:
    old = "依照《中华人民共和国刑法》第十六条、第十七条处理"
    assert not is_reference_only(old, old.replace("十六", "十五").replace("十七", "十六"), SHIFT)
    assert is_reference_only(
        "依照本法第十六条和《刑法》第五条", "依照本法第十五条和《刑法》第五条", SHIFT
    )


def test_english_references() -> None:
    numbers = {("article", "12"): "11", ("section", "5"): "4", ("section", "6"): "5"}
    assert is_reference_only("as provided in Article 12.", "as provided in Article 11.", numbers)
    assert is_reference_only("sections 5 and 6 apply", "sections 4 and 5 apply", numbers)
    assert is_reference_only("See § 5.", "See § 4.", numbers)
    assert not is_reference_only("See Article 12.", "See Article 12A.", numbers)


def test_identical_texts_are_not_reference_only() -> None:
    assert not is_reference_only("第十六条", "第十六条", SHIFT)


def test_screen_on_the_diff() -> None:
    assert may_be_renumbering(((0, "依照本法第"), (-1, "十六"), (1, "十五"), (0, "条")))
    assert may_be_renumbering(((0, "Article "), (-1, "12"), (1, "11")))
    assert not may_be_renumbering(((0, "依照"), (-1, "本法"), (1, "该法")))


def test_whole_comparison_marks_reference_only_changes() -> None:
    old = draft_of(
        "总则。",
        "本条将被删除。",
        "本条被引用。",
        "依照本法第三条规定处理。",
        "依照本法第三条从重处理。",
    )
    new = draft_of("总则。", "本条被引用。", "依照本法第二条规定处理。", "依照本法第二条从轻处理。")
    changes = compare_drafts(old, new).changes
    assert [(c.kind, c.reference_only) for c in changes] == [
        (ChangeKind.UNCHANGED, False),
        (ChangeKind.DELETED, False),
        (ChangeKind.RENUMBERED, False),
        (ChangeKind.MODIFIED, True),
        (ChangeKind.MODIFIED, False),
    ]


def test_english_draft_with_renumbered_sections() -> None:
    old = parse_draft("Section 1\nGone.\nSection 2\nKept.\nSection 3\nAs in section 2.\n")
    new = parse_draft("Section 1\nKept.\nSection 2\nAs in section 1.\n")
    changes = compare_drafts(old, new).changes
    assert [(c.kind, c.reference_only) for c in changes] == [
        (ChangeKind.DELETED, False),
        (ChangeKind.RENUMBERED, False),
        (ChangeKind.MODIFIED, True),
    ]
