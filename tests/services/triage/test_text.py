"""Terms and rarity weights for matching (issue 18, part 2)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from noticeboard.services.triage.text import Phrase, Rarity, cosine, in_edit, sides_of, terms


def test_chinese_is_cut_into_bigrams_and_english_into_words() -> None:
    assert terms("县级以上") == ["县级", "级以", "以上"]
    assert terms("Please replace the Governor's veto") == ["replace", "governor's", "veto"]
    # Full-width letters fold to half-width, and case goes.
    assert terms("ＡＢＣ abc") == ["abc", "abc"]


def test_empty_and_punctuation_only_texts_have_no_terms() -> None:
    assert terms("") == []
    assert terms("。。。！！！，，") == []
    assert Rarity([["未成"]]).vector(terms("！！！")) == {}


def test_a_term_common_in_the_law_weighs_little() -> None:
    law = [
        ["未成", "成年", "年人", "学校"],
        ["未成", "成年", "年人"],
        ["未成", "成年", "年人", "网络"],
    ]
    rarity = Rarity(law)
    assert rarity.idf("成年") < rarity.idf("网络") < rarity.idf("从未见过")


def test_a_hundred_thousand_characters_are_read_in_part() -> None:
    assert len(terms("很好" * 50_000)) < 20_000


def test_phrases_are_found_only_where_they_touch_the_edit() -> None:
    sides = sides_of([[0, "由"], [-1, "县级"], [1, "省级"], [0, "人民政府负责"]], "", "")
    assert in_edit("县级人民政府", sides.old, sides.deleted)
    assert in_edit("省级", sides.new, sides.inserted)
    assert not in_edit("人民政府", sides.new, sides.inserted)
    assert Phrase.of("“县级”").text == "“县级”"


def test_english_words_are_matched_whole() -> None:
    sides = sides_of([[0, "the "], [-1, "he"], [1, "they"], [0, " said"]], "", "")
    assert in_edit("he", sides.old, sides.deleted)
    assert not in_edit("he", sides_of([[-1, "t"], [0, "he"]], "", "").old, ((0, 1),))


@given(st.text(max_size=200), st.text(max_size=200))
def test_cosine_is_bounded(a: str, b: str) -> None:
    rarity = Rarity([terms(a), terms(b), ["x"]])
    value = cosine(rarity.vector(terms(a)), rarity.vector(terms(b)))
    assert 0.0 <= value <= 1.0
