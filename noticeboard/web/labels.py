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


OUTCOME_NAMES = {
    "pending": _l("Under consideration"),
    "adopted": _l("Adopted"),
    "partially_adopted": _l("Partially adopted"),
    "not_adopted": _l("Not adopted"),
    "withdrawn": _l("Withdrawn"),
}

REASON_NAMES = {
    "already_covered": _l("Already covered by existing law"),
    "out_of_scope": _l("Outside this law's scope"),
    "conflicts_higher_law": _l("Conflicts with a higher law"),
    "left_to_regulations": _l("Better settled in regulations"),
    "not_feasible": _l("Not feasible at present"),
    "other_opinions_prevailed": _l("Weighed against other opinions"),
    "other": _l("Other reason"),
}

DEGREE_NAMES = {"full": _l("fully"), "partial": _l("partly")}


def outcome_name(value: str) -> str:
    return str(OUTCOME_NAMES[value])


def reason_name(value: str) -> str:
    return str(REASON_NAMES[value])


def degree_name(value: str) -> str:
    return str(DEGREE_NAMES[value])


def register_labels(app: Flask) -> None:
    for function in (kind_name, outcome_name, reason_name, degree_name):
        app.add_template_global(function)
