"""Turn the text of a draft into its articles, with the chapters each one sits in.

`lines.py` says what each line is; this module stacks the containers by level, gathers the
text lines of each article, and checks the article numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from noticeboard.diffing.headings import number_sort_key
from noticeboard.diffing.lines import ArticleStart, Container, Event, Marker, Text, classify_lines
from noticeboard.diffing.model import Article, ParsedDraft, ParseWarning


def parse_draft(text: str) -> ParsedDraft:
    """Parse a Chinese or English draft; never raises, reports oddities as warnings."""
    return _Builder().build(classify_lines(text))


@dataclass(slots=True)
class _Builder:
    """Second pass: containers form a stack by level; text lines join the open article."""

    stack: list[tuple[int, str]] = field(default_factory=list)
    path: tuple[str, ...] = ()
    title: str | None = None
    preamble: list[str] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    starts: list[ArticleStart] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    stray: list[Text] = field(default_factory=list)

    def build(self, events: list[Event]) -> ParsedDraft:
        # Locals rather than attributes in this loop: it runs once per line of the draft.
        articles = self.articles
        start: ArticleStart | None = None
        paragraphs: list[str] = []
        path = self.path
        for event in events:
            if isinstance(event, Text):
                if start is not None:
                    paragraphs.extend(event.lines)
                elif not articles:
                    self.preamble.extend(event.lines)
                else:
                    self.stray.append(event)
                continue
            if isinstance(event, Marker):
                self.stray.clear()  # the lines before it were a header block, not law text
                continue
            if start is not None:
                number = start.number if start.number is not None else start.label
                articles.append(Article(start.label, number, path, tuple(paragraphs)))
                self.starts.append(start)
                start = None
            if self.stray:
                self._flush_stray()
            if isinstance(event, Container):
                self._add_container(event)
                path = self.path
            elif isinstance(event, ArticleStart):
                start = event
                self.title = self.title or ""  # a title comes before every article or never
                paragraphs = [event.rest] if event.rest else []
        if start is not None:
            number = start.number if start.number is not None else start.label
            articles.append(Article(start.label, number, path, tuple(paragraphs)))
            self.starts.append(start)
        self._flush_stray()
        self._check_numbers()
        return ParsedDraft(
            preamble="\n".join(self.preamble),
            articles=tuple(articles),
            warnings=tuple(sorted(self.warnings, key=lambda w: (w.line, w.code))),
        )

    def _add_container(self, event: Container) -> None:
        if self.title is None:
            if event.unnumbered and event.title:
                # The document's title: it belongs to the preamble, not to every path.
                self.title = event.title
                self.preamble.append(event.title)
                return
            self.title = ""
        stack = self.stack
        while stack and stack[-1][0] >= event.level:
            stack.pop()
        # A repeated title opens a repeated header block (one per book of a code).
        if event.title and event.title != self.title:
            stack.append((event.level, event.title))
        self.path = tuple(title for _, title in stack)

    def _flush_stray(self) -> None:
        if self.stray:
            first = self.stray[0]
            count = sum(len(run.lines) for run in self.stray)
            self.warnings.append(
                ParseWarning(
                    first.line,
                    "text_outside_article",
                    f"{count} line(s) of text between articles and headings belong "
                    f"to no article: {first.lines[0][:40]}",
                )
            )
            self.stray.clear()

    def _check_numbers(self) -> None:
        if not self.articles:
            self.warnings.append(
                ParseWarning(0, "no_articles", "no article headings were recognised")
            )
            return
        seen: dict[tuple[str, tuple[int, ...]], str] = {}
        previous: dict[str, tuple[tuple[int, ...], str]] = {}
        for start in self.starts:
            if start.number is None:
                self.warnings.append(
                    ParseWarning(start.line, "unreadable_number", f"cannot read {start.label}")
                )
                continue
            key = number_sort_key(start.number)
            if (start.kind, key) in seen:
                self.warnings.append(
                    ParseWarning(
                        start.line,
                        "duplicate_number",
                        f"{start.label} repeats {seen[start.kind, key]}",
                    )
                )
            else:
                seen[start.kind, key] = start.label
            last = previous.get(start.kind)
            if last is not None and key < last[0]:
                self.warnings.append(
                    ParseWarning(
                        start.line, "number_out_of_order", f"{start.label} follows {last[1]}"
                    )
                )
            previous[start.kind] = (key, start.label)
