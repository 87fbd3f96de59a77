"""The office's report upward: per article, opinions, distinct positions and outcomes
(issue 18, part 5)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from noticeboard.models import Outcome
from noticeboard.services.decisions.outcomes import DecisionInput, decide_opinion
from noticeboard.services.errors import PermissionDenied
from noticeboard.services.permissions import SYSTEM
from noticeboard.services.triage.office_report import (
    CHANGE,
    CLUSTER,
    NO_CHANGE,
    office_report,
    report_office,
)
from tests import factories
from tests.services.triage.seeding import TriageLaw, cluster, opinion, triage_law


@pytest.fixture
def setting(db_session: Session) -> TriageLaw:
    s = triage_law(db_session)
    here = factories.make_office(db_session, slug="here")
    there = factories.make_office(db_session, slug="there")
    first, second = s.changes[0], s.changes[1]
    campaign = cluster(db_session, s)
    for text in ("请加强学校保护。", "请加强学校保护!", "请加强学校保护"):
        opinion(
            db_session,
            s,
            office=here,
            cluster=campaign,
            articles=["第四条"],
            text=text,
            matches=[(second, 0.4)],
        )
    opinion(
        db_session, s, office=here, articles=["第四条"], matches=[(first, 0.8)], text="第四条改为……"
    )
    adopted = opinion(
        db_session,
        s,
        office=here,
        articles=["第四条"],
        matches=[(first, 0.7)],
        text="第四条也应修改",
    )
    decide_opinion(db_session, SYSTEM, adopted, DecisionInput(Outcome.ADOPTED), lock_version=None)
    opinion(db_session, s, office=here, articles=["第一条"], text="与修改无关")
    opinion(db_session, s, office=here, text="没有引用条文")
    opinion(db_session, s, office=there, articles=["第一条"], text="别处的意见")
    db_session.commit()
    return s


def test_per_article_in_version_order_with_positions(
    db_session: Session, setting: TriageLaw
) -> None:
    here = report_office(db_session, SYSTEM, "here")
    report = office_report(db_session, SYSTEM, setting.law, here)
    # The latest version: 第一条 keeps its place, 第四条 became 第五条; no article last.
    assert [(s.label, s.opinions) for s in report.sections] == [
        ("第一条", 1),
        ("第五条", 5),
        ("", 1),
    ]
    article = report.sections[1]
    assert [(p.kind, p.size) for p in article.positions] == [(CLUSTER, 3), (CHANGE, 2)]
    campaign, singletons = article.positions
    assert campaign.sample == "请加强学校保护。"  # the representative letter
    assert campaign.tally.counts["pending"] == 3
    assert singletons.change_id == setting.changes[0].id
    assert singletons.change_labels
    assert (singletons.tally.counts["pending"], singletons.tally.counts["adopted"]) == (1, 1)
    assert article.tally.counts["adopted"] == 1
    assert report.sections[0].positions[0].kind == NO_CHANGE
    assert report.total.received == 7
    assert report.total.counts["adopted"] == 1


def test_every_office_when_none_is_chosen(db_session: Session, setting: TriageLaw) -> None:
    report = office_report(db_session, SYSTEM, setting.law, None)
    assert report.total.received == 8
    assert report.sections[0].opinions == 2


def test_office_staff_report_on_their_own_office(db_session: Session, setting: TriageLaw) -> None:
    here = report_office(db_session, SYSTEM, "here")
    user = factories.make_user(db_session, role="office", office=here)
    db_session.commit()
    assert report_office(db_session, user, None) is here
    assert office_report(db_session, user, setting.law, here).total.received == 7
    with pytest.raises(PermissionDenied):
        report_office(db_session, user, "there")
    with pytest.raises(PermissionDenied):
        office_report(db_session, user, setting.law, None)
