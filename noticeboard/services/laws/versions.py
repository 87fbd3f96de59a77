"""Draft versions: preview, save, replace, publish, withdraw, and mark as adopted text.

Lifecycle: `draft` (staff only, replaceable) -> `published` (public, immutable) ->
`withdrawn` (hidden from the public, kept). A published text is never edited in place.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from noticeboard.diffing import ParsedDraft, compare_drafts, parse_draft
from noticeboard.models import (
    DraftVersion,
    Law,
    LawStatus,
    VersionArticle,
    VersionComparison,
    VersionStatus,
    utcnow,
)
from noticeboard.services.audit import record_event
from noticeboard.services.decisions.links import completeness
from noticeboard.services.errors import Conflict, NeedsConfirmation, ValidationFailed
from noticeboard.services.laws.comparisons import (
    delete_comparisons,
    parsed_from_rows,
    refresh_consecutive,
)
from noticeboard.services.laws.pairs import store_public_pairs
from noticeboard.services.loading import ensure_loaded
from noticeboard.services.permissions import Actor, Permission, require
from noticeboard.services.triage.staleness import version_changed

MAX_LABEL = 200


@dataclass(frozen=True)
class VersionPreview:
    """What staff see before saving: how the text parsed, and what changed."""

    parsed: ParsedDraft
    previous_label: str | None
    counts: dict[str, int] | None

    @property
    def chapters(self) -> tuple[tuple[str, ...], ...]:
        return self.parsed.chapters()


def preview_version(session: Session, law: Law, source_text: str) -> VersionPreview:
    parsed = _parse_checked(source_text)
    previous = _latest(session, law)
    if previous is None:
        return VersionPreview(parsed=parsed, previous_label=None, counts=None)
    comparison = compare_drafts(parsed_from_rows(session, previous), parsed)
    return VersionPreview(parsed=parsed, previous_label=previous.label, counts=comparison.counts())


def add_version(
    session: Session,
    actor: Actor,
    law: Law,
    *,
    label: str,
    source_text: str,
    publish: bool = False,
    published_at: datetime | None = None,
    comment_opens_at: datetime | None = None,
    comment_closes_at: datetime | None = None,
) -> DraftVersion:
    """Parse and store a new version after the latest one, with its comparison."""
    require(actor, Permission.MANAGE_VERSIONS)
    parsed = _parse_checked(source_text)
    _check_window(comment_opens_at, comment_closes_at)
    last = session.scalar(
        select(func.max(DraftVersion.sequence)).where(DraftVersion.law_id == law.id)
    )
    sequence = (last or 0) + 1
    version = DraftVersion(
        law=law,
        sequence=sequence,
        label=_clean_label(label) or f"Version {sequence}",
        status=VersionStatus.DRAFT,
        comment_opens_at=comment_opens_at,
        comment_closes_at=comment_closes_at,
        source_text=source_text,
        content_hash="",
    )
    _store_text(version, source_text, parsed)
    session.add(version)
    session.flush()
    refresh_consecutive(session, version)
    version_changed(session, version)
    record_event(
        session,
        actor,
        "version.add",
        "draft_version",
        version.id,
        law=law.slug,
        sequence=sequence,
        articles=version.article_count,
    )
    if publish:  # loading a finished history (demo, import): nothing to credit yet
        publish_version(session, actor, version, published_at=published_at, force=True)
    return version


def replace_draft(
    session: Session,
    actor: Actor,
    version: DraftVersion,
    *,
    source_text: str,
    label: str | None = None,
) -> DraftVersion:
    """Swap the text of an unpublished version; its comparisons are recomputed."""
    require(actor, Permission.MANAGE_VERSIONS)
    if version.status is not VersionStatus.DRAFT:
        raise Conflict("Only an unpublished draft can be replaced; publish a new version instead.")
    parsed = _parse_checked(source_text)
    before = version.content_hash
    delete_comparisons(
        session,
        (VersionComparison.from_version_id == version.id)
        | (VersionComparison.to_version_id == version.id),
    )
    ensure_loaded(session, version, "articles")
    version.articles.clear()
    session.flush()
    _store_text(version, source_text, parsed)
    if label is not None and _clean_label(label):
        version.label = _clean_label(label)
    session.flush()
    refresh_consecutive(session, version)
    version_changed(session, version)
    record_event(
        session,
        actor,
        "version.replace",
        "draft_version",
        version.id,
        before=before,
        after=version.content_hash,
    )
    return version


def publish_version(
    session: Session,
    actor: Actor,
    version: DraftVersion,
    *,
    published_at: datetime | None = None,
    force: bool = False,
) -> DraftVersion:
    """Make a draft public. Changes nobody has credited (no linked opinion, no editorial
    mark) or opinions still pending on the previous version need `force`, which is audited."""
    require(actor, Permission.MANAGE_VERSIONS)
    if version.status is not VersionStatus.DRAFT:
        raise Conflict("This version is not an unpublished draft.")
    report = completeness(session, version)
    if not report.complete and not force:
        raise NeedsConfirmation(
            "Before publishing: %(changes)d changed articles have neither a linked opinion nor "
            "an editorial mark, and %(pending)d opinions on the previous version are pending.",
            changes=len(report.uncredited),
            pending=report.pending,
        )
    version.status = VersionStatus.PUBLISHED
    version.published_at = published_at or utcnow()
    ensure_loaded(session, version, "law")
    if version.law.status is LawStatus.DRAFTING:
        version.law.status = LawStatus.CONSULTATION
    session.flush()
    store_public_pairs(session, version.law_id)
    record_event(
        session,
        actor,
        "version.publish",
        "draft_version",
        version.id,
        incomplete=None if report.complete else report.summary(),
    )
    return version


def withdraw_version(
    session: Session, actor: Actor, version: DraftVersion, *, reason: str
) -> DraftVersion:
    """Hide a mistaken published version from the public; it is kept and audited."""
    require(actor, Permission.MANAGE_VERSIONS)
    if version.status is not VersionStatus.PUBLISHED:
        raise Conflict("Only a published version can be withdrawn.")
    if not reason.strip():
        raise ValidationFailed("Say why the version is withdrawn; the reason is kept.")
    version.status = VersionStatus.WITHDRAWN
    version.withdrawn_at = utcnow()
    version.withdrawal_reason = reason.strip()
    if version.is_adopted_text:
        version.is_adopted_text = False
        ensure_loaded(session, version, "law")
        version.law.status = LawStatus.CONSULTATION
    session.flush()
    store_public_pairs(session, version.law_id)
    record_event(session, actor, "version.withdraw", "draft_version", version.id, reason=reason)
    return version


def mark_adopted_text(session: Session, actor: Actor, version: DraftVersion) -> DraftVersion:
    """The law was enacted in this text: it must be the last published version."""
    require(actor, Permission.MANAGE_VERSIONS)
    if version.status is not VersionStatus.PUBLISHED:
        raise Conflict("Only a published version can be the adopted text.")
    later = session.scalar(
        select(func.count()).where(
            DraftVersion.law_id == version.law_id,
            DraftVersion.sequence > version.sequence,
            DraftVersion.status != VersionStatus.WITHDRAWN,
        )
    )
    if later:
        raise Conflict("A later version exists; the adopted text is the last one.")
    ensure_loaded(session, version, "law")
    ensure_loaded(session, version.law, "versions")
    for other in version.law.versions:
        other.is_adopted_text = other is version
    version.law.status = LawStatus.ADOPTED
    session.flush()
    record_event(session, actor, "version.adopt", "draft_version", version.id, law=version.law.slug)
    return version


def set_comment_window(
    session: Session,
    actor: Actor,
    version: DraftVersion,
    *,
    opens_at: datetime | None,
    closes_at: datetime | None,
) -> DraftVersion:
    require(actor, Permission.MANAGE_VERSIONS)
    _check_window(opens_at, closes_at)
    before = [_iso(version.comment_opens_at), _iso(version.comment_closes_at)]
    version.comment_opens_at, version.comment_closes_at = opens_at, closes_at
    session.flush()
    record_event(
        session,
        actor,
        "version.comment_window",
        "draft_version",
        version.id,
        before=before,
        after=[_iso(opens_at), _iso(closes_at)],
    )
    return version


def _store_text(version: DraftVersion, source_text: str, parsed: ParsedDraft) -> None:
    version.source_text = source_text
    version.content_hash = hashlib.sha256(source_text.encode()).hexdigest()
    version.preamble = parsed.preamble
    version.article_count = len(parsed.articles)
    version.parse_warnings = [[w.line, w.code, w.message] for w in parsed.warnings]
    version.articles = [
        VersionArticle(
            position=position,
            key="",  # assigned along the version chain by refresh_consecutive
            label=article.label[:100],
            number=article.number[:32],
            heading_path=list(article.heading_path),
            text=article.text,
        )
        for position, article in enumerate(parsed.articles)
    ]


# The longest codes run to a few thousand articles (the Civil Code has 1,260). A text
# with more is several laws or a generated file, and storing it would hold the request
# for minutes: refused at the preview, before anything is written.
MAX_ARTICLES = 10_000


def _parse_checked(source_text: str) -> ParsedDraft:
    if not source_text.strip():
        raise ValidationFailed("The draft text is empty.")
    parsed = parse_draft(source_text)
    if not parsed.articles:
        raise ValidationFailed(
            "No articles were recognised. Each article should start a line with its number, "
            "such as 第一条 or Article 1."
        )
    if len(parsed.articles) > MAX_ARTICLES:
        raise ValidationFailed(
            "This text has %(count)s articles; a draft can hold at most %(limit)s. "
            "Check that it is one law, not several pasted together.",
            count=f"{len(parsed.articles):,}",
            limit=f"{MAX_ARTICLES:,}",
        )
    return parsed


def _latest(session: Session, law: Law) -> DraftVersion | None:
    return session.scalar(
        select(DraftVersion)
        .where(DraftVersion.law_id == law.id)
        .order_by(DraftVersion.sequence.desc())
        .limit(1)
    )


def _check_window(opens_at: datetime | None, closes_at: datetime | None) -> None:
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValidationFailed("The comment window must close after it opens.")


def _clean_label(label: str) -> str:
    return " ".join(label.split())[:MAX_LABEL]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
