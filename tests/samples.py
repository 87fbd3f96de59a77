"""The public law texts shipped in the package, for tests."""

from __future__ import annotations

from importlib import resources


def sample_text(path: str) -> str:
    return (resources.files("noticeboard") / "samples" / path).read_text(encoding="utf-8")
