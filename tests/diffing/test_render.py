from __future__ import annotations

from noticeboard.diffing import compare_drafts
from noticeboard.diffing.render import render_html, render_text
from tests.diffing.helpers import compared_samples, draft_of

TRADE = ("cn/duiwai-maoyifa/2016.txt", "cn/duiwai-maoyifa/2022.txt")


def test_text_starts_with_the_counts_and_skips_unchanged_articles() -> None:
    output = render_text(compared_samples(*TRADE), color=False)
    lines = output.splitlines()
    assert lines[0] == "70 articles -> 69 articles"
    assert lines[1] == "8 unchanged, 55 renumbered, 6 modified, 1 deleted"
    assert "6 changed only in cross-references" in lines[2]
    assert "unchanged:" not in output
    assert "deleted: 第九条 -> -" in output
    assert "依照本法第[-十六-]{+十五+}条" in output
    assert "\x1b[" not in output


def test_text_in_colour_uses_ansi_styles() -> None:
    comparison = compare_drafts(draft_of("由县级人民政府负责。"), draft_of("由省级人民政府负责。"))
    output = render_text(comparison, color=True)
    assert "\x1b[9;31m县\x1b[0m" in output
    assert "\x1b[4;32m省\x1b[0m" in output


def test_html_is_a_standalone_escaped_redline() -> None:
    comparison = compare_drafts(
        draft_of("甲<script>alert(1)</script>乙。"), draft_of("甲<b>乙。", "新增条文。")
    )
    page = render_html(comparison, "old <v1> → new")
    assert page.startswith("<!doctype html>")
    assert "<title>old &lt;v1&gt; → new</title>" in page
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert "<ins>新增条文。</ins>" in page
    assert "text-decoration: line-through" in page
    assert "text-decoration: underline" in page
    assert "http" not in page  # no external assets


def test_html_of_a_real_comparison_lists_every_article() -> None:
    page = render_html(compared_samples(*TRADE), "trade")
    assert page.count("<section ") == 70  # 69 new articles and the deleted one
    assert page.count("Only cross-references") == 6
    assert 'lang="zh-Hans"' in page
