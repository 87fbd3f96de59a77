"""First pass of the parser: what each line of a draft is.

Every non-blank line becomes an event: text, a container heading (book, chapter, section,
or an unnumbered Markdown heading), the start of an article, or a header-block marker.
English numbered headings are resolved last, once the whole draft shows which kinds hold
text directly (those are the article units) and which only hold other headings.
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from noticeboard.diffing.headings import (
    ENGLISH_RANK,
    EnglishHeading,
    collapse_spaces,
    match_chinese_article,
    match_chinese_container,
    match_english,
)

# Invisible characters that editors leave around lines; str.strip() keeps them.
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
_HEADER_BLOCK_END = "INFO END"
# The first letters an English heading can start with; other lines skip the regex.
_ENGLISH_STARTS = frozenset("ABCDPRSTabcdprst§")


# Events are named tuples rather than frozen dataclasses: one is made per line of the
# draft, and a tuple is built three times faster; they never leave the parser.
class Text(NamedTuple):
    """A run of consecutive text lines; `line` is the first one's number."""

    line: int
    lines: list[str]


class Marker(NamedTuple):
    """`<!-- INFO END -->`: the end of a header block repeated part-way (one per book)."""

    line: int


class Container(NamedTuple):
    line: int
    level: int
    title: str
    unnumbered: bool


class ArticleStart(NamedTuple):
    line: int
    kind: str
    label: str
    number: str | None
    rest: str


class English(NamedTuple):
    line: int
    markdown_level: int | None
    heading: EnglishHeading
    title: str


Event = Text | Marker | Container | ArticleStart | English


def classify_lines(text: str) -> list[Event]:
    """Events of every non-blank line, English headings resolved to articles or containers."""
    events = _first_pass(text)
    return _resolve_english(events, _english_article_kinds(events))


def _first_pass(text: str) -> list[Event]:
    lines = text.splitlines()
    start = _front_matter_end(lines)
    events: list[Event] = []
    run: list[str] | None = None  # the text run being extended, if the last line was text
    for index in range(start, len(lines)):
        line = lines[index]
        if not line:
            continue
        line = line.strip()
        if line and (line[0] in _INVISIBLE or line[-1] in _INVISIBLE):
            line = line.strip(_INVISIBLE).strip()
        if not line:
            continue
        number = index + 1
        first = line[0]
        event: Event | None = None
        if first == "#":
            event = _classify_markdown_heading(number, line)
        elif first == "<" and line.startswith("<!--"):
            if _HEADER_BLOCK_END not in line:
                continue  # other comments are invisible in the published text
            event = Marker(number)
        elif first == "第":
            event = _classify_chinese(number, line, None)
        elif first in _ENGLISH_STARTS and (english := match_english(line)) is not None:
            event = English(number, None, english, collapse_spaces(line))
        elif first == "*" and line.startswith("**"):
            event = _classify_bold_heading(number, line)
        if event is not None:
            run = None
            events.append(event)
        elif run is not None:
            run.append(line)
        else:
            run = [line]
            events.append(Text(number, run))
    return events


def _front_matter_end(lines: list[str]) -> int:
    """Index of the first line after YAML front matter, 0 when there is none."""
    for index, line in enumerate(lines):
        stripped = line.strip().strip(_INVISIBLE)
        if not stripped:
            continue
        if stripped != "---":
            return 0
        for end in range(index + 1, len(lines)):
            if lines[end].strip() in ("---", "..."):
                return end + 1
        return 0  # unclosed: better to keep the text than to swallow the whole draft
    return 0


def _classify_bold_heading(number: int, line: str) -> Event | None:
    """**第一条** 内容 or **Article 5.** Text: a heading in bold, as word processors export it."""
    closing = line.find("**", 2)
    if closing < 0:
        return None
    plain = (line[2:closing] + " " + line[closing + 2 :]).strip()
    if plain.startswith("第"):
        return _classify_chinese(number, plain, None)
    english = match_english(plain)
    return English(number, None, english, collapse_spaces(plain)) if english else None


def _classify_markdown_heading(number: int, line: str) -> Event:
    level = len(line) - len(line.lstrip("#"))
    content = line[level:].strip()
    level = min(level, 6)
    if content.startswith("第"):
        event = _classify_chinese(number, content, level)
        if event is not None:
            return event
    english = match_english(content)
    if english is not None:
        return English(number, level, english, collapse_spaces(content))
    return Container(number, level, collapse_spaces(content), unnumbered=True)


def _classify_chinese(number: int, line: str, markdown_level: int | None) -> Event | None:
    """An article or container heading; None for a text line that starts with 第."""
    article = match_chinese_article(line)
    if article is not None:
        return ArticleStart(number, "条", *article)
    container = match_chinese_container(line)
    if container is not None:
        level = markdown_level if markdown_level is not None else container.rank
        return Container(number, level, collapse_spaces(line), unnumbered=False)
    if markdown_level is not None:
        return Container(number, markdown_level, collapse_spaces(line), unnumbered=True)
    return None


def _english_article_kinds(events: list[Event]) -> frozenset[str]:
    """English heading kinds that act as articles: most of their headings hold text."""
    if any(isinstance(event, ArticleStart) for event in events):
        return frozenset()  # a Chinese draft: "Article 5" lines are not its structure
    holding: Counter[str] = Counter()
    empty: Counter[str] = Counter()
    for position, event in enumerate(events):
        if not isinstance(event, English):
            continue
        if event.markdown_level is None and not event.heading.plain_heading_like:
            continue
        following = events[position + 1] if position + 1 < len(events) else None
        # Text on the heading line counts too ("Section 5. [Repealed]"), unless a heading of
        # another kind follows: then it is a title ("Part 1 General") over smaller units.
        titled_container = isinstance(following, Container | ArticleStart) or (
            isinstance(following, English) and following.heading.kind != event.heading.kind
        )
        holds_text = isinstance(following, Text) or (
            bool(event.heading.rest) and not titled_container
        )
        (holding if holds_text else empty)[event.heading.kind] += 1
    return frozenset(kind for kind in holding if holding[kind] >= empty[kind])


def _resolve_english(events: list[Event], article_kinds: frozenset[str]) -> list[Event]:
    uses_markdown = any(
        isinstance(event, English)
        and event.markdown_level is not None
        and event.heading.kind in article_kinds
        for event in events
    )
    resolved: list[Event] = []
    for event in events:
        if not isinstance(event, English):
            resolved.append(event)
            continue
        heading = event.heading
        plain = event.markdown_level is None
        if plain and (uses_markdown or not heading.plain_heading_like or not article_kinds):
            # In a Markdown draft only marked lines are headings; elsewhere it is prose.
            resolved.append(Text(event.line, [event.title]))
        elif heading.kind in article_kinds:
            resolved.append(
                ArticleStart(event.line, heading.kind, heading.label, heading.number, heading.rest)
            )
        else:
            level = event.markdown_level or ENGLISH_RANK[heading.kind]
            resolved.append(Container(event.line, level, event.title, unnumbered=False))
    return resolved
