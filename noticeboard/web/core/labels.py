"""Translated names of fixed vocabularies, looked up once per language.

A compare page of the Civil Code names a change kind thousands of times; asking the
catalog each time cost half the render, so the names are cached per locale.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale, lazy_pgettext
from flask_babel import lazy_gettext as _l

from noticeboard.models import utcnow
from noticeboard.services.opinions.receipts import format_receipt_code

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


# "Adopted" names a law's status too (enacted); the context keeps the two apart.
OUTCOME_NAMES = {
    "pending": lazy_pgettext("outcome", "Under consideration"),
    "adopted": lazy_pgettext("outcome", "Adopted"),
    "partially_adopted": lazy_pgettext("outcome", "Partially adopted"),
    "not_adopted": lazy_pgettext("outcome", "Not adopted"),
    "withdrawn": lazy_pgettext("outcome", "Withdrawn"),
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
    from noticeboard.web.core.opinion_labels import vocabulary

    for function in (kind_name, outcome_name, reason_name, degree_name, utcnow):
        app.add_template_global(function, "now" if function is utcnow else None)
    for name, helper in vocabulary().items():  # channel_name, category_name, ...
        app.add_template_global(helper, name)
    app.add_template_global(format_receipt_code, "receipt_code")
