from __future__ import annotations

import pytest

from noticeboard.diffing import Article, ParsedDraft, parse_draft
from tests.diffing.helpers import parsed_sample

PLAIN = """中华人民共和国示例法

第一章　总则

第一条　为了规范示例，制定本法。

第二条　本法适用于：
（一）第一种情形；
（二）第二种情形。

第二章 管理

第三条 国务院有关部门负责管理工作。
"""


def labels(draft: ParsedDraft) -> list[str]:
    return [article.label for article in draft.articles]


def test_plain_chinese_with_full_width_spaces() -> None:
    draft = parse_draft(PLAIN)
    assert draft.articles == (
        Article("第一条", "1", ("第一章 总则",), ("为了规范示例，制定本法。",)),
        Article(
            "第二条",
            "2",
            ("第一章 总则",),
            ("本法适用于：", "（一）第一种情形；", "（二）第二种情形。"),
        ),
        Article("第三条", "3", ("第二章 管理",), ("国务院有关部门负责管理工作。",)),
    )
    assert draft.preamble == "中华人民共和国示例法"
    assert draft.warnings == ()
    assert draft.articles[1].text == "本法适用于：\n（一）第一种情形；\n（二）第二种情形。"


def test_markdown_headings_give_the_same_articles() -> None:
    markdown = (
        "# 中华人民共和国示例法\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n"
        "第一条 为了规范示例，制定本法。\n\n第二条 本法适用于：\n\n（一）第一种情形；\n\n"
        "（二）第二种情形。\n\n## 第二章 管理\n\n第三条 国务院有关部门负责管理工作。\n"
    )
    assert parse_draft(markdown).articles == parse_draft(PLAIN).articles
    assert parse_draft(markdown).preamble == "中华人民共和国示例法"


def test_crlf_bom_and_invisible_characters_change_nothing() -> None:
    messy = "\ufeff" + PLAIN.replace("\n", "\r\n").replace("第二章 管理", "\u200b第二章 管理\u200b")
    assert parse_draft(messy) == parse_draft(PLAIN)


def test_stray_blank_lines_and_indentation_change_nothing() -> None:
    spaced = "\n\n".join("   " + line + " \t" for line in PLAIN.splitlines())
    assert parse_draft(spaced).articles == parse_draft(PLAIN).articles


def test_bold_headings_as_word_processors_export_them() -> None:
    draft = parse_draft(
        "**第一章 总则**\n\n**第一条** 为了规范示例，制定本法。\n\n**注意**：本行是正文。\n"
    )
    assert draft.articles == (
        Article(
            "第一条", "1", ("第一章 总则",), ("为了规范示例，制定本法。", "**注意**：本行是正文。")
        ),
    )


def test_heading_needs_a_space_or_the_end_of_the_line() -> None:
    text = "第一条 引用条款：\n第十六条规定的情形除外。\n第二条\n本条内容在下一行。\n"
    draft = parse_draft(text)
    assert labels(draft) == ["第一条", "第二条"]
    assert draft.articles[0].paragraphs == ("引用条款：", "第十六条规定的情形除外。")
    assert draft.articles[1].paragraphs == ("本条内容在下一行。",)


def test_mid_sentence_references_are_not_headings() -> None:
    draft = parse_draft("第一条 依照本法第十六条 规定处理。\n")
    assert labels(draft) == ["第一条"]


def test_inserted_articles_and_arabic_numerals() -> None:
    draft = parse_draft("第12条 甲。\n第十二条之一 乙。\n第\u3000 13 条 丙。\n第１４条 丁。\n")
    assert labels(draft) == ["第12条", "第十二条之一", "第 13 条", "第１４条"]
    assert [article.number for article in draft.articles] == ["12", "12-1", "13", "14"]
    assert draft.warnings == ()


def test_traditional_characters_as_in_taiwan_and_hong_kong() -> None:
    draft = parse_draft(
        "第一編 總則\n第一章 通則\n第一節 法例\n第一條 民事，法律所未規定者，依習慣。\n"
    )
    assert draft.articles == (
        Article(
            "第一條",
            "1",
            ("第一編 總則", "第一章 通則", "第一節 法例"),
            ("民事，法律所未規定者，依習慣。",),
        ),
    )


def test_bracketed_caption_after_the_number_starts_the_text() -> None:
    draft = parse_draft("第一条【立法目的】为了规范示例，制定本法。\n")
    assert draft.articles[0].paragraphs == ("【立法目的】为了规范示例，制定本法。",)


def test_books_parts_chapters_and_sections_nest_without_markdown() -> None:
    text = (
        "第一编 总则\n第一分编 通则\n第一章 一般规定\n第一节 定义\n第一条 甲。\n"
        "第二节 范围\n第二条 乙。\n第二章 其他\n第三条 丙。\n第二编 分则\n第四条 丁。\n"
    )
    paths = [article.heading_path for article in parse_draft(text).articles]
    assert paths == [
        ("第一编 总则", "第一分编 通则", "第一章 一般规定", "第一节 定义"),
        ("第一编 总则", "第一分编 通则", "第一章 一般规定", "第二节 范围"),
        ("第一编 总则", "第一分编 通则", "第二章 其他"),
        ("第二编 分则",),
    ]


def test_duplicate_and_out_of_order_numbers_are_warnings() -> None:
    draft = parse_draft("第一条 甲。\n第三条 乙。\n第二条 丙。\n第三条 丁。\n")
    assert labels(draft) == ["第一条", "第三条", "第二条", "第三条"]
    assert [(warning.line, warning.code) for warning in draft.warnings] == [
        (3, "number_out_of_order"),
        (4, "duplicate_number"),
    ]


def test_no_articles_is_a_warning_and_the_text_is_the_preamble() -> None:
    draft = parse_draft("关于某事的说明\n\n这里没有条文。\n")
    assert draft.articles == ()
    assert draft.preamble == "关于某事的说明\n这里没有条文。"
    assert [warning.code for warning in draft.warnings] == ["no_articles"]


def test_empty_text() -> None:
    draft = parse_draft("")
    assert draft.articles == ()
    assert draft.preamble == ""


def test_text_between_a_chapter_heading_and_its_first_article_is_reported() -> None:
    draft = parse_draft("第一条 甲。\n## 第二章 管理\n本章说明文字。\n第二条 乙。\n")
    assert labels(draft) == ["第一条", "第二条"]
    assert [(warning.line, warning.code) for warning in draft.warnings] == [
        (3, "text_outside_article")
    ]


def test_header_blocks_repeated_part_way_are_not_article_text() -> None:
    text = (
        "# 示例法典\n\n# 总则\n\n2020年通过\n\n<!-- INFO END -->\n\n## 第一章 一般规定\n\n"
        "第一条 甲。\n\n# 示例法典\n\n# 物权编\n\n2020年通过\n\n<!-- INFO END -->\n\n"
        "## 第一分编 通则\n\n### 第一章 一般规定\n\n第二条 乙。\n"
    )
    draft = parse_draft(text)
    assert draft.articles == (
        Article("第一条", "1", ("总则", "第一章 一般规定"), ("甲。",)),
        Article("第二条", "2", ("物权编", "第一分编 通则", "第一章 一般规定"), ("乙。",)),
    )
    assert draft.warnings == ()
    assert draft.preamble == "示例法典\n2020年通过"


def test_civil_code_has_1260_articles_in_seven_books_and_supplementary_provisions(
    civil_code: ParsedDraft,
) -> None:
    assert len(civil_code.articles) == 1260
    assert [article.number for article in civil_code.articles] == [
        str(number) for number in range(1, 1261)
    ]
    assert civil_code.warnings == ()
    books = list(dict.fromkeys(article.heading_path[0] for article in civil_code.articles))
    assert books == [
        "总则",
        "物权编",
        "合同编",
        "人格权编",
        "婚姻家庭编",
        "继承编",
        "侵权责任编",
        "附则",
    ]
    # Chapter numbers restart in every book while article numbers run on.
    article_205 = civil_code.articles[204]
    assert article_205.label == "第二百零五条"
    assert article_205.heading_path == ("物权编", "第一分编 通则", "第一章 一般规定")
    # The last article of a book does not swallow the next book's header block.
    assert civil_code.articles[203].paragraphs == (
        "期间的计算方法依照本法的规定，但是法律另有规定或者当事人另有约定的除外。",
    )
    assert civil_code.articles[-1].heading_path == ("附则",)


@pytest.mark.parametrize(
    ("path", "count"),
    [
        ("cn/duiwai-maoyifa/2016.txt", 70),
        ("cn/duiwai-maoyifa/2022.txt", 69),
        ("cn/shipin-anquanfa/2015.txt", 154),
        ("cn/shipin-anquanfa/2021.txt", 154),
        ("cn/weichengnianren-baohufa/2020.txt", 132),
        ("cn/weichengnianren-baohufa/2024.txt", 132),
    ],
)
def test_sample_laws_parse_without_warnings(path: str, count: int) -> None:
    draft = parsed_sample(path)
    assert len(draft.articles) == count
    assert draft.warnings == ()
    assert draft.preamble.startswith("中华人民共和国")


def test_chapters_lists_distinct_heading_paths_in_order() -> None:
    chapters = parsed_sample("cn/duiwai-maoyifa/2016.txt").chapters()
    assert chapters[0] == ("第一章 总则",)
    assert chapters[1] == ("第二章 对外贸易经营者",)
    assert len(chapters) == len(set(chapters)) == 11
