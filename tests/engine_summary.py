"""Say at the end of the run what ran where, so a skipped engine can never pass for a green one.

Each test is filed under the real parts it needs: SQLite or PostgreSQL (its `database_url`
parameter, or the `postgres` marker), Redis (the `redis` marker), Chromium (the `e2e` marker),
or none. The closing table counts outcomes per part and lists every skip with its reason.
With NOTICEBOARD_TEST_SUMMARY set to a path, the table is also written there, ending in a
plain "N passed, N failed, N skipped" line, for scripts/test.sh to repeat as its last words.
Under CI=true a skipped PostgreSQL, Redis or Chromium test fails the run: those parts are on
every machine here, so a skip there means the set-up is broken.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PARTS = ("SQLite", "PostgreSQL", "Redis", "Chromium", "no service")
MUST_RUN_IN_CI = frozenset({"PostgreSQL", "Redis", "Chromium"})
OUTCOMES = ("passed", "failed", "skipped", "error")

_parts_of: dict[str, tuple[str, ...]] = {}
_outcome_of: dict[str, str] = {}
_skip_reason_of: dict[str, str] = {}


def parts_needed(item: pytest.Item) -> tuple[str, ...]:
    """The real parts one test runs against."""
    parts: list[str] = []
    callspec = getattr(item, "callspec", None)
    engine = callspec.params.get("database_url") if callspec else None
    if engine == "sqlite":
        parts.append("SQLite")
    if engine == "postgresql" or item.get_closest_marker("postgres"):
        parts.append("PostgreSQL")
    if item.get_closest_marker("redis"):
        parts.append("Redis")
    if item.get_closest_marker("e2e"):
        parts.append("Chromium")
    return tuple(parts) or ("no service",)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        _parts_of[item.nodeid] = parts_needed(item)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if type(report).__name__ == "SubtestReport":
        return  # a subtest's outcome is part of its test's, which is counted once
    if report.skipped:
        _outcome_of[report.nodeid] = "skipped"
        _skip_reason_of[report.nodeid] = _reason(report)
    elif report.failed:
        _outcome_of[report.nodeid] = "failed" if report.when == "call" else "error"
    elif report.when == "call":
        _outcome_of.setdefault(report.nodeid, "passed")


def _reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def ci_skips() -> list[str]:
    """Tests of a must-run part that skipped, when CI=true."""
    if not IN_CI:
        return []
    return sorted(
        nodeid
        for nodeid, outcome in _outcome_of.items()
        if outcome == "skipped" and MUST_RUN_IN_CI & set(_parts_of.get(nodeid, ()))
    )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _outcome_of:
        return
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for nodeid, outcome in _outcome_of.items():
        for part in _parts_of.get(nodeid, ("no service",)):
            counts[part][outcome] += 1
    lines = [f"{'part':<12}" + "".join(f"{o:>9}" for o in OUTCOMES)]
    for part in PARTS:
        lines.append(f"{part:<12}" + "".join(f"{counts[part][o]:>9}" for o in OUTCOMES))
    reasons = Counter(_skip_reason_of.values())
    lines.append("skips, by reason:" if reasons else "no test skipped")
    lines.extend(f"  {count:>4} × {reason}" for reason, count in reasons.most_common())
    lines.extend(f"CI=true and this test skipped: {nodeid}" for nodeid in ci_skips())
    totals = Counter(_outcome_of.values())
    failed = totals["failed"] + totals["error"]
    lines.append(f"{totals['passed']} passed, {failed} failed, {totals['skipped']} skipped")
    terminalreporter.section("what ran where")
    for line in lines:
        terminalreporter.write_line(line)
    if path := os.environ.get("NOTICEBOARD_TEST_SUMMARY"):
        Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if ci_skips() and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
