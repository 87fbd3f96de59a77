"""How fast is `compare_texts` on a Civil-Code-sized revision?

Makes a heavily edited copy of the Civil Code with a seeded generator (articles inserted,
deleted, edited, moved, split and merged; every article renumbered and cross-references
rewritten to follow, as a legislature would), then times in the same run:

* `compare_texts` (parse both versions, align, diff every changed article),
* fast-diff-match-patch (C++) on the whole text, `timelimit=0`,
* pure-Python diff-match-patch on the whole text, `Diff_Timeout = 0`,

and prints the times, the ratios against the targets and the peak memory.

    python benchmarks/diff_speed.py [--seed N] [--repeat N]
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import fast_diff_match_patch
from diff_match_patch import diff_match_patch

from noticeboard.diffing import compare_drafts, compare_texts, parse_draft
from noticeboard.diffing.numerals import parse_chinese_numeral, to_chinese_numeral

CIVIL_CODE = Path(__file__).resolve().parent.parent / "noticeboard/samples/cn/civilcode-2020.txt"
_ARTICLE_START = re.compile(r"^第([〇零一二两三四五六七八九十百千]+)条 ", re.MULTILINE)
_REFERENCE = re.compile(r"(?<!》)第([〇零一二两三四五六七八九十百千]+)条")
_PHRASES = (
    "国务院有关部门",
    "县级以上地方人民政府",
    "依法",
    "及时",
    "以书面形式",
    "采取必要的措施",
    "当事人另有约定的除外",
    "予以公告",
    "不得",
    "合理",
)


def edited_copy(text: str, seed: int) -> tuple[str, dict[str, int]]:
    """The Civil Code after a heavy, repeatable revision; also returns what was done."""
    rng = random.Random(seed)
    blocks = _article_blocks(text)
    done = dict.fromkeys(("edited", "deleted", "inserted", "moved", "split", "merged"), 0)
    revised: list[tuple[int | None, str]] = []  # (old number or None, body without label)
    moving: list[tuple[int | None, str]] = []
    position = 0
    while position < len(blocks):
        prefix, number, body = blocks[position]
        if prefix:
            revised.append((-1, prefix))  # headings and header blocks pass through
        roll = rng.random()
        if roll < 0.03:
            done["deleted"] += 1
        elif roll < 0.05:
            moving.append((number, body))
            done["moved"] += 1
        elif roll < 0.06 and body.count("\n\n") >= 2:
            first, rest = body.split("\n\n", 1)
            revised += [(number, first + "\n\n"), (None, rest)]
            done["split"] += 1
        elif roll < 0.065 and position + 1 < len(blocks) and not blocks[position + 1][0]:
            following = blocks[position + 1][2]
            revised.append((number, body.rstrip("\n") + following))
            done["merged"] += 1
            position += 1
        else:
            if roll < 0.33:
                body = _edit(body, rng)
                done["edited"] += 1
            revised.append((number, body))
        if rng.random() < 0.04:
            revised.append((None, "".join(rng.choice(_PHRASES) for _ in range(12)) + "。\n\n"))
            done["inserted"] += 1
        position += 1
    for item in moving:
        slots = [index for index, (number, _) in enumerate(revised) if number != -1]
        revised.insert(rng.choice(slots), item)
    return _renumbered(revised), done


def _article_blocks(text: str) -> list[tuple[str, int, str]]:
    """(text before the article that is not part of it, number, body after the label)."""
    starts = list(_ARTICLE_START.finditer(text))
    blocks: list[tuple[str, int, str]] = []
    cursor = 0
    for index, found in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        body = text[found.end() : end]
        heading = body.find("\n#")  # a chapter or book heading ends the article
        tail = body[heading + 1 :] if heading >= 0 else ""
        body = body[: heading + 1] if heading >= 0 else body
        number = parse_chinese_numeral(found.group(1)) or 0
        blocks.append((text[cursor : found.start()], number, body))
        cursor = end - len(tail)
    if blocks and cursor < len(text):
        prefix, number, body = blocks[-1]
        blocks[-1] = (prefix, number, body + text[cursor:])
    return blocks


def _edit(body: str, rng: random.Random) -> str:
    # Keep the line break that ends the article, or the next heading would join this article.
    ending = body[len(body.rstrip()) :]
    body = body.rstrip()
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(max(1, len(body) - 2))
        roll = rng.random()
        if roll < 0.4:
            body = body[:at] + rng.choice(_PHRASES) + body[at:]
        elif roll < 0.7:
            body = body[:at] + body[at + rng.randint(1, 6) :]
        else:
            body = body[:at] + rng.choice(_PHRASES) + body[at + rng.randint(1, 6) :]
    return body + ending


def _renumbered(revised: list[tuple[int | None, str]]) -> str:
    new_number: dict[int, int] = {}
    counter = 0
    for number, _ in revised:
        if number != -1:
            counter += 1
            if number is not None:
                new_number.setdefault(number, counter)

    def follow(found: re.Match[str]) -> str:
        old = parse_chinese_numeral(found.group(1))
        if old is None or old not in new_number:
            return found.group(0)
        return f"第{to_chinese_numeral(new_number[old])}条"

    parts: list[str] = []
    counter = 0
    for number, body in revised:
        if number == -1:
            parts.append(body)
            continue
        counter += 1
        parts.append(f"第{to_chinese_numeral(counter)}条 {_REFERENCE.sub(follow, body)}")
    return "".join(parts)


def timed(repeat: int, run: Callable[[], object]) -> tuple[float, float]:
    """Best and median wall time of `repeat` runs, each with a cold numeral cache."""
    times = []
    for _ in range(repeat):
        # The engine caches numeral parsing; clearing it keeps every run as cold as the first
        # comparison a fresh process makes.
        parse_chinese_numeral.cache_clear()
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--repeat", type=int, default=7)
    arguments = parser.parse_args()

    old_text = CIVIL_CODE.read_text(encoding="utf-8")
    new_text, done = edited_copy(old_text, arguments.seed)
    print(f"old: {len(old_text):,} characters; new: {len(new_text):,} characters")
    print("revision:", ", ".join(f"{count} {what}" for what, count in done.items()))

    comparison = compare_texts(old_text, new_text)  # also warms up imports
    print(
        f"articles: {len(comparison.old.articles)} -> {len(comparison.new.articles)}; changes:",
        ", ".join(f"{count} {kind}" for kind, count in comparison.counts().items() if count),
    )

    repeat = arguments.repeat
    ours, ours_median = timed(repeat, lambda: compare_texts(old_text, new_text))
    parsing, _ = timed(repeat, lambda: (parse_draft(old_text), parse_draft(new_text)))
    old_draft, new_draft = parse_draft(old_text), parse_draft(new_text)
    comparing, _ = timed(repeat, lambda: compare_drafts(old_draft, new_draft))
    fast, fast_median = timed(
        repeat,
        lambda: fast_diff_match_patch.diff(old_text, new_text, timelimit=0, counts_only=False),
    )
    slow_differ = diff_match_patch()
    slow_differ.Diff_Timeout = 0
    slow, _ = timed(max(1, repeat // 3), lambda: slow_differ.diff_main(old_text, new_text))

    tracemalloc.start()
    compare_texts(old_text, new_text)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    print()
    print(f"best of {repeat} runs (median in brackets)")
    print(
        f"compare_texts: parse, align, diff      {ours * 1000:8.1f} ms  ({ours_median * 1000:.1f})"
    )
    print(f"  of which parsing both versions       {parsing * 1000:8.1f} ms")
    print(f"  of which compare_drafts (align, diff){comparing * 1000:8.1f} ms")
    print(
        f"fast-diff-match-patch, whole text      {fast * 1000:8.1f} ms  ({fast_median * 1000:.1f})"
    )
    print(f"diff-match-patch (Python), whole text  {slow * 1000:8.1f} ms")
    print()
    print(f"compare_texts / fast-dmp    = {ours / fast:6.3f}   (target <= 0.5)")
    print(f"Python dmp / compare_texts  = {slow / ours:6.1f}x  (target >= 50x)")
    print(f"peak traced allocations in compare_texts: {traced_peak / 2**20:6.1f} MiB")
    print(f"peak resident size of the process:        {max_rss:6.1f} MiB  (target < 200)")


if __name__ == "__main__":
    main()
