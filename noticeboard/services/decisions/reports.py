"""The adoption report of a law: how many opinions came in, and what became of them,
overall and by office, channel and article."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from noticeboard.models import (
    DraftVersion,
    Law,
    Office,
    Opinion,
    Outcome,
    VersionArticle,
    opinion_article,
)
from noticeboard.services.permissions import Actor, Permission, require

OUTCOME_KEYS = tuple(o.value for o in Outcome)
DECIDED = ("adopted", "partially_adopted", "not_adopted")


@dataclass
class Tally:
    label: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOME_KEYS, 0))

    @property
    def received(self) -> int:
        return sum(self.counts.values())

    @property
    def adopted_share(self) -> float:
        """Adopted wholly or partly, among opinions decided (withdrawn ones aside)."""
        decided = sum(self.counts[key] for key in DECIDED)
        credited = self.counts["adopted"] + self.counts["partially_adopted"]
        return credited / decided if decided else 0.0


@dataclass(frozen=True)
class AdoptionReport:
    law: Law
    total: Tally
    by_office: list[Tally]
    by_channel: list[Tally]
    by_article: list[Tally]

    def sections(self) -> Iterator[tuple[str, list[Tally]]]:
        yield "office", self.by_office
        yield "channel", self.by_channel
        yield "article", self.by_article


def _tallies(rows: list[tuple[str | None, Outcome, int]], unnamed: str) -> list[Tally]:
    table: dict[str, Tally] = {}
    for label, outcome, n in rows:
        name = label or unnamed
        table.setdefault(name, Tally(name)).counts[outcome.value] += n
    return sorted(table.values(), key=lambda t: (-t.received, t.label))


def adoption_report(session: Session, actor: Actor, law: Law) -> AdoptionReport:
    require(actor, Permission.DECIDE_OPINIONS)
    on_law = Opinion.law_id == law.id
    total = Tally(law.title)
    for outcome, n in session.execute(
        select(Opinion.outcome, func.count()).where(on_law).group_by(Opinion.outcome)
    ):
        total.counts[outcome.value] = n
    by_office = session.execute(
        select(Office.name, Opinion.outcome, func.count())
        .select_from(Opinion)
        .outerjoin(Office, Office.id == Opinion.office_id)
        .where(on_law)
        .group_by(Office.name, Opinion.outcome)
    ).all()
    by_channel = session.execute(
        select(Opinion.channel, Opinion.outcome, func.count())
        .where(on_law)
        .group_by(Opinion.channel, Opinion.outcome)
    ).all()
    # Articles by their stable key, named as in the latest version that has them.
    by_key = session.execute(
        select(VersionArticle.key, Opinion.outcome, func.count())
        .select_from(Opinion)
        .join(opinion_article, opinion_article.c.opinion_id == Opinion.id)
        .join(VersionArticle, VersionArticle.id == opinion_article.c.article_id)
        .where(on_law)
        .group_by(VersionArticle.key, Opinion.outcome)
    ).all()
    names = dict(
        session.execute(
            select(VersionArticle.key, VersionArticle.label)
            .join(DraftVersion, DraftVersion.id == VersionArticle.version_id)
            .where(DraftVersion.law_id == law.id)
            .order_by(DraftVersion.sequence)
        ).all()
    )
    return AdoptionReport(
        law=law,
        total=total,
        by_office=_tallies([(name, o, n) for name, o, n in by_office], "—"),
        by_channel=_tallies([(c.value, o, n) for c, o, n in by_channel], "—"),
        by_article=_tallies([(names.get(key, key), o, n) for key, o, n in by_key], "—"),
    )
