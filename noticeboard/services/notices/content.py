"""What a notice says, read for a batch of notices at once: the law and articles, the
outcome and its public reason, the changed text for an adoption, the office, and the
two links (``/track#CODE`` and unsubscribe). Read when it is sent, so a reason edited
before then is the one the contributor reads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import (
    Change,
    ChangeArticle,
    ChangeLink,
    Decision,
    Law,
    Notice,
    NoticeChannel,
    Office,
    Opinion,
    Outcome,
    VersionArticle,
    opinion_article,
)

ADOPTIONS = (Outcome.ADOPTED, Outcome.PARTIALLY_ADOPTED)
MAX_CHANGES = 3  # changed articles quoted in one message; the page has the rest


@dataclass(frozen=True)
class ChangedText:
    old_label: str
    new_label: str
    before: str
    after: str


@dataclass(frozen=True)
class NoticeContent:
    notice_id: int
    opinion_id: int
    channel: NoticeChannel
    language: str
    contact: str
    receipt_code: str
    law_title: str
    law_title_en: str | None
    articles: tuple[str, ...]
    outcome: Outcome
    reason_code: str | None
    public_reason: str
    office_name: str | None
    office_name_en: str | None
    changes: tuple[ChangedText, ...]
    more_changes: int
    message_token: str
    unsubscribe_token: str

    def law(self) -> str:
        return (self.law_title_en or self.law_title) if self.language == "en" else self.law_title

    def office(self) -> str | None:
        if self.language == "en":
            return self.office_name_en or self.office_name
        return self.office_name


def load_contents(session: Session, notices: Sequence[Notice]) -> dict[int, NoticeContent]:
    """Each notice's content by notice id, in a handful of queries for the whole batch."""
    if not notices:
        return {}
    opinion_ids = [n.opinion_id for n in notices]
    rows = session.execute(
        select(Opinion, Law, Office)
        .join(Law, Law.id == Opinion.law_id)
        .outerjoin(Office, Office.id == Opinion.office_id)
        .where(Opinion.id.in_(opinion_ids))
    ).all()
    by_opinion = {row[0].id: row for row in rows}
    decisions = _decisions(session, [n.decision_id for n in notices if n.decision_id])
    articles = _article_labels(session, opinion_ids)
    changes = _changed_texts(session, opinion_ids)
    contents: dict[int, NoticeContent] = {}
    for notice in notices:
        found = by_opinion.get(notice.opinion_id)
        if found is None:
            continue
        opinion, law, office = found
        decision = decisions.get(notice.decision_id or 0)
        outcome = decision.outcome if decision is not None else opinion.outcome
        quoted = changes.get(opinion.id, []) if outcome in ADOPTIONS else []
        contents[notice.id] = NoticeContent(
            notice_id=notice.id,
            opinion_id=opinion.id,
            channel=notice.channel,
            language=notice.language,
            contact=opinion.contact,
            receipt_code=opinion.receipt_code,
            law_title=law.title,
            law_title_en=law.title_en,
            articles=tuple(articles.get(opinion.id, [])),
            outcome=outcome,
            reason_code=decision.reason_code.value if decision and decision.reason_code else None,
            public_reason=decision.public_reason if decision is not None else "",
            office_name=office.name if office is not None else None,
            office_name_en=office.name_en if office is not None else None,
            changes=tuple(quoted[:MAX_CHANGES]),
            more_changes=max(0, len(quoted) - MAX_CHANGES),
            message_token=notice.message_token,
            unsubscribe_token=notice.unsubscribe_token,
        )
    return contents


def _decisions(session: Session, ids: list[int]) -> dict[int, Decision]:
    if not ids:
        return {}
    return {d.id: d for d in session.scalars(select(Decision).where(Decision.id.in_(ids)))}


def _article_labels(session: Session, opinion_ids: list[int]) -> dict[int, list[str]]:
    labels: dict[int, list[str]] = defaultdict(list)
    for opinion_id, label in session.execute(
        select(opinion_article.c.opinion_id, VersionArticle.label)
        .join(VersionArticle, VersionArticle.id == opinion_article.c.article_id)
        .where(opinion_article.c.opinion_id.in_(opinion_ids))
        .order_by(opinion_article.c.opinion_id, VersionArticle.position)
    ):
        labels[opinion_id].append(label)
    return labels


def _changed_texts(session: Session, opinion_ids: list[int]) -> dict[int, list[ChangedText]]:
    """The changes linked to each opinion, as text before and after: from the stored
    character diff (kept and deleted runs make the old text, kept and inserted the new),
    or, for an added or deleted article, which has no diff, from the article itself."""
    linked = session.execute(
        select(ChangeLink.opinion_id, Change)
        .join(Change, Change.id == ChangeLink.change_id)
        .where(ChangeLink.opinion_id.in_(opinion_ids))
        .order_by(ChangeLink.opinion_id, Change.ordinal)
    ).all()
    whole = _article_texts(session, [c.id for _, c in linked if c.diff is None])
    texts: dict[int, list[ChangedText]] = defaultdict(list)
    for opinion_id, change in linked:
        if change.diff is not None:
            before, after = _side(change.diff, keep=-1), _side(change.diff, keep=1)
        else:
            before, after = whole.get((change.id, "old"), ""), whole.get((change.id, "new"), "")
        texts[opinion_id].append(
            ChangedText("、".join(change.old_labels), "、".join(change.new_labels), before, after)
        )
    return texts


def _article_texts(session: Session, change_ids: list[int]) -> dict[tuple[int, str], str]:
    if not change_ids:
        return {}
    parts: dict[tuple[int, str], list[str]] = defaultdict(list)
    for change_id, side, text in session.execute(
        select(ChangeArticle.change_id, ChangeArticle.side, VersionArticle.text)
        .join(VersionArticle, VersionArticle.id == ChangeArticle.article_id)
        .where(ChangeArticle.change_id.in_(change_ids))
        .order_by(ChangeArticle.change_id, VersionArticle.position)
    ):
        parts[(change_id, side)].append(text)
    return {key: "\n".join(value) for key, value in parts.items()}


def _side(diff: list[Any], keep: int) -> str:
    """One side of a stored diff: the kept runs and those of that side (-1 old, 1 new)."""
    return "".join(str(run[1]) for run in diff if run[0] in (0, keep))
