"""Property tests: revise a generated law while recording the truth, and recover it; feed
the parser, the decoder and the differ arbitrary input and check they keep their promises.
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from noticeboard.diffing import (
    ChangeKind,
    DraftDecodeError,
    compare_drafts,
    compare_texts,
    decode_bytes,
    parse_draft,
)
from noticeboard.diffing.chardiff import char_diff
from tests.diffing.helpers import draft_of
from tests.diffing.revisions import (
    ONE_TO_ONE,
    Revision,
    assert_well_formed,
    longest_increasing_length,
    pinned_revisions,
    revisions,
)

FAST = settings(max_examples=60, deadline=None)


@FAST
@given(revisions())
def test_alignment_recovers_the_recorded_revision(revision: Revision) -> None:
    comparison = compare_drafts(draft_of(*revision.old), draft_of(*revision.new))
    assert_well_formed(comparison)
    found = {(change.old, change.new) for change in comparison.changes}
    assert found == revision.groups
    pairs = [
        (change.old[0], change.new[0]) for change in comparison.changes if change.kind in ONE_TO_ONE
    ]
    for change in comparison.changes:
        if change.kind in ONE_TO_ONE:
            same = (change.old[0], change.new[0]) in revision.identical
            assert (change.diff is None) == same
            assert change.kind is not ChangeKind.MODIFIED or not same
            assert change.kind not in (ChangeKind.UNCHANGED, ChangeKind.RENUMBERED) or same
    # Articles kept in place are in order with one another; the moved ones are as few as
    # the order allows.
    kept = [
        (c.old[0], c.new[0])
        for c in comparison.changes
        if c.kind in ONE_TO_ONE - {ChangeKind.MOVED}
    ]
    assert longest_increasing_length(kept) == len(kept)
    moved = len(pairs) - len(kept)
    assert moved <= len(pairs) - longest_increasing_length(pairs) + sum(
        1 for c in comparison.changes if c.kind in (ChangeKind.SPLIT, ChangeKind.MERGED)
    )


@FAST
@given(revisions())
def test_comparison_is_deterministic(revision: Revision) -> None:
    old, new = draft_of(*revision.old), draft_of(*revision.new)
    assert compare_drafts(old, new) == compare_drafts(old, new)


@FAST
@given(revisions())
def test_pinning_the_engine_result_changes_nothing(revision: Revision) -> None:
    old, new = draft_of(*revision.old), draft_of(*revision.new)
    first = compare_drafts(old, new)
    pins = [(change.old, change.new) for change in first.changes]
    assert compare_drafts(old, new, pinned=pins) == first


@FAST
@given(pinned_revisions())
def test_pins_are_honoured_and_the_rest_still_aligned(
    case: tuple[Revision, list[tuple[tuple[int, ...], tuple[int, ...]]]],
) -> None:
    revision, pins = case
    old, new = draft_of(*revision.old), draft_of(*revision.new)
    comparison = compare_drafts(old, new, pinned=pins)
    assert_well_formed(comparison)
    found = {(change.old, change.new) for change in comparison.changes}
    assert set(pins) <= found
    assert compare_drafts(old, new, pinned=pins) == comparison


LINES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "第一条 内容。",
            "第十二条之一",
            "第1条",
            "## 第一章 总则",
            "# 标题",
            "#",
            "<!-- INFO END -->",
            "---",
            "Article 5. Text",
            "#### Section 31A",
            "§ 2",
            "Chapter IV",
            "（一）项",
            "\u3000",
            "\ufeff",
        ]
    ),
)


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.text(), st.lists(LINES, max_size=30).map("\n".join)))
def test_parser_never_raises_and_keeps_every_article_well_formed(text: str) -> None:
    draft = parse_draft(text)
    for article in draft.articles:
        assert article.label == article.label.strip()
        assert "\n" not in article.label
        assert all("\n" not in paragraph for paragraph in article.paragraphs)
    assert all(warning.line >= 0 for warning in draft.warnings)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(LINES, max_size=20).map("\n".join),
    st.lists(LINES, max_size=20).map("\n".join),
)
def test_any_two_texts_compare_to_a_well_formed_json_shape(old: str, new: str) -> None:
    comparison = compare_texts(old, new)
    assert_well_formed(comparison)
    data = json.loads(json.dumps(comparison.to_dict(), ensure_ascii=False))
    assert set(data) == {"old", "new", "changes"}
    for change in data["changes"]:
        assert (
            {"kind", "old", "new", "similarity"}
            <= set(change)
            <= {
                "kind",
                "old",
                "new",
                "similarity",
                "diff",
                "reference_only",
            }
        )
        assert change.get("reference_only", True) is True
    assert compare_texts(old, new) == comparison


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_decoding_either_succeeds_or_raises_the_documented_error(data: bytes) -> None:
    message = ""
    try:
        text = decode_bytes(data)
    except DraftDecodeError as error:
        message = str(error)
    else:
        assert isinstance(text, str)
    assert not message or "line" in message


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_character_diff_spells_both_texts(old: str, new: str) -> None:
    ops = char_diff(old, new)
    assert "".join(text for op, text in ops if op <= 0) == old
    assert "".join(text for op, text in ops if op >= 0) == new
    assert all(text for _, text in ops)
