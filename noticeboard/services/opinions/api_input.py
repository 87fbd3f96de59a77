"""A JSON opinion from another system, read into an ``OpinionInput``.

The words accepted are the import's (channel and category values or their Chinese
names, dates as 2024-05-31, article labels or numbers); types are checked strictly, and
unknown fields are refused so that a misspelt field is never silently dropped. What the
input then has to satisfy is ``opinions.check_input``, as for every other entry path.
"""

from __future__ import annotations

from typing import Any

from noticeboard.models import (
    CollectionPoint,
    ContributorCategory,
    DraftVersion,
    Office,
    VersionArticle,
)
from noticeboard.services.errors import ValidationFailed
from noticeboard.services.imports.values import Lookups, parse_category, parse_channel, parse_date
from noticeboard.services.opinions.queries import version_articles
from noticeboard.services.opinions.recording import FieldErrors, OpinionInput, resolve_articles

TEXT_FIELDS = (
    "law",
    "office",
    "collection_point",
    "channel",
    "received_on",
    "contributor_name",
    "contributor_category",
    "contact",
    "language",
    "text",
    "summary",
    "reference",
)
FLAGS = ("name_public", "notify")  # true or false; false when omitted
FIELDS = frozenset((*TEXT_FIELDS, *FLAGS, "version", "articles"))


def _strings(item: dict[str, Any], errors: FieldErrors) -> dict[str, str]:
    values: dict[str, str] = {}
    for name in TEXT_FIELDS:
        value = item.get(name)
        if isinstance(value, str):
            values[name] = value.strip()
        elif value is None:
            values[name] = ""
        else:
            errors.append((name, ValidationFailed("Must be a string.")))
    return values


def _flags(item: dict[str, Any], errors: FieldErrors) -> dict[str, bool]:
    flags: dict[str, bool] = {}
    for name in FLAGS:
        value = item.get(name, False)
        if not isinstance(value, bool):
            errors.append((name, ValidationFailed("Must be true or false.")))
        flags[name] = value is True
    return flags


def _typed(item: Any) -> tuple[dict[str, str], str, list[str], dict[str, bool], FieldErrors]:
    if not isinstance(item, dict):
        return {}, "", [], {}, [("", ValidationFailed("Each opinion is a JSON object."))]
    errors: FieldErrors = [
        (name, ValidationFailed("Unknown field.")) for name in sorted(set(item) - FIELDS)
    ]
    values = _strings(item, errors)
    version = item.get("version")
    reference = ""
    if isinstance(version, int) and not isinstance(version, bool):
        reference = str(version)
    elif isinstance(version, str):
        reference = version
    elif version is not None:
        errors.append(("version", ValidationFailed("Must be a version number or label.")))
    articles = item.get("articles", [])
    if isinstance(articles, str):
        articles = [articles]
    if not (isinstance(articles, list) and all(isinstance(a, str) for a in articles)):
        errors.append(("articles", ValidationFailed("Must be a list of article labels.")))
        articles = []
    return values, reference, articles, _flags(item, errors), errors


def opinion_input(lookups: Lookups, item: Any) -> tuple[OpinionInput | None, FieldErrors]:
    """The opinion to check, or None; and every problem found on the way."""
    values, reference, articles, flags, errors = _typed(item)
    if errors:
        return None, errors
    version = _version(lookups, values["law"], reference, errors)
    office, point = _office(lookups, values["office"], values["collection_point"], errors)
    channel = parse_channel(values["channel"])
    if channel is None:
        errors.append(
            ("channel", ValidationFailed("Unknown channel %(value)s.", value=values["channel"]))
        )
    received_on = parse_date(values["received_on"])
    if received_on is None:
        errors.append(
            (
                "received_on",
                ValidationFailed(
                    "Not a date: %(value)s. Write it as 2024-05-31.", value=values["received_on"]
                ),
            )
        )
    category = parse_category(values["contributor_category"])
    if category is None:
        value = values["contributor_category"]
        errors.append(
            ("contributor_category", ValidationFailed("Unknown category %(value)s.", value=value))
        )
    if not values["text"]:
        errors.append(("text", ValidationFailed("An opinion needs its text.")))
    found: list[VersionArticle] = []
    if version is not None and articles:
        rows = version_articles(lookups.session, version.id)
        found, unknown = resolve_articles(rows, "、".join(articles))
        if unknown:
            refs = "、".join(unknown)
            errors.append(
                (
                    "articles",
                    ValidationFailed("Not an article of this version: %(refs)s.", refs=refs),
                )
            )
    if errors or version is None or channel is None or received_on is None:
        return None, errors
    return OpinionInput(
        version=version,
        text=values["text"],
        channel=channel,
        received_on=received_on,
        articles=found,
        office=office,
        collection_point=point,
        contributor_name=values["contributor_name"],
        contributor_category=category or ContributorCategory.CITIZEN,
        name_public=flags["name_public"],
        contact=values["contact"],
        notify=flags["notify"],
        # Checked with the rest ("zh" or "en"), as every entry path checks it.
        language=values["language"] or "zh",
        summary=values["summary"],
        reference=values["reference"],
    ), []


def _version(
    lookups: Lookups, slug: str, reference: str, errors: FieldErrors
) -> DraftVersion | None:
    if not slug:
        errors.append(("law", ValidationFailed("The law is missing.")))
        return None
    law = lookups.law(slug)
    if law is None:
        errors.append(("law", ValidationFailed("No law with the slug %(slug)s.", slug=slug)))
        return None
    version = lookups.version(law, reference)
    if version is None:
        errors.append(("version", ValidationFailed("The law has no such published version.")))
    return version


def _office(
    lookups: Lookups, slug: str, point_slug: str, errors: FieldErrors
) -> tuple[Office | None, CollectionPoint | None]:
    office = lookups.office(slug) if slug else None
    if slug and office is None:
        errors.append(("office", ValidationFailed("No office with the slug %(slug)s.", slug=slug)))
    point = None
    if point_slug:
        if office is not None:
            point = lookups.point(office, point_slug)
            if point is None:
                errors.append(
                    (
                        "collection_point",
                        ValidationFailed(
                            "The office has no collection point %(slug)s.", slug=point_slug
                        ),
                    )
                )
        elif not slug:
            errors.append(
                ("collection_point", ValidationFailed("A collection point needs its office."))
            )
    return office, point
