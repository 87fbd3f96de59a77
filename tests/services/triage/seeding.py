"""Triage rows written directly (the clustering and matching engines fill them in the
application), so the queue and the office report can be tested on their own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from noticeboard.models import (
    Change,
    ChangeKind,
    Law,
    Opinion,
    OpinionCluster,
    OpinionMatch,
    OpinionTriage,
    Outcome,
)
from noticeboard.services.decisions.outcomes import DecisionInput, decide_opinion
from noticeboard.services.laws.comparisons import stored_between
from noticeboard.services.permissions import SYSTEM
from tests import factories


@dataclass
class TriageLaw:
    law: Law
    v1: Any
    v2: Any
    changes: list[Change]  # the comparison's changes other than unchanged, in order

    def article(self, label: str) -> Any:
        return next(a for a in self.v1.articles if a.label == label)


def triage_law(session: Session, **fields: Any) -> TriageLaw:
    law = factories.make_law(session, **fields)
    v1 = factories.make_version(session, law)
    v2 = factories.make_version(session, law, factories.DRAFT_V2)
    comparison = stored_between(session, v1, v2)
    assert comparison is not None
    changes = [c for c in comparison.changes if c.kind is not ChangeKind.UNCHANGED]
    assert len(changes) >= 2
    return TriageLaw(law, v1, v2, changes)


def opinion(
    session: Session,
    setting: TriageLaw,
    *,
    articles: Sequence[str] = (),
    cluster: OpinionCluster | None = None,
    matches: Sequence[tuple[Change, float]] = (),
    **fields: Any,
) -> Opinion:
    """An opinion on version 1 citing ``articles``, in ``cluster``, with its matches given
    best first (rank 1, 2, ...)."""
    made = factories.make_opinion(
        session, setting.v1, articles=[setting.article(a) for a in articles], **fields
    )
    # merge: the recording path may already have fingerprinted it.
    session.merge(
        OpinionTriage(
            opinion_id=made.id,
            law_id=setting.law.id,
            cluster_id=cluster.id if cluster else None,
            shingles=10,
        )
    )
    for rank, (change, score) in enumerate(matches, start=1):
        session.merge(OpinionMatch(opinion_id=made.id, change_id=change.id, score=score, rank=rank))
    if cluster is not None:
        cluster.size += 1
        if cluster.representative_id is None:
            cluster.representative_id = made.id
    session.flush()
    return made


def cluster(session: Session, setting: TriageLaw) -> OpinionCluster:
    made = OpinionCluster(law_id=setting.law.id, size=0)
    session.add(made)
    session.flush()
    return made


def bulk_opinions(
    session: Session,
    setting: TriageLaw,
    count: int,
    *,
    clusters: int = 5,
    office_id: int | None = None,
) -> list[int]:
    """``count`` opinions written in batches: every third in one of ``clusters``
    campaigns, the others citing the version's articles in turn; each best-matched to a
    change in turn, with scores from 0.1 to 0.9 (so some are unmatched)."""
    from datetime import date

    from sqlalchemy import insert

    from noticeboard.models import Channel, ContributorCategory, Outcome, utcnow
    from noticeboard.services.imports.opinion_import import INSERT_COLUMNS
    from noticeboard.services.opinions.bulk import insert_opinions

    now = utcnow()
    articles = [a.id for a in setting.v1.articles]
    campaigns = [cluster(session, setting) for _ in range(clusters)]
    rows = [
        (setting.law.id, setting.v1.id, office_id, None, Channel.LETTER, date(2024, 5, 6), "",
         ContributorCategory.CITIZEN, False, "", f"意见{n}", "", Outcome.PENDING, None, now, now)
        for n in range(count)
    ]  # fmt: skip
    links = [[] if n % 3 == 0 else [articles[n % len(articles)]] for n in range(count)]
    ids = insert_opinions(session, INSERT_COLUMNS, rows, links)
    session.execute(
        insert(OpinionTriage),
        [
            {
                "opinion_id": opinion_id,
                "law_id": setting.law.id,
                "cluster_id": campaigns[n % clusters].id if n % 3 == 0 and clusters else None,
                "shingles": 10,
                "clustered_at": now,
            }
            for n, opinion_id in enumerate(ids)
        ],
    )
    session.execute(
        insert(OpinionMatch),
        [
            {
                "opinion_id": opinion_id,
                "change_id": setting.changes[n % len(setting.changes)].id,
                "score": 0.1 + (n % 9) / 10,
                "rank": 1,
                "article": 0.0,
                "quoted": 0.0,
                "similar": 0.0,
                "against": 0.0,
            }
            for n, opinion_id in enumerate(ids)
        ],
    )
    for campaign in campaigns:
        campaign.size = count // (3 * clusters)
        campaign.representative_id = ids[0]
    session.flush()
    return ids


def queue_setting(db_session: Session) -> TriageLaw:
    """A campaign of 3 (two best-matched to change 0, one to change 1), two opinions in
    no cluster on 第二条 (one matched, one not), one citing nothing and matching nothing,
    and one decided opinion on 第三条."""
    s = triage_law(db_session)
    first, second = s.changes[0], s.changes[1]
    campaign = cluster(db_session, s)
    opinion(
        db_session,
        s,
        cluster=campaign,
        articles=["第一条"],
        matches=[(first, 0.9), (second, 0.3)],
        text="同一封信",
    )
    opinion(db_session, s, cluster=campaign, matches=[(first, 0.7)], text="同一封信。")
    opinion(db_session, s, cluster=campaign, matches=[(second, 0.95)], text="同一封信!")
    opinion(db_session, s, articles=["第二条"], matches=[(second, 0.6)], text="第二条应当修改")
    opinion(db_session, s, articles=["第二条"], matches=[(first, 0.2)], text="第二条无关的话")
    opinion(db_session, s, text="与草案无关的意见")
    done = opinion(db_session, s, articles=["第三条"], text="已经决定")
    decide_opinion(db_session, SYSTEM, done, DecisionInput(Outcome.ADOPTED), lock_version=None)
    db_session.commit()
    return s
