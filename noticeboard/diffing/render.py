"""Plain renderings of a comparison for the command line: a terminal summary and a redline page.

Pure functions from a `Comparison` to a string; the web app has its own templates.
"""

from __future__ import annotations

from html import escape

from noticeboard.diffing.model import ArticleChange, ChangeKind, Comparison, DiffOps

_RESET = "\x1b[0m"
_DELETED_STYLE = "\x1b[9;31m"  # struck through, red
_INSERTED_STYLE = "\x1b[4;32m"  # underlined, green
_KIND_STYLE = {
    ChangeKind.MODIFIED: "\x1b[33m",
    ChangeKind.MOVED: "\x1b[35m",
    ChangeKind.ADDED: "\x1b[32m",
    ChangeKind.DELETED: "\x1b[31m",
    ChangeKind.SPLIT: "\x1b[36m",
    ChangeKind.MERGED: "\x1b[36m",
    ChangeKind.RENUMBERED: "\x1b[2m",
}


def render_text(comparison: Comparison, color: bool) -> str:
    """Counts per kind, then every change except unchanged articles, diffs inline.

    Without colour, deletions read [-like this-] and insertions {+like this+} (wdiff style),
    so the output stays readable in a log or a pipe.
    """
    counts = comparison.counts()
    reference_only = sum(1 for change in comparison.changes if change.reference_only)
    lines = [
        f"{len(comparison.old.articles)} articles -> {len(comparison.new.articles)} articles",
        ", ".join(f"{count} {kind}" for kind, count in counts.items() if count) or "no articles",
    ]
    if reference_only:
        lines.append(f"{reference_only} changed only in cross-references to renumbered articles")
    lines.append("")
    for change in comparison.changes:
        if change.kind is ChangeKind.UNCHANGED:
            continue
        lines.append(_headline(change, color))
        body = _text_body(comparison, change, color)
        if body:
            lines.extend("    " + line for line in body.split("\n"))
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _headline(change: ArticleChange, color: bool) -> str:
    kind = change.kind.value
    if color:
        kind = f"{_KIND_STYLE.get(change.kind, '')}{kind}{_RESET}"
    old = "、".join(change.old_labels) or "-"
    new = "、".join(change.new_labels) or "-"
    labels = old if old == new else f"{old} -> {new}"
    similarity = ""
    if change.similarity is not None and change.similarity < 1.0:
        # Never print 100.0 % for a text that did change.
        similarity = f"  ({min(change.similarity, 0.999):.1%} alike)"
    note = "  [cross-references only]" if change.reference_only else ""
    return f"{kind}: {labels}{similarity}{note}"


def _text_body(comparison: Comparison, change: ArticleChange, color: bool) -> str:
    if change.kind is ChangeKind.ADDED:
        text = "\n".join(comparison.new.articles[index].text for index in change.new)
        return _mark(1, text, color)
    if change.kind is ChangeKind.DELETED:
        text = "\n".join(comparison.old.articles[index].text for index in change.old)
        return _mark(-1, text, color)
    if change.diff is None:
        return ""
    return "".join(_mark(op, text, color) for op, text in change.diff)


def _mark(op: int, text: str, color: bool) -> str:
    if op == 0 or not text:
        return text
    if color:
        style = _DELETED_STYLE if op < 0 else _INSERTED_STYLE
        # Restyle after each line break, or terminals drop the style at the break.
        return "\n".join(f"{style}{line}{_RESET}" for line in text.split("\n"))
    return f"[-{text}-]" if op < 0 else f"{{+{text}+}}"


_PAGE_STYLE = """
body { font: 16px/1.7 system-ui, "Noto Sans CJK SC", "PingFang SC", sans-serif;
       max-width: 48rem; margin: 2rem auto; padding: 0 1rem; color: #1f2328; }
h1 { font-size: 1.4rem; }
table { border-collapse: collapse; margin: 1rem 0 2rem; }
th, td { border: 1px solid #d0d7de; padding: .25rem .75rem; text-align: left; }
section { border-top: 1px solid #d0d7de; padding: .5rem 0; }
section.unchanged { color: #59636e; }
h2 { font-size: 1rem; margin: .5rem 0; }
.kind { font-weight: normal; font-size: .85rem; border: 1px solid currentColor;
        border-radius: .25rem; padding: 0 .35rem; margin-left: .5rem; }
.text { white-space: pre-wrap; margin: 0; }
ins { text-decoration: underline; text-decoration-thickness: 2px;
      background: #dafbe1; color: #116329; }
del { text-decoration: line-through; text-decoration-thickness: 2px;
      background: #ffebe9; color: #a40e26; }
.note { font-size: .85rem; color: #59636e; }
"""


def render_html(comparison: Comparison, title: str) -> str:
    """A standalone redline page: every article in new-document order, changes marked inline.

    Insertions are underlined and deletions struck through, so the marks survive printing in
    black and white and do not rely on colour alone. No external assets.
    """
    language = "zh-Hans" if _is_chinese(comparison) else "en"
    counts = comparison.counts()
    rows = "".join(
        f"<tr><th scope=row>{escape(kind)}</th><td>{count}</td></tr>"
        for kind, count in counts.items()
        if count
    )
    sections = "\n".join(_html_section(comparison, change) for change in comparison.changes)
    return (
        f'<!doctype html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_PAGE_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{escape(title)}</h1>\n"
        f"<p>{len(comparison.old.articles)} articles &rarr; "
        f"{len(comparison.new.articles)} articles</p>\n"
        f"<table><tbody>{rows}</tbody></table>\n{sections}\n</body>\n</html>\n"
    )


def _html_section(comparison: Comparison, change: ArticleChange) -> str:
    old = escape("、".join(change.old_labels))
    new = escape("、".join(change.new_labels))
    if change.kind in (ChangeKind.UNCHANGED, ChangeKind.ADDED):
        heading = new
    elif change.kind is ChangeKind.DELETED:
        heading = old
    else:
        heading = f"{old} &rarr; {new}" if old != new else new
    if change.kind is ChangeKind.ADDED:
        body = _html_ops(((1, _texts(comparison, change, old_side=False)),))
    elif change.kind is ChangeKind.DELETED:
        body = _html_ops(((-1, _texts(comparison, change, old_side=True)),))
    elif change.diff is not None:
        body = _html_ops(change.diff)
    else:
        body = escape(_texts(comparison, change, old_side=False))
    note = (
        '<p class="note">Only cross-references to renumbered articles changed.</p>'
        if change.reference_only
        else ""
    )
    return (
        f'<section class="{change.kind.value}">'
        f"<h2>{heading}"
        f'<span class="kind">{change.kind.value}</span></h2>'
        f'<p class="text">{body}</p>{note}</section>'
    )


def _texts(comparison: Comparison, change: ArticleChange, *, old_side: bool) -> str:
    draft = comparison.old if old_side else comparison.new
    indices = change.old if old_side else change.new
    return "\n".join(draft.articles[index].text for index in indices)


def _html_ops(ops: DiffOps) -> str:
    parts = []
    for op, text in ops:
        if op < 0:
            parts.append(f"<del>{escape(text)}</del>")
        elif op > 0:
            parts.append(f"<ins>{escape(text)}</ins>")
        else:
            parts.append(escape(text))
    return "".join(parts)


def _is_chinese(comparison: Comparison) -> bool:
    articles = comparison.new.articles or comparison.old.articles
    return bool(articles) and articles[0].label.startswith("第")
