"""The triage queue: groups by campaign and by cited article, counters, filters, pages,
and "answered with no change" in bulk (issue 18, part 4)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from noticeboard.models import (
    AuditEvent,
    BulkAction,
    BulkActionItem,
    BulkKind,
    ChangeLink,
    Decision,
    Opinion,
    Outcome,
    ReasonCode,
)
from noticeboard.services.decisions.outcomes import DecisionInput
from noticeboard.services.errors import PermissionDenied, ValidationFailed
from noticeboard.services.permissions import SYSTEM
from noticeboard.services.triage.no_change import decide_unmatched, no_change_decision
from noticeboard.services.triage.queue import (
    ARTICLE,
    CLUSTER,
    NO_ARTICLE,
    GroupRef,
    QueueFilters,
    counts,
    group_members,
    triage_queue,
)
from tests import factories
from tests.services.triage.seeding import TriageLaw, opinion, queue_setting, triage_law


@pytest.fixture
def setting(db_session: Session) -> TriageLaw:
    return queue_setting(db_session)


def test_groups_campaigns_then_articles_with_their_best_change(
    db_session: Session, setting: TriageLaw
) -> None:
    queue = triage_queue(db_session, SYSTEM, setting.law, QueueFilters())
    assert [(g.ref.kind, g.size) for g in queue.groups] == [
        (CLUSTER, 3),
        (ARTICLE, 2),
        (NO_ARTICLE, 1),
    ]
    assert queue.total_groups == 3
    campaign, article, alone = queue.groups
    assert campaign.sample == "同一封信"  # the representative letter
    assert campaign.best is not None
    assert (campaign.best.change_id, campaign.best.members) == (setting.changes[0].id, 2)
    assert campaign.best.mean_score == pytest.approx(0.8)
    assert campaign.best.max_score == pytest.approx(0.9)
    assert campaign.unmatched == 0
    # Named as in the latest version, where the second draft renumbered it.
    assert article.label == "第三条"
    assert article.ref.article_key == setting.article("第二条").key
    assert article.unmatched == 1  # its best match scores 0.2 only
    assert alone.best is None
    assert alone.unmatched == 1
    assert alone.sample == "与草案无关的意见"


def test_counts_pending_matched_linked_decided(db_session: Session, setting: TriageLaw) -> None:
    some = db_session.scalars(select(Opinion.id).where(Opinion.law_id == setting.law.id)).first()
    db_session.add(ChangeLink(change_id=setting.changes[0].id, opinion_id=some))
    db_session.commit()
    found = counts(db_session, SYSTEM, setting.law)
    # matched: the four opinions whose best match scores 0.5 or more.
    assert (found.total, found.pending, found.matched, found.linked, found.decided) == (
        7,
        6,
        4,
        1,
        1,
    )


def test_filters(db_session: Session, setting: TriageLaw) -> None:
    def kinds(**filters: object) -> list[tuple[str, int]]:
        queue = triage_queue(db_session, SYSTEM, setting.law, QueueFilters(**filters))  # type: ignore[arg-type]
        return [(g.ref.kind, g.size) for g in queue.groups]

    assert kinds(min_size=2) == [(CLUSTER, 3), (ARTICLE, 2)]
    assert kinds(match="unmatched") == [(ARTICLE, 1), (NO_ARTICLE, 1)]
    assert kinds(match="matched") == [(CLUSTER, 3), (ARTICLE, 1)]
    assert kinds(article_key=setting.article("第一条").key) == [(CLUSTER, 1)]
    assert (ARTICLE, 1) in kinds(pending_only=False)  # the decided one on 第三条
    other = factories.make_office(db_session, slug="elsewhere")
    assert kinds(office_id=other.id) == []


def test_pages_keep_the_total(db_session: Session, setting: TriageLaw) -> None:
    pages = [
        triage_queue(db_session, SYSTEM, setting.law, QueueFilters(), page=n, per_page=2)
        for n in (1, 2, 3)
    ]
    assert [len(p.groups) for p in pages] == [2, 1, 0]
    assert {p.total_groups for p in pages} == {3}
    assert pages[0].pages == 2


def test_office_staff_see_their_office_only(db_session: Session) -> None:
    s = triage_law(db_session)
    mine = factories.make_office(db_session, slug="mine")
    theirs = factories.make_office(db_session, slug="theirs")
    opinion(db_session, s, office=mine, articles=["第一条"])
    opinion(db_session, s, office=theirs, articles=["第一条"])
    user = factories.make_user(db_session, role="office", office=mine)
    db_session.commit()
    # Office staff do not decide, so they do not get the queue...
    with pytest.raises(PermissionDenied):
        triage_queue(db_session, user, s.law, QueueFilters())
    # ...and the counters they can be shown cover their own office alone.
    assert counts(db_session, user, s.law).total == 1


def test_answered_with_no_change_decides_only_unmatched(
    db_session: Session, setting: TriageLaw
) -> None:
    ids = list(
        db_session.scalars(
            group_members(
                db_session,
                SYSTEM,
                setting.law,
                GroupRef(ARTICLE, None, setting.article("第二条").key),
                QueueFilters(),
            )
        )
    )
    assert len(ids) == 2
    before = {
        o.id: o.lock_version for o in db_session.scalars(select(Opinion).where(Opinion.id.in_(ids)))
    }
    action = decide_unmatched(
        db_session, SYSTEM, setting.law.id, ids, no_change_decision("草案第二条已有规定。")
    )
    db_session.commit()
    assert action.kind is BulkKind.DECIDE_UNMATCHED
    assert action.count == 1
    assert action.params["skipped"] == 1
    decided = db_session.scalars(
        select(Opinion).where(Opinion.id.in_(ids), Opinion.outcome == Outcome.NOT_ADOPTED)
    ).all()
    assert len(decided) == 1
    assert decided[0].text == "第二条无关的话"
    assert decided[0].lock_version == before[decided[0].id] + 1
    decision = db_session.scalars(
        select(Decision).where(Decision.opinion_id == decided[0].id)
    ).one()
    assert decision.reason_code is ReasonCode.NO_CHANGE_NEEDED
    assert decision.public_reason == "草案第二条已有规定。"
    item = db_session.scalars(
        select(BulkActionItem).where(BulkActionItem.action_id == action.id)
    ).one()
    assert (item.opinion_id, item.decision_id, item.previous_outcome) == (
        decided[0].id,
        decision.id,
        "pending",
    )
    audit = db_session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "opinion.decide", AuditEvent.subject_id == decided[0].id
        )
    ).one()
    assert audit.details["bulk_action"] == action.id
    assert audit.details["after"]["reason_code"] == "no_change_needed"
    assert db_session.scalar(select(func.count()).select_from(BulkAction)) == 1


def test_answered_with_no_change_erases_the_contact(db_session: Session) -> None:
    s = triage_law(db_session)
    made = opinion(db_session, s, contact="a@example.org", text="无关")
    db_session.commit()
    decide_unmatched(db_session, SYSTEM, s.law.id, [made.id], no_change_decision("无需修改。"))
    db_session.commit()
    db_session.refresh(made)
    assert made.contact == ""
    assert made.contact_erased_at is not None


def test_answered_with_no_change_needs_a_reason_and_the_right_to_decide(
    db_session: Session, setting: TriageLaw
) -> None:
    ids = list(db_session.scalars(select(Opinion.id).where(Opinion.law_id == setting.law.id)))
    with pytest.raises(ValidationFailed):
        decide_unmatched(db_session, SYSTEM, setting.law.id, ids, no_change_decision("  "))
    with pytest.raises(ValidationFailed):
        decide_unmatched(
            db_session,
            SYSTEM,
            setting.law.id,
            ids,
            DecisionInput(Outcome.NOT_ADOPTED, ReasonCode.OUT_OF_SCOPE, "x"),
        )
    office = factories.make_user(
        db_session, role="office", office=factories.make_office(db_session)
    )
    with pytest.raises(PermissionDenied):
        decide_unmatched(db_session, office, setting.law.id, ids, no_change_decision("无需修改。"))
    db_session.rollback()
    assert (
        db_session.scalar(
            select(func.count()).select_from(Decision).where(Decision.opinion_id.in_(ids))
        )
        == 1
    )


def test_answered_with_no_change_can_be_undone(db_session: Session, setting: TriageLaw) -> None:
    from noticeboard.services.decisions.bulk_undo import undo

    key = setting.article("第二条").key
    ref = GroupRef(ARTICLE, None, key)
    ids = list(
        db_session.scalars(group_members(db_session, SYSTEM, setting.law, ref, QueueFilters()))
    )
    action = decide_unmatched(
        db_session, SYSTEM, setting.law.id, ids, no_change_decision("无需修改。")
    )
    db_session.commit()
    undo(db_session, SYSTEM, action.id)
    db_session.commit()
    outcomes = db_session.scalars(select(Opinion.outcome).where(Opinion.id.in_(ids))).all()
    assert set(outcomes) == {Outcome.PENDING}
