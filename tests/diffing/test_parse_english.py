from __future__ import annotations

from noticeboard.diffing import parse_draft
from tests.diffing.helpers import parsed_sample

VERMONT_1964 = "en/vermont-constitution-1964-2010/1964.txt"
VERMONT_2010 = "en/vermont-constitution-1964-2010/2010.txt"


def test_vermont_articles_in_chapter_one_and_sections_in_chapter_two() -> None:
    for path, sections in ((VERMONT_1964, 70), (VERMONT_2010, 76)):
        draft = parsed_sample(path)
        expected = [f"Article {n}" for n in range(1, 22)]
        expected += [f"Section {n}" for n in range(1, sections + 1)]
        assert [article.label for article in draft.articles] == expected
        assert draft.warnings == ()
        assert draft.preamble == "Constitution of the State of Vermont"
        assert all(
            article.heading_path[0].startswith("Chapter I:") for article in draft.articles[:21]
        )
        assert all(
            article.heading_path[0] == "Chapter II: Plan or Frame of Government"
            for article in draft.articles[21:]
        )


def test_front_matter_is_skipped() -> None:
    draft = parsed_sample(VERMONT_1964)
    assert "changeTitle" not in draft.preamble
    assert all("changeTitle" not in article.text for article in draft.articles)


def test_unnumbered_heading_is_a_container_not_an_article() -> None:
    draft = parsed_sample(VERMONT_2010)
    by_label = {article.label: article for article in draft.articles}
    assert by_label["Section 6"].heading_path == (
        "Chapter II: Plan or Frame of Government",
        "Delegation And Distribution of Powers",
        "Legislative Department",
    )
    assert by_label["Section 20"].heading_path == (
        "Chapter II: Plan or Frame of Government",
        "Executive Department",
    )
    assert "Legislative Department" not in by_label["Section 5"].text


def test_caption_on_the_heading_line_is_the_first_paragraph() -> None:
    article = parsed_sample(VERMONT_2010).articles[0]
    assert article.label == "Article 1"
    assert article.number == "1"
    assert (
        article.paragraphs[0] == "[All persons born free; their natural rights; slavery prohibited]"
    )


def test_a_section_heading_at_a_shallower_level_is_still_a_section() -> None:
    # The 1964 text marks its last section with ### instead of ####.
    last = parsed_sample(VERMONT_1964).articles[-1]
    assert last.label == "Section 70"
    assert last.heading_path[-1] == "Temporary Provisions"


def test_plain_english_with_parts_articles_and_numbers_like_31a() -> None:
    text = (
        "Model Act\n\nPart 1 General\n\nArticle 1. Purpose\nThis Act sets out the model.\n\n"
        "Art. 2 Scope\nIt applies everywhere.\n\nPart 2 Details\n\n"
        "Section 31 Fees. Fees are charged.\nSection 31A\nFees may be waived.\n§ 32 Rules.\n"
    )
    draft = parse_draft(text)
    assert [(article.label, article.number) for article in draft.articles] == [
        ("Article 1", "1"),
        ("Art. 2", "2"),
        ("Section 31", "31"),
        ("Section 31A", "31A"),
        ("§ 32", "32"),
    ]
    assert draft.articles[0].heading_path == ("Part 1 General",)
    assert draft.articles[0].paragraphs == ("Purpose", "This Act sets out the model.")
    assert draft.articles[2].heading_path == ("Part 2 Details",)
    assert draft.preamble == "Model Act"


def test_prose_starting_with_a_section_reference_is_not_a_heading() -> None:
    text = "Section 1. Definitions.\nSection 5 of this Act applies to the terms below.\n"
    draft = parse_draft(text)
    assert [article.label for article in draft.articles] == ["Section 1"]
    assert draft.articles[0].paragraphs[-1].startswith("Section 5 of this Act")


def test_markdown_chapters_are_containers_when_articles_hold_the_text() -> None:
    text = (
        "# Act\n## Chapter IV: Courts\n### Article 7\nThe courts sit.\n### Article 8\n"
        "Judges serve.\n## Chapter V: Other\n### Article 9\nDone.\n"
    )
    draft = parse_draft(text)
    assert [article.label for article in draft.articles] == ["Article 7", "Article 8", "Article 9"]
    assert [article.heading_path for article in draft.articles] == [
        ("Chapter IV: Courts",),
        ("Chapter IV: Courts",),
        ("Chapter V: Other",),
    ]


def test_english_duplicates_are_warned_per_kind() -> None:
    text = "Article 1\nText.\nArticle 1\nAgain.\nSection 1\nA section may reuse the number.\n"
    draft = parse_draft(text)
    assert [warning.code for warning in draft.warnings] == ["duplicate_number"]
