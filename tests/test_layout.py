"""The layout the README describes: feature packages inside the layers, none too big."""

from __future__ import annotations

from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "noticeboard"
MAX_MODULES = 15
LAYERS = ("services", "web")


def _folders(layer: str) -> list[Path]:
    return [PACKAGE / layer, *sorted(p for p in (PACKAGE / layer).rglob("*") if p.is_dir())]


@pytest.mark.parametrize("layer", LAYERS)
def test_no_folder_holds_more_than_fifteen_modules(layer: str) -> None:
    sizes = {
        str(folder.relative_to(PACKAGE)): len(list(folder.glob("*.py")))
        for folder in _folders(layer)
        if folder.name != "__pycache__"
    }
    assert len(sizes) > 3
    assert {name: size for name, size in sizes.items() if size > MAX_MODULES} == {}


@pytest.mark.parametrize("layer", LAYERS)
def test_every_module_lives_in_a_feature_package(layer: str) -> None:
    """Only the layer's shared modules stand at its top; features have folders."""
    shared = {
        "services": {"__init__.py", "audit.py", "audit_queries.py", "background.py", "errors.py",
                     "loading.py", "permissions.py", "storable.py"},
        "web": {"__init__.py"},
    }[layer]  # fmt: skip
    top = {path.name for path in (PACKAGE / layer).glob("*.py")}
    assert top == shared
