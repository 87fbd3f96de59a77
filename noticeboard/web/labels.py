"""Translated names of fixed vocabularies, looked up once per language.

A compare page of the Civil Code names a change kind thousands of times; asking the
catalog each time cost half the render, so the names are cached per locale.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

KIND_NAMES = {
    "unchanged": _l("Unchanged"),
    "renumbered": _l("Renumbered"),
    "modified": _l("Modified"),
    "moved": _l("Moved"),
    "added": _l("Added"),
    "deleted": _l("Deleted"),
    "split": _l("Split"),
    "merged": _l("Merged"),
}

_cache: dict[str, dict[str, str]] = {}


def kind_name(kind: str) -> str:
    locale = str(get_locale())
    names = _cache.get(locale)
    if names is None:
        names = _cache[locale] = {key: str(value) for key, value in KIND_NAMES.items()}
    return names[kind]


def register_labels(app: Flask) -> None:
    app.add_template_global(kind_name)
