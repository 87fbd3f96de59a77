"""One spreadsheet row to an ``OpinionInput``: names resolved to rows, words to values."""

from __future__ import annotations

from collections.abc import Callable

from noticeboard.models import (
    CollectionPoint,
    ContributorCategory,
    DraftVersion,
    Law,
    Office,
    VersionArticle,
)
from noticeboard.services.errors import ServiceError, ValidationFailed
from noticeboard.services.imports.files import Cell
from noticeboard.services.imports.values import (
    Lookups,
    parse_bool,
    parse_category,
    parse_channel,
    parse_date,
    parse_language,
)
from noticeboard.services.opinions.recording import FieldErrors, OpinionInput
from noticeboard.services.storable import first_unstorable, unstorable_error

Fail = Callable[[str, ServiceError], None]


def row_input(
    lookups: Lookups, values: dict[str, Cell], text: dict[str, str], default_law: Law | None
) -> tuple[OpinionInput | None, FieldErrors]:
    """One row (its cells, and the same as text) as an opinion to check, or None; and the
    problems found on the way."""
    problems: list[tuple[str, ServiceError]] = []

    def fail(column: str, error: ServiceError) -> None:
        problems.append((column, error))

    # Checked first: such a value must not reach a lookup query either.
    for column, value in text.items():
        found = first_unstorable(value)
        if found is not None:
            fail(column, unstorable_error(found))
    if problems:
        return None, problems
    version = _version(lookups, text, default_law, fail)
    office, point = _office(lookups, text, fail)
    channel = parse_channel(text.get("channel", ""))
    if channel is None:
        fail("channel", ValidationFailed("Unknown channel %(value)s.", value=text["channel"]))
    received_on = parse_date(values.get("received_on"))
    if received_on is None:
        fail(
            "received_on",
            ValidationFailed(
                "Not a date: %(value)s. Write it as 2024-05-31.", value=text["received_on"]
            ),
        )
    category = parse_category(text.get("contributor_category", ""))
    if category is None:
        value = text["contributor_category"]
        fail("contributor_category", ValidationFailed("Unknown category %(value)s.", value=value))
    if not text.get("text"):
        fail("text", ValidationFailed("An opinion needs its text."))
    name_public = parse_bool(text.get("name_public", ""))
    if name_public is None:
        fail("name_public", ValidationFailed("Write yes or no."))
    notify = parse_bool(text.get("notify", ""))
    if notify is None:
        fail("notify", ValidationFailed("Write yes or no."))
    language = parse_language(text.get("language", ""))
    if language is None:
        fail("language", ValidationFailed("Write zh or en."))
    articles: list[VersionArticle] = []
    if version is not None and text.get("articles"):
        articles, unknown = lookups.articles(version).resolve(text["articles"])
        if unknown:
            refs = "、".join(unknown)
            fail(
                "articles", ValidationFailed("Not an article of this version: %(refs)s.", refs=refs)
            )

    if problems or version is None or channel is None or received_on is None:
        return None, problems
    data = OpinionInput(
        version=version,
        text=text.get("text", ""),
        channel=channel,
        received_on=received_on,
        articles=articles,
        office=office,
        collection_point=point,
        contributor_name=text.get("contributor_name", ""),
        contributor_category=category or ContributorCategory.CITIZEN,
        name_public=bool(name_public),
        contact=text.get("contact", ""),
        notify=bool(notify),
        language=language or "zh",
        summary=text.get("summary", ""),
        reference=text.get("reference", ""),
    )
    return data, problems


def _version(
    lookups: Lookups, text: dict[str, str], default_law: Law | None, fail: Fail
) -> DraftVersion | None:
    law = default_law
    if text.get("law"):
        law = lookups.law(text["law"])
        if law is None:
            fail("law", ValidationFailed("No law with the slug %(slug)s.", slug=text["law"]))
            return None
        if default_law is not None and law.id != default_law.id:
            fail("law", ValidationFailed("The row names another law than the one chosen."))
            return None
    if law is None:
        fail("law", ValidationFailed("The law is missing."))
        return None
    version = lookups.version(law, text.get("version", ""))
    if version is None:
        fail("version", ValidationFailed("The law has no such published version."))
    return version


def _office(
    lookups: Lookups, text: dict[str, str], fail: Fail
) -> tuple[Office | None, CollectionPoint | None]:
    office = point = None
    if text.get("office"):
        office = lookups.office(text["office"])
        if office is None:
            fail(
                "office", ValidationFailed("No office with the slug %(slug)s.", slug=text["office"])
            )
    if text.get("collection_point"):
        slug = text["collection_point"]
        if office is not None:
            point = lookups.point(office, slug)
            if point is None:
                error = ValidationFailed("The office has no collection point %(slug)s.", slug=slug)
                fail("collection_point", error)
        elif not text.get("office"):
            fail("collection_point", ValidationFailed("A collection point needs its office."))
    return office, point
