"""Reading what an opinion asks for (issue 18, part 2)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from noticeboard.services.triage.requests import Citation, label_citation, read_request


def test_replacement_in_chinese() -> None:
    request = read_request("建议将第十二条中的“县级以上人民政府”改为“省级人民政府”。")
    assert request.replacements == (("县级以上人民政府", "省级人民政府"),)
    assert request.cited == (Citation("", "12"),)


def test_replacement_with_other_marks_and_a_comma() -> None:
    assert read_request("「县级」，建议修改为「省级」").replacements == (("县级", "省级"),)
    assert read_request('Replace "county" with "state" in Article 4.').replacements == (
        ("county", "state"),
    )
    assert read_request('Change "men" to "persons".').replacements == (("men", "persons"),)


def test_additions_and_deletions() -> None:
    request = read_request("建议增加“网络保护”的内容，删去“一律”。")
    assert request.additions == ("网络保护",)
    assert request.deletions == ("一律",)
    english = read_request('Please add "a right to privacy" and delete "forever".')
    assert english.additions == ("a right to privacy",)
    assert english.deletions == ("forever",)


def test_cited_articles_in_both_languages() -> None:
    assert read_request("第一百零三条和第12条之一").cited == (
        Citation("", "103"),
        Citation("", "12-1"),
    )
    assert read_request("See Section 31A and art. 2").cited == (
        Citation("section", "31a"),
        Citation("article", "2"),
    )
    # A number inside a quote is the law's own cross-reference, not the article meant.
    assert read_request("建议将“依照本法第七条”改为“依照本法第八条”").cited == ()


def test_labels_give_the_same_citations() -> None:
    assert label_citation("第十二条之一") == Citation("", "12-1")
    assert label_citation("Article 12") == Citation("article", "12")
    assert label_citation("前言") is None


def test_vague_text_asks_for_nothing() -> None:
    request = read_request("我觉得这部法律很好。")
    assert not request.asks_for_wording
    assert request.quotes == ()


@given(st.text(max_size=400))
def test_any_text_is_read_without_error(text: str) -> None:
    request = read_request(text)
    assert all(phrase for phrase in request.quotes)
