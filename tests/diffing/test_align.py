from __future__ import annotations

import time

import pytest

from noticeboard.diffing import ChangeKind, align_articles, compare_drafts
from tests.diffing.helpers import draft_of

A = "国家实行统一的对外贸易制度，鼓励发展对外贸易，维护公平、自由的对外贸易秩序。"
B = "国务院对外贸易主管部门依照本法主管全国对外贸易工作。"
C = "对外贸易经营者可以接受他人的委托，在经营范围内代为办理对外贸易业务。"
D = "从事国际服务贸易，应当遵守本法和其他有关法律、行政法规的规定。"
E = "国家可以对部分货物的进出口实行国营贸易管理，具体办法由国务院规定。"
F = "任何单位和个人不得伪造、变造进出口货物原产地标记，不得伪造、变造或者买卖进出口许可证。"


Pins = list[tuple[tuple[int, ...], tuple[int, ...]]]


def summary(
    old: tuple[str, ...], new: tuple[str, ...], pinned: Pins | None = None
) -> list[tuple[str, tuple[int, ...], tuple[int, ...]]]:
    comparison = compare_drafts(draft_of(*old), draft_of(*new), pinned=pinned or ())
    return [(change.kind.value, change.old, change.new) for change in comparison.changes]


def test_identical_drafts_are_unchanged() -> None:
    assert summary((A, B, C), (A, B, C)) == [
        ("unchanged", (0,), (0,)),
        ("unchanged", (1,), (1,)),
        ("unchanged", (2,), (2,)),
    ]


def test_whitespace_and_width_alone_are_not_changes() -> None:
    wide = A.replace("，", ",").replace("、", "、 ") + "\u3000"
    assert summary((A, B), (wide, B))[0] == ("unchanged", (0,), (0,))


def test_deletion_renumbers_the_rest_and_stands_where_it_was() -> None:
    assert summary((A, B, C, D), (A, C, D)) == [
        ("unchanged", (0,), (0,)),
        ("deleted", (1,), ()),
        ("renumbered", (2,), (1,)),
        ("renumbered", (3,), (2,)),
    ]


def test_deletion_at_the_start_comes_first() -> None:
    assert summary((A, B, C), (B, C))[0] == ("deleted", (0,), ())


def test_insertion_is_added_in_new_order() -> None:
    assert summary((A, B, C), (A, D, B, C)) == [
        ("unchanged", (0,), (0,)),
        ("added", (), (1,)),
        ("renumbered", (1,), (2,)),
        ("renumbered", (2,), (3,)),
    ]


def test_edit_in_place_is_modified() -> None:
    edited = B.replace("主管全国", "负责全国")
    assert summary((A, B, C), (A, edited, C))[1] == ("modified", (1,), (1,))


def test_article_taken_out_of_its_place_is_moved() -> None:
    assert summary((A, B, C, D, E), (A, C, D, B, E)) == [
        ("unchanged", (0,), (0,)),
        ("renumbered", (2,), (1,)),
        ("renumbered", (3,), (2,)),
        ("moved", (1,), (3,)),
        ("unchanged", (4,), (4,)),
    ]


def test_moved_and_edited_is_moved_with_a_diff() -> None:
    edited = E.replace("具体办法", "实施办法")
    comparison = compare_drafts(draft_of(A, B, C, D, E), draft_of(edited, A, B, C, D))
    first = comparison.changes[0]
    assert (first.kind, first.old, first.new) == (ChangeKind.MOVED, (4,), (0,))
    assert first.diff is not None
    assert (-1, "具体") in first.diff


def test_split_into_consecutive_articles() -> None:
    comparison = compare_drafts(draft_of(A, B + C, D), draft_of(A, B, C, D))
    assert [(c.kind.value, c.old, c.new) for c in comparison.changes] == [
        ("unchanged", (0,), (0,)),
        ("split", (1,), (1, 2)),
        ("renumbered", (2,), (3,)),
    ]
    split = comparison.changes[1]
    # Cut at a paragraph break, the text itself is unchanged: no diff to show.
    assert split.similarity == 1.0
    assert split.diff is None


def test_split_with_edits_carries_a_diff_of_the_joined_texts() -> None:
    edited = C.replace("代为办理", "办理")
    comparison = compare_drafts(draft_of(A, B + C, D), draft_of(A, B, edited, D))
    split = comparison.changes[1]
    assert (split.kind, split.new) == (ChangeKind.SPLIT, (1, 2))
    assert split.diff is not None
    assert (-1, "代为") in split.diff
    assert (1, "\n") in split.diff  # the cut between the two new articles


def test_merge_of_consecutive_articles() -> None:
    comparison = compare_drafts(draft_of(A, B, C, D), draft_of(A, B + C, D))
    assert [(c.kind.value, c.old, c.new) for c in comparison.changes] == [
        ("unchanged", (0,), (0,)),
        ("merged", (1, 2), (1,)),
        ("renumbered", (3,), (2,)),
    ]


def test_split_in_three_without_a_main_piece() -> None:
    whole = C + D + E
    comparison = compare_drafts(draft_of(A, whole, F), draft_of(A, C, D, E, F))
    assert (comparison.changes[1].kind, comparison.changes[1].new) == (ChangeKind.SPLIT, (1, 2, 3))


def test_pins_are_honoured_even_against_the_text() -> None:
    # Staff say old B became new C (and old C is gone), whatever the texts say.
    result = summary((A, B, C), (A, C), pinned=[((1,), (1,))])
    assert ("modified", (1,), (1,)) in result
    assert ("deleted", (2,), ()) in result


def test_pins_can_force_a_split_a_merge_an_addition_or_a_deletion() -> None:
    assert ("split", (0,), (0, 1)) in summary((A,), (B, C), pinned=[((0,), (0, 1))])
    assert ("merged", (0, 1), (0,)) in summary((A, B), (C,), pinned=[((1, 0), (0,))])
    assert summary((A,), (A,), pinned=[((0,), ()), ((), (0,))]) == [
        ("deleted", (0,), ()),
        ("added", (), (0,)),
    ]


@pytest.mark.parametrize(
    ("pins", "message"),
    [
        ([((5,), (0,))], "old article 5, which does not exist"),
        ([((0,), (0,)), ((0,), (1,))], "old article 0 twice"),
        ([((0, 1), (0, 1))], "several to several"),
        ([((), ())], "at least one"),
    ],
)
def test_impossible_pins_are_refused(pins: Pins, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        align_articles(draft_of(A, B).articles, draft_of(A, B).articles, pins)


def test_unrelated_texts_are_deleted_and_added_not_paired() -> None:
    unrelated = "Completely different content in another language altogether."
    assert summary((A, B, C), (A, unrelated, unrelated + " More.", C)) == [
        ("unchanged", (0,), (0,)),
        ("deleted", (1,), ()),
        ("added", (), (1,)),
        ("added", (), (2,)),
        ("renumbered", (2,), (3,)),
    ]


def test_repeated_identical_articles_pair_in_place() -> None:
    deleted_text = "（删除）"
    result = summary((A, deleted_text, B, deleted_text, C), (A, deleted_text, B, C, deleted_text))
    assert result[:3] == [
        ("unchanged", (0,), (0,)),
        ("unchanged", (1,), (1,)),
        ("unchanged", (2,), (2,)),
    ]


def test_empty_drafts() -> None:
    assert summary((), ()) == []
    assert summary((A,), ()) == [("deleted", (0,), ())]
    assert summary((), (A,)) == [("added", (), (0,))]


def test_huge_articles_compare_in_bounded_time() -> None:
    # Similarity is quadratic in text length; a hostile 400,000-character article must not
    # stall the comparison (it took 25 s before keys were bounded).
    body = "".join(chr(0x4E00 + (index * 7919) % 20_000) for index in range(400_000))
    edited = body[:200_000] + "新增内容" + body[200_000:]
    started = time.perf_counter()
    comparison = compare_drafts(draft_of(A, body), draft_of(A, edited))
    assert time.perf_counter() - started < 5
    assert [(c.kind, c.old, c.new) for c in comparison.changes][1] == (
        ChangeKind.MODIFIED,
        (1,),
        (1,),
    )
