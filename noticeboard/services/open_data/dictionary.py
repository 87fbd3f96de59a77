"""The data dictionary of the open-data files: what each dataset and column means.

One entry per column of ``services.open_data.COLUMNS`` (a test checks that none is
missing); the page, ``datapackage.json`` and the export share it."""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

DATASETS: dict[str, Any] = {
    "laws": _l("Laws with at least one published version."),
    "versions": _l("Published versions of each law."),
    "articles": _l("Every article of every published version, with its text."),
    "changes": _l(
        "What became of each article between consecutive published versions, as the "
        "comparison pages show it."
    ),
    "opinions": _l(
        "Opinions on published versions with their outcomes, as the public pages show them: "
        "never the opinion's own text, the contact or the receipt code; the name only with "
        "the contributor's consent."
    ),
}

# column -> (type, description); types are Frictionless Table Schema types.
COLUMNS: dict[str, dict[str, tuple[str, Any]]] = {
    "laws": {
        "slug": ("string", _l("The law's short name in addresses (/laws/<slug>).")),
        "title": ("string", _l("Title in Chinese.")),
        "title_en": ("string", _l("Title in English, when there is one.")),
        "summary": ("string", _l("A short description.")),
        "status": ("string", _l("drafting, consultation or adopted.")),
        "versions": ("integer", _l("Number of published versions.")),
        "latest_version": ("integer", _l("Number of the latest published version.")),
    },
    "versions": {
        "law": ("string", _l("The law's slug.")),
        "sequence": ("integer", _l("Version number within the law, from 1.")),
        "label": ("string", _l("The version's name (first reading draft, ...).")),
        "published_at": ("datetime", _l("When it was published (UTC).")),
        "is_adopted_text": ("boolean", _l("Whether this is the text as adopted.")),
        "comment_opens_at": ("datetime", _l("Start of the public comment window (UTC).")),
        "comment_closes_at": ("datetime", _l("End of the public comment window (UTC).")),
        "articles": ("integer", _l("Number of articles.")),
    },
    "articles": {
        "law": ("string", _l("The law's slug.")),
        "version": ("integer", _l("Version number.")),
        "position": ("integer", _l("Place in the version, from 0.")),
        "key": ("string", _l("Stable id of the article across versions (survives renumbering).")),
        "label": ("string", _l("The heading as written (第十二条, Article 12).")),
        "number": ("string", _l("The number in digits (12, 12-1).")),
        "chapter": ("array", _l("Chapter and section headings above the article.")),
        "text": ("string", _l("The article's text; paragraphs separated by line breaks.")),
    },
    "changes": {
        "id": ("integer", _l("Change id (/laws/<law>/changes/<id>).")),
        "law": ("string", _l("The law's slug.")),
        "from_version": ("integer", _l("The older version's number.")),
        "to_version": ("integer", _l("The newer version's number.")),
        "kind": (
            "string",
            _l("unchanged, renumbered, modified, moved, added, deleted, split or merged."),
        ),
        "old_labels": ("array", _l("Article labels in the older version.")),
        "new_labels": ("array", _l("Article labels in the newer version.")),
        "key": ("string", _l("Stable id of the (first) article concerned.")),
        "similarity": ("number", _l("0 to 1; empty for added and deleted articles.")),
        "reference_only": (
            "boolean",
            _l("True when only cross-references to renumbered articles changed."),
        ),
        "diff": ("array", _l("[op, text] pairs: -1 deleted, 0 unchanged, 1 inserted.")),
        "credited_opinions": ("array", _l("Ids of the opinions credited with the change.")),
    },
    "opinions": {
        "id": ("integer", _l("Opinion id (not the receipt code).")),
        "law": ("string", _l("The law's slug.")),
        "version": ("integer", _l("The version commented on.")),
        "article_keys": ("array", _l("Stable ids of the articles the opinion is about.")),
        "article_labels": ("array", _l("Their labels in that version.")),
        "office": ("string", _l("The office it came in at; empty for online submissions.")),
        "channel": ("string", _l("How it came in (symposium, letter, online_form, ...).")),
        "contributor_category": ("string", _l("citizen, enterprise, organisation, ...")),
        "contributor_name": ("string", _l("Only when the contributor agreed to be named.")),
        "received_on": ("date", _l("The day it was received.")),
        "summary": ("string", _l("Staff's public summary of the opinion.")),
        "reference": (
            "string",
            _l(
                "The sender's own number for the opinion (a letter's registry number); "
                "may be empty."
            ),
        ),
        "outcome": (
            "string",
            _l("pending, adopted, partially_adopted, not_adopted or withdrawn."),
        ),
        "decided_at": ("datetime", _l("When the outcome was decided (UTC).")),
        "reason_code": ("string", _l("Why it was not (or only partly) adopted.")),
        "public_reason": ("string", _l("The explanation given to the public.")),
        "changes": ("array", _l("Ids of the changes it is credited with (when adopted).")),
    },
}

# column -> type, across datasets (a column name means the same thing everywhere).
COLUMNS_BY_NAME: dict[str, str] = {
    column: kind for columns in COLUMNS.values() for column, (kind, _) in columns.items()
}


def datapackage(base_url: str) -> dict[str, Any]:
    """A Frictionless Data Package describing the CSV files (English descriptions)."""
    with force_locale("en"):
        return _datapackage(base_url)


def _datapackage(base_url: str) -> dict[str, Any]:
    return {
        "profile": "tabular-data-package",
        "name": "noticeboard-open-data",
        "title": "Noticeboard open data",
        "resources": [
            {
                "name": name,
                "path": f"{base_url}{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "description": str(DATASETS[name]),
                "schema": {
                    "fields": [
                        {"name": column, "type": kind, "description": str(text)}
                        for column, (kind, text) in COLUMNS[name].items()
                    ]
                },
            }
            for name in DATASETS
        ],
    }
