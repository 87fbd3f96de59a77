"""Scoring an opinion against the changes of a comparison (issue 18, part 2)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from noticeboard.services.demo.requests import RequestGenerator
from noticeboard.services.triage.scoring import (
    LIKELY,
    ArticleRef,
    ChangeDoc,
    ComparisonIndex,
    OpinionDoc,
)

ARTICLES = [
    ArticleRef("k1", "第一条", ("第一章 总则",), "为了保护未成年人，制定本法。"),
    ArticleRef("k2", "第二条", ("第一章 总则",), "未成年人保护工作由县级人民政府民政部门负责。"),
    ArticleRef("k3", "第三条", ("第一章 总则",), "学校应当保障未成年人的受教育权。"),
    ArticleRef("k4", "第四条", ("第二章 家庭",), "父母应当履行监护职责。"),
]
NEXT = [
    ArticleRef("k1", "第一条", ("第一章 总则",), "为了保护未成年人，制定本法。"),
    ArticleRef("k2", "第二条", ("第一章 总则",), "未成年人保护工作由省级人民政府民政部门负责。"),
    ArticleRef("k3", "第三条", ("第一章 总则",), "学校应当保障未成年人的受教育权。"),
    ArticleRef("k4", "第四条", ("第二章 家庭",), "父母应当履行监护职责。"),
    ArticleRef(
        "n5", "第五条", ("第二章 家庭",), "国家建立网络保护制度，防止未成年人沉迷网络游戏。"
    ),
]
EDITED = ChangeDoc(
    change_id=10,
    ordinal=1,
    keys=frozenset({"k2"}),
    chapters=frozenset({("第一章 总则",)}),
    old_text=ARTICLES[1].text,
    new_text=NEXT[1].text,
    diff=((0, "未成年人保护工作由"), (-1, "县级"), (1, "省级"), (0, "人民政府民政部门负责。")),
)
ADDED = ChangeDoc(20, 4, frozenset({"n5"}), frozenset({("第二章 家庭",)}), "", NEXT[4].text)
INDEX = ComparisonIndex([EDITED, ADDED], ARTICLES)


def best(text: str, keys: frozenset[str] = frozenset()):  # type: ignore[no-untyped-def]
    return INDEX.score(OpinionDoc(1, text, keys))


def test_a_quoted_replacement_on_the_cited_article_is_likely() -> None:
    top = best("建议将第二条“县级”改为“省级”。")[0]
    assert top.change_id == 10
    assert top.likely
    assert (top.article, top.quoted, top.against) == (1.0, 1.0, 0.0)


def test_the_linked_article_counts_like_a_cited_one() -> None:
    assert best("“县级”改为“省级”", frozenset({"k2"}))[0].article == 1.0


def test_a_wrong_article_number_loses_to_the_quoted_edit() -> None:
    top = best("建议将第四条“县级”改为“省级”。")[0]
    assert top.change_id == 10
    assert top.quoted == 1.0
    assert top.article == 0.0


def test_an_added_article_is_found_by_its_wording() -> None:
    top = best("希望增加网络保护制度，防止孩子沉迷网络游戏。")[0]
    assert top.change_id == 20
    assert top.similar > 0.3


def test_evidence_against_a_replacement_the_next_version_does_not_make() -> None:
    # 民政部门 is still there in the next version: the change did something else.
    scored = best("建议将第二条“民政部门”改为“教育部门”。")
    assert all(not s.likely for s in scored)


def test_evidence_against_an_addition_still_missing() -> None:
    scored = best("建议第五条增加“设立专项基金”。")
    assert all(s.against > 0 for s in scored if s.change_id == 20)
    assert all(not s.likely for s in scored)


def test_bad_input() -> None:
    assert best("") == []
    assert best("。。。，，！") == []
    assert best("“县级”改为“省级”" + "好" * 100_000)[0].change_id == 10
    english = best("Please change county level to provincial level in Article 2.")
    assert english
    assert english[0].change_id == 10
    assert english[0].article == 1.0


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300), st.sets(st.sampled_from(["k1", "k2", "k3", "k4", "zz"])))
def test_scores_and_parts_are_bounded(text: str, keys: set[str]) -> None:
    for scored in best(text, frozenset(keys)):
        for value in (scored.score, scored.article, scored.quoted, scored.similar, scored.against):
            assert 0.0 <= value <= 1.0
        assert scored.score > 0.0


def test_generated_opinions_carry_their_truth() -> None:
    generator = RequestGenerator([EDITED, ADDED], ARTICLES, NEXT, seed=5)
    made = list(generator.stream(400, campaign_share=0.1))
    assert len(made) == 400
    assert len({g.text for g in made}) > 250  # varied, not a handful of templates
    assert {g.style for g in made} >= {"exact", "no_article", "wrong_article", "paraphrase",
                                       "kept", "lacking", "off_topic"}  # fmt: skip
    asking = [g for g in made if g.truth]
    hits = sum(1 for g in asking if best(g.text, frozenset(g.article_keys))[:1] and
               best(g.text, frozenset(g.article_keys))[0].change_id in g.truth)  # fmt: skip
    assert hits / len(asking) > 0.9
    silent = [g for g in made if not g.truth]
    false = sum(
        1 for g in silent if any(s.score >= LIKELY for s in best(g.text, frozenset(g.article_keys)))
    )
    assert false / len(silent) < 0.1
    assert RequestGenerator([EDITED], ARTICLES, NEXT, seed=5).draw("exact") == RequestGenerator(
        [EDITED], ARTICLES, NEXT, seed=5
    ).draw("exact")
