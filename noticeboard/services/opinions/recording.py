"""Recording opinions: the checks every entry path shares, and the receipt.

The fast entry form, the bulk import and the demo all build an ``OpinionInput`` and go
through ``check_input``; ``record_opinion`` stores one, with a fresh receipt code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from noticeboard.models import (
    Channel,
    CollectionPoint,
    ContributorCategory,
    DraftVersion,
    Office,
    Opinion,
    VersionArticle,
    VersionStatus,
)
from noticeboard.services.accounts.scope import OfficeScope, office_scope
from noticeboard.services.audit import record_event
from noticeboard.services.errors import PermissionDenied, ServiceError, ValidationFailed
from noticeboard.services.notices.contacts import check_contact
from noticeboard.services.opinions.bulk import fresh_receipt_codes, new_feed_token
from noticeboard.services.opinions.references import (
    clean_reference,
    duplicate_reference,
    reference_format_error,
    taken_references,
)
from noticeboard.services.permissions import Actor, Permission, require
from noticeboard.services.triage.staleness import note_triage_needed

MAX_TEXT = 20_000
MAX_SUMMARY = 5_000
MAX_NAME = 200
MAX_CONTACT = 300
EARLIEST = date(1949, 10, 1)
_REF_SEPARATORS = re.compile(r"[,，、;；\n]+")
_NUMBER = re.compile(r"^(\d+)(?:\s*(?:-|之)\s*(\d+))?$")

LANGUAGES = ("zh", "en")  # what a notice can be written in

FieldErrors = list[tuple[str, ServiceError]]


@dataclass
class OpinionInput:
    """One opinion as entered, its references already resolved to rows."""

    version: DraftVersion
    text: str
    channel: Channel
    received_on: date
    articles: Sequence[VersionArticle] = ()
    office: Office | None = None
    collection_point: CollectionPoint | None = None
    contributor_name: str = ""
    contributor_category: ContributorCategory = ContributorCategory.CITIZEN
    name_public: bool = False
    contact: str = ""
    # Consent of its own to be told the outcome at ``contact``, never on by default.
    notify: bool = False
    language: str = "zh"  # the contributor's, for that notice: "zh" or "en"
    summary: str = ""
    # The sender's own number for it (``opinions.references``); None for none.
    reference: str | None = None
    # Errors found while resolving references (an unknown article label, say).
    resolve_errors: FieldErrors = field(default_factory=list)

    def cleaned(self) -> OpinionInput:
        self.text = self.text.strip()
        self.summary = self.summary.strip()
        self.contributor_name = " ".join(self.contributor_name.split())
        self.contact = self.contact.strip()
        self.reference = clean_reference(self.reference)
        return self


def today_in(zone: str = "Asia/Shanghai") -> date:
    return datetime.now(ZoneInfo(zone)).date()


def check_input(scope: OfficeScope, data: OpinionInput, today: date | None = None) -> FieldErrors:
    """Every problem with ``data``, as (field, error) pairs; empty when it can be stored."""
    errors: FieldErrors = list(data.resolve_errors)
    today = today or today_in()
    version = data.version
    if version.status is not VersionStatus.PUBLISHED:
        errors.append(
            ("version", ValidationFailed("Opinions are recorded on a published version."))
        )
    if any(article.version_id != version.id for article in data.articles):
        errors.append(("articles", ValidationFailed("An article is not in the chosen version.")))
    errors.extend(_check_office(scope, data))
    if not data.text:
        errors.append(("text", ValidationFailed("An opinion needs its text.")))
    elif len(data.text) > MAX_TEXT:
        errors.append(
            (
                "text",
                ValidationFailed("The text is too long (at most %(n)d characters).", n=MAX_TEXT),
            )
        )
    if len(data.summary) > MAX_SUMMARY:
        errors.append(
            (
                "summary",
                ValidationFailed(
                    "The summary is too long (at most %(n)d characters).", n=MAX_SUMMARY
                ),
            )
        )
    if data.received_on > today + timedelta(days=1):
        errors.append(("received_on", ValidationFailed("The date received is in the future.")))
    elif data.received_on < EARLIEST:
        errors.append(("received_on", ValidationFailed("The date received is too early.")))
    if len(data.contributor_name) > MAX_NAME:
        errors.append(("contributor_name", ValidationFailed("The name is too long.")))
    if data.name_public and not data.contributor_name:
        errors.append(("name_public", ValidationFailed("Consent to show a name needs a name.")))
    if len(data.contact) > MAX_CONTACT:
        errors.append(("contact", ValidationFailed("The contact is too long.")))
    else:
        try:
            data.contact = check_contact(data.contact, notify=data.notify).value
        except ValidationFailed as exc:
            errors.append(("notify" if not data.contact else "contact", exc))
    if data.language not in LANGUAGES:
        errors.append(("language", ValidationFailed("Choose Chinese or English.")))
    reference_error = reference_format_error(data.reference)
    if reference_error is not None:
        errors.append(("reference", reference_error))
    return errors


def reference_problems(session: Session, data: OpinionInput) -> FieldErrors:
    """The stored opinion of the same law that holds ``data``'s reference already, if any
    (``check_input`` reads no table; this is its one look-up)."""
    reference = data.reference
    if reference is None or reference_format_error(reference) is not None:
        return []
    if taken_references(session, data.version.law_id, [reference]):
        return [("reference", duplicate_reference(reference))]
    return []


def _check_office(scope: OfficeScope, data: OpinionInput) -> FieldErrors:
    office, point = data.office, data.collection_point
    if office is None:
        if point is not None:
            return [("collection_point", ValidationFailed("A collection point needs its office."))]
        if not scope.everything:
            return [("office", ValidationFailed("Choose the office the opinion came in at."))]
        return []
    errors: FieldErrors = []
    if not scope.covers(office.id):
        errors.append(
            (
                "office",
                PermissionDenied("You record opinions only for your office and those below it."),
            )
        )
    elif not office.is_active:
        errors.append(("office", ValidationFailed("This office is closed.")))
    if point is not None and point.office_id != office.id:
        errors.append(
            (
                "collection_point",
                ValidationFailed("The collection point belongs to another office."),
            )
        )
    elif point is not None and not point.is_active:
        errors.append(("collection_point", ValidationFailed("This collection point is closed.")))
    return errors


def raise_first(errors: FieldErrors) -> None:
    """Raise the first error, carrying all of them (field -> English message) as details."""
    if errors:
        first = errors[0][1]
        first.details = {"fields": {name: error.message for name, error in errors}}
        raise first


def problems_with(session: Session, actor: Actor, data: OpinionInput) -> FieldErrors:
    """What ``record_opinion`` would refuse, field by field, for a form to show at once."""
    require(actor, Permission.RECORD_OPINIONS)
    errors = check_input(office_scope(session, actor), data.cleaned())
    return errors + reference_problems(session, data)


def record_opinion(session: Session, actor: Actor, data: OpinionInput) -> Opinion:
    """Check and store one opinion with a fresh receipt code; audited without personal data."""
    require(actor, Permission.RECORD_OPINIONS)
    data.cleaned()
    raise_first(check_input(office_scope(session, actor), data) + reference_problems(session, data))
    opinion = Opinion(
        receipt_code=fresh_receipt_codes(session, 1)[0],
        feed_token=new_feed_token(),
        law_id=data.version.law_id,
        version=data.version,
        office=data.office,
        collection_point=data.collection_point,
        channel=data.channel,
        received_on=data.received_on,
        contributor_name=data.contributor_name,
        contributor_category=data.contributor_category,
        name_public=data.name_public,
        contact=data.contact,
        notify=data.notify,
        language=data.language,
        text=data.text,
        summary=data.summary,
        reference=data.reference,
        recorded_by_id=actor.id,
        articles=list(dict.fromkeys(data.articles)),
    )
    session.add(opinion)
    session.flush()
    record_event(
        session,
        actor,
        "opinion.record",
        "opinion",
        opinion.id,
        receipt=opinion.receipt_code,
        version=data.version.id,
        channel=data.channel.value,
        office=data.office.slug if data.office else None,
    )
    note_triage_needed(session, opinion.law_id)  # grouped and matched once committed
    return opinion


def resolve_articles(
    articles: Sequence[VersionArticle], references: str
) -> tuple[list[VersionArticle], list[str]]:
    """Articles of one version named in ``references``, and the references that match none.

    References are separated by commas (any width), 、 or semicolons; each is a label as
    written (第十二条, Article 12) or a number (12, 12-1 or 12之1 for 第十二条之一).
    """
    return ArticleIndex(articles).resolve(references)


class ArticleIndex:
    """One version's articles by label and by number; an import builds it once per version."""

    def __init__(self, articles: Sequence[VersionArticle]) -> None:
        self.by_label = {" ".join(a.label.split()): a for a in articles}
        self.by_number = {a.number: a for a in articles}

    def lookup(self, token: str) -> VersionArticle | None:
        match = _NUMBER.match(token)
        if match:
            number = f"{int(match[1])}-{int(match[2])}" if match[2] else str(int(match[1]))
            return self.by_number.get(number)
        return self.by_label.get(token)

    def resolve(self, references: str) -> tuple[list[VersionArticle], list[str]]:
        found: list[VersionArticle] = []
        unknown: list[str] = []
        for part in _REF_SEPARATORS.split(references):
            ref = " ".join(part.split())
            if not ref:
                continue
            # "12 14 15" names three articles; "Article 12" is one label.
            words = ref.split(" ")
            tokens = words if len(words) > 1 and all(map(self.lookup, words)) else [ref]
            for token in tokens:
                article = self.lookup(token)
                if article is None:
                    unknown.append(token)
                elif article not in found:
                    found.append(article)
        return found, unknown
