"""The demo's opinions, and the generator behind `demo --scale`."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from noticeboard.models import (
    AuditEvent,
    BulkAction,
    BulkKind,
    Channel,
    CollectionPoint,
    ContributorCategory,
    DraftVersion,
    Opinion,
    OpinionCluster,
    OpinionMatch,
    OpinionTriage,
    opinion_article,
)
from noticeboard.services.accounts.users import make_hasher
from noticeboard.services.demo.loader import load_demo
from noticeboard.services.demo.opinions import BACKGROUND
from noticeboard.services.demo.scale import generate_opinions
from noticeboard.services.demo.triage import COPIES
from noticeboard.services.errors import PermissionDenied
from noticeboard.services.opinions.queries import article_trails
from noticeboard.services.opinions.receipts import is_valid
from noticeboard.services.permissions import SYSTEM
from tests import factories


@pytest.fixture
def demo(db_session: Session) -> Session:
    load_demo(db_session, make_hasher("CHEAPEST"))
    db_session.commit()
    return db_session


def test_demo_records_the_stories_on_real_articles(demo: Session) -> None:
    opinions = demo.scalars(select(Opinion)).all()
    assert len(opinions) == 20 + BACKGROUND + COPIES  # the stories, the ordinary, a campaign
    assert demo.scalar(select(func.count()).select_from(CollectionPoint)) == 8
    students = demo.scalar(select(Opinion).where(Opinion.contributor_name == "虹桥中学初二（3）班"))
    assert students is not None
    assert students.channel is Channel.SCHOOL
    assert students.contributor_category is ContributorCategory.STUDENT
    assert [a.label for a in students.articles] == ["第一百一十八条"]
    assert students.collection_point is not None
    assert students.office is not None
    assert students.office.slug == "hongqiao"

    # Yiwu's opinion on the 2016 text's 第十条 follows it to 第九条 of the 2022 text.
    yiwu = demo.scalars(select(Opinion).where(Opinion.text.like("跨境电商服务越来越多%"))).one()
    [trail] = article_trails(demo, yiwu)
    assert (trail.article.label, trail.now and trail.now.label) == ("第十条", "第九条")
    # On the same load (loading the demo is the slow part): the campaign.
    _shows_a_campaign_matched_and_decided_in_bulk(demo)


def _shows_a_campaign_matched_and_decided_in_bulk(demo: Session) -> None:
    assert demo.scalar(select(func.count()).select_from(OpinionTriage)) == demo.scalar(
        select(func.count()).select_from(Opinion)
    )
    campaign = demo.scalars(select(OpinionCluster).order_by(OpinionCluster.size.desc())).first()
    assert campaign is not None
    assert campaign.size >= 0.9 * COPIES
    decided = demo.scalars(select(BulkAction).where(BulkAction.kind == BulkKind.DECIDE_CLUSTER))
    [action] = decided.all()
    assert action.cluster_id == campaign.id
    assert action.count == campaign.size
    audited = demo.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "opinion.decide")
    )
    assert audited is not None
    assert audited >= campaign.size
    best = demo.scalar(
        select(OpinionMatch).where(
            OpinionMatch.opinion_id == campaign.representative_id, OpinionMatch.rank == 1
        )
    )
    assert best is not None
    assert best.score >= 0.5


def test_demo_opinions_spread_over_channels_offices_categories_and_windows(
    demo: Session,
) -> None:
    opinions = demo.scalars(select(Opinion)).all()
    assert set(Counter(o.channel for o in opinions)) == set(Channel)
    assert set(Counter(o.contributor_category for o in opinions)) == set(ContributorCategory)
    assert len({o.office_id for o in opinions}) > 10
    assert any(o.office_id is None for o in opinions)  # online submissions
    assert len({o.receipt_code for o in opinions}) == len(opinions)
    assert all(is_valid(o.receipt_code) for o in opinions)
    for opinion in opinions:
        version = demo.get(DraftVersion, opinion.version_id)
        assert version is not None
        if version.comment_opens_at is not None:
            assert opinion.received_on >= version.comment_opens_at.date()
    linked = demo.scalar(select(func.count()).select_from(opinion_article))
    assert linked is not None
    assert linked > len(opinions) // 2
    assert all("@example.org" in o.contact for o in opinions if o.contact)


def test_generate_opinions_in_chunks(db_session: Session) -> None:
    factories.make_version(db_session)
    factories.make_office(db_session, slug="hongqiao")
    chunks = list(generate_opinions(db_session, SYSTEM, 12_345, seed=1))
    assert chunks == [10_000, 2_345]
    db_session.commit()
    assert db_session.scalar(select(func.count()).select_from(Opinion)) == 12_345
    codes = db_session.scalar(select(func.count(func.distinct(Opinion.receipt_code))))
    assert codes == 12_345


def test_only_admins_generate(db_session: Session) -> None:
    staff = factories.make_user(db_session, role="commission")
    with pytest.raises(PermissionDenied):
        list(generate_opinions(db_session, staff, 10))
