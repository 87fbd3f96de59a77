"""The demo's triage: a letter campaign of about two hundred copies on the Minors
Protection Law, every demo opinion grouped and matched, and the commission's bulk
decision on the campaign, in the audit log as one row per opinion.

The letter asks for what the 2024 draft did to Article 9 (the government at every
level, and the women's and children's work bodies, take charge), so the campaign's
best-matched change is that change, and its decision is an adoption.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import (
    Channel,
    DraftVersion,
    Law,
    Office,
    OpinionCluster,
    OpinionMatch,
    Outcome,
    utcnow,
)
from noticeboard.services.decisions.bulk import link_cluster
from noticeboard.services.decisions.bulk_decide import decide_cluster
from noticeboard.services.decisions.outcomes import DecisionInput
from noticeboard.services.demo.campaigns import campaign_copies
from noticeboard.services.opinions.queries import version_articles
from noticeboard.services.opinions.recording import (
    OpinionInput,
    record_opinion,
    resolve_articles,
)
from noticeboard.services.permissions import Actor, Permission, require
from noticeboard.services.triage.queue.recount import build_summary
from noticeboard.services.triage.refresh import triage_law

LAW = "minors-protection-law"
COPIES = 200
LETTER = (
    "尊敬的全国人大常委会法工委：我们是长宁区的一群家长志愿者。我们建议将未成年人保护法"
    "第九条中的“县级以上人民政府”修改为“各级人民政府”，让乡镇和街道也担起保护孩子的责任。"
    "同时建议规定由“县级以上人民政府负责妇女儿童工作的机构”负责组织、协调、指导、督促，"
    "有关部门在各自职责范围内做好相关工作，避免互相推诿。恳请采纳。"
)
PUBLIC_REASON = (
    "修正草案第九条已改为“各级人民政府应当重视和加强未成年人保护工作”，并明确由县级以上"
    "人民政府负责妇女儿童工作的机构负责组织、协调、指导、督促。"
)


def add_demo_campaign(session: Session, actor: Actor) -> int:
    """Record the campaign's copies on the law's first version; how many."""
    require(actor, Permission.RECORD_OPINIONS)
    version = session.scalar(
        select(DraftVersion)
        .join(Law, Law.id == DraftVersion.law_id)
        .where(Law.slug == LAW)
        .order_by(DraftVersion.sequence)
        .limit(1)
    )
    if version is None:
        return 0
    office = session.scalar(select(Office).where(Office.slug == "hongqiao"))
    articles, _ = resolve_articles(version_articles(session, version.id), "9")
    rng = random.Random(9)  # noqa: S311 - demo data, not secrets
    start = (version.published_at or utcnow()).date()
    for n, text in enumerate(campaign_copies(LETTER, COPIES, rng, language="zh")):
        record_opinion(
            session,
            actor,
            OpinionInput(
                version=version,
                text=text,
                channel=Channel.LETTER,
                received_on=start + timedelta(days=n % 20),
                articles=articles,
                office=office,
            ),
        )
    return COPIES


def triage_demo(session: Session, actor: Actor) -> None:
    """Group and match every demo opinion (one transaction: the demo is small), then
    decide the campaign in bulk: link it to its best-matched change, and adopt it; last,
    count every law's triage queue again, as the matching job a decision queues would."""
    require(actor, Permission.DECIDE_OPINIONS)
    law_ids = list(session.scalars(select(Law.id).order_by(Law.id)))
    for law_id in law_ids:
        triage_law(session, law_id, session.flush)
    _decide_the_campaign(session, actor)
    for law_id in law_ids:
        build_summary(session, law_id)


def _decide_the_campaign(session: Session, actor: Actor) -> None:
    cluster = session.scalar(
        select(OpinionCluster)
        .join(Law, Law.id == OpinionCluster.law_id)
        .where(Law.slug == LAW)
        .order_by(OpinionCluster.size.desc())
        .limit(1)
    )
    if cluster is None or cluster.representative_id is None:
        return
    change_id = session.scalar(
        select(OpinionMatch.change_id).where(
            OpinionMatch.opinion_id == cluster.representative_id, OpinionMatch.rank == 1
        )
    )
    if change_id is None:
        return
    link_cluster(session, actor, change_id, cluster.id)
    decide_cluster(
        session,
        actor,
        cluster.id,
        DecisionInput(outcome=Outcome.ADOPTED, public_reason=PUBLIC_REASON),
    )
