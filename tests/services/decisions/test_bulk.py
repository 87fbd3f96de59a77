"""Bulk actions and their undo (issue 18): each opinion keeps its own link or decision and
audit row, optimistic locking holds, and an undo puts back exactly what was done."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from noticeboard.models import (
    AuditEvent,
    BulkActionItem,
    BulkKind,
    Change,
    ChangeKind,
    ChangeLink,
    Decision,
    Opinion,
    OpinionCluster,
    OpinionMatch,
    OpinionTriage,
    Outcome,
    ReasonCode,
)
from noticeboard.services.decisions.bulk import (
    decide_cluster,
    decide_linked,
    link_cluster,
    link_matched,
    preview_link_matched,
)
from noticeboard.services.decisions.bulk_undo import undo
from noticeboard.services.decisions.links import link_opinion
from noticeboard.services.decisions.outcomes import DecisionInput, decide_opinion
from noticeboard.services.errors import Conflict, NeedsConfirmation, PermissionDenied
from noticeboard.services.laws.comparisons import stored_between
from tests import factories

ADOPT = DecisionInput(Outcome.ADOPTED, public_reason="二稿已采纳。")


@dataclass
class Setting:
    change: Change
    opinions: list[Opinion]  # matched with scores 0.9, 0.8, 0.6, 0.4, 0.1
    cluster: OpinionCluster  # the first three
    staff: Any


@pytest.fixture
def setting(db_session: Session) -> Setting:
    law = factories.make_law(db_session)
    v1 = factories.make_version(db_session, law)
    v2 = factories.make_version(db_session, law, factories.DRAFT_V2)
    comparison = stored_between(db_session, v1, v2)
    assert comparison is not None
    change = next(c for c in comparison.changes if c.kind is ChangeKind.ADDED)
    cluster = OpinionCluster(law_id=law.id, size=3)
    db_session.add(cluster)
    db_session.flush()
    opinions = []
    for n, score in enumerate((0.9, 0.8, 0.6, 0.4, 0.1)):
        opinion = factories.make_opinion(
            db_session, v1, text=f"建议坚持党的领导（{n}）", contact=f"1380000000{n}"
        )
        db_session.merge(
            OpinionTriage(
                opinion_id=opinion.id, law_id=law.id, cluster_id=cluster.id if n < 3 else None
            )
        )
        db_session.add(
            OpinionMatch(opinion_id=opinion.id, change_id=change.id, score=score, rank=1)
        )
        opinions.append(opinion)
    db_session.flush()
    return Setting(change, opinions, cluster, factories.make_user(db_session, role="commission"))


def _events(session: Session, action: str, bulk_id: int) -> list[AuditEvent]:
    rows = session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    ).all()
    return [e for e in rows if e.details.get("bulk_action") == bulk_id]


def test_link_matched_previews_then_links_each_opinion(
    db_session: Session, setting: Setting
) -> None:
    first, second, third, *_ = setting.opinions
    link_opinion(db_session, setting.staff, setting.change, second)  # already linked by hand
    preview = preview_link_matched(db_session, setting.staff, setting.change.id, 0.5)
    assert preview.count == 2
    assert [s.opinion_id for s in preview.sample] == [first.id, third.id]  # best first
    action = link_matched(
        db_session, setting.staff, setting.change.id, 0.5, expected_count=preview.count
    )
    assert action.kind is BulkKind.LINK_MATCHED
    assert action.count == 2
    linked = db_session.scalars(
        select(ChangeLink.opinion_id).where(ChangeLink.change_id == setting.change.id)
    ).all()
    assert sorted(linked) == sorted([first.id, second.id, third.id])
    events = _events(db_session, "change.link", action.id)
    assert sorted(e.details["opinion_id"] for e in events) == sorted([first.id, third.id])
    assert {e.details["opinion"] for e in events} == {first.receipt_code, third.receipt_code}
    db_session.refresh(first)
    assert first.outcome is Outcome.PENDING  # a link proposes, it never decides
    assert db_session.scalar(select(func.count()).select_from(Decision)) == 0


def test_link_matched_refuses_when_the_count_changed(db_session: Session, setting: Setting) -> None:
    preview = preview_link_matched(db_session, setting.staff, setting.change.id, 0.5)
    fourth = setting.opinions[3]
    db_session.execute(
        OpinionMatch.__table__.update()
        .where(OpinionMatch.opinion_id == fourth.id)
        .values(score=0.7)
    )
    with pytest.raises(Conflict, match="changed since the preview"):
        link_matched(
            db_session, setting.staff, setting.change.id, 0.5, expected_count=preview.count
        )
    assert db_session.scalar(select(func.count()).select_from(ChangeLink)) == 0


def test_office_staff_cannot_act_in_bulk(db_session: Session, setting: Setting) -> None:
    office_user = factories.make_user(db_session, role="office")
    with pytest.raises(PermissionDenied):
        preview_link_matched(db_session, office_user, setting.change.id, 0.5)
    with pytest.raises(PermissionDenied):
        decide_cluster(db_session, office_user, setting.cluster.id, ADOPT)


def test_decide_linked_gives_each_opinion_its_decision_audit_and_lock(
    db_session: Session, setting: Setting
) -> None:
    link_cluster(db_session, setting.staff, setting.change.id, setting.cluster.id)
    members = setting.opinions[:3]
    locks = {o.id: o.lock_version for o in members}
    with pytest.raises(NeedsConfirmation):
        decide_linked(
            db_session,
            setting.staff,
            setting.change.id,
            DecisionInput(Outcome.NOT_ADOPTED, ReasonCode.OUT_OF_SCOPE),
        )
    action = decide_linked(db_session, setting.staff, setting.change.id, ADOPT, expected_count=3)
    for opinion in members:
        db_session.refresh(opinion)
        assert opinion.outcome is Outcome.ADOPTED
        assert opinion.lock_version == locks[opinion.id] + 1
        assert opinion.contact == ""
        assert opinion.contact_erased_at is not None
        assert opinion.decided_at is not None
    untouched = setting.opinions[3]
    db_session.refresh(untouched)
    assert untouched.outcome is Outcome.PENDING
    assert untouched.contact
    events = _events(db_session, "opinion.decide", action.id)
    assert sorted(e.subject_id for e in events) == sorted(o.id for o in members)
    assert events[0].details["before"]["outcome"] == "pending"
    assert events[0].details["after"]["public_reason"] == "二稿已采纳。"
    decisions = db_session.scalars(select(Decision).order_by(Decision.opinion_id)).all()
    assert [d.opinion_id for d in decisions] == sorted(o.id for o in members)
    items = db_session.scalars(
        select(BulkActionItem).where(BulkActionItem.action_id == action.id)
    ).all()
    assert {i.decision_id for i in items} == {d.id for d in decisions}
    with pytest.raises(Conflict, match="changed since"):
        decide_linked(db_session, setting.staff, setting.change.id, ADOPT, expected_count=3)


def test_a_concurrent_single_edit_fails_cleanly(db_session: Session, setting: Setting) -> None:
    opinion = setting.opinions[0]
    db_session.commit()
    with Session(db_session.get_bind(), expire_on_commit=False) as other:
        seen_there = other.get(Opinion, opinion.id)
        assert seen_there is not None
        seen = seen_there.lock_version
        decide_cluster(db_session, setting.staff, setting.cluster.id, ADOPT)
        db_session.commit()
        data = DecisionInput(Outcome.PARTIALLY_ADOPTED)
        with pytest.raises(StaleDataError):
            decide_opinion(other, setting.staff, seen_there, data, lock_version=seen)
        other.rollback()
    db_session.refresh(opinion)
    assert opinion.outcome is Outcome.ADOPTED


def test_undo_restores_audits_and_refuses_twice(db_session: Session, setting: Setting) -> None:
    first, second, third = setting.opinions[:3]
    decide_opinion(
        db_session,
        setting.staff,
        third,
        DecisionInput(Outcome.NOT_ADOPTED, ReasonCode.OUT_OF_SCOPE, "不属本法。"),
        lock_version=third.lock_version,
    )
    earlier_at = third.decided_at
    action = decide_cluster(
        db_session, setting.staff, setting.cluster.id, ADOPT, include_decided=True
    )
    assert action.count == 3
    # Someone decides the second one by hand afterwards: their decision must stand.
    db_session.refresh(second)
    decide_opinion(
        db_session,
        setting.staff,
        second,
        DecisionInput(Outcome.PARTIALLY_ADOPTED),
        lock_version=second.lock_version,
    )
    locks = {o.id: o.lock_version for o in (first, third)}
    undone = undo(db_session, setting.staff, action.id)
    assert undone.undone_at is not None
    assert undone.undone_by_id == setting.staff.id
    assert undone.params["undo"] == {"restored": 2, "skipped": [second.id]}
    for opinion in (first, second, third):
        db_session.refresh(opinion)
    assert first.outcome is Outcome.PENDING
    assert first.decided_at is None
    assert second.outcome is Outcome.PARTIALLY_ADOPTED
    assert third.outcome is Outcome.NOT_ADOPTED
    assert third.decided_at == earlier_at
    assert first.lock_version == locks[first.id] + 1
    latest = db_session.scalars(
        select(Decision).where(Decision.opinion_id == third.id).order_by(Decision.id.desc())
    ).first()
    assert latest is not None
    assert (latest.outcome, latest.reason_code, latest.public_reason) == (
        Outcome.NOT_ADOPTED,
        ReasonCode.OUT_OF_SCOPE,
        "不属本法。",
    )
    undo_events = [
        e for e in _events(db_session, "opinion.decide", action.id) if e.details.get("undo")
    ]
    assert sorted(e.subject_id for e in undo_events) == sorted([first.id, third.id])
    assert db_session.scalars(select(AuditEvent).where(AuditEvent.action == "bulk.undo")).one()
    with pytest.raises(Conflict, match="already undone"):
        undo(db_session, setting.staff, action.id)


def test_undo_of_links_keeps_those_decided_since(db_session: Session, setting: Setting) -> None:
    first, second, _ = setting.opinions[:3]
    action = link_cluster(db_session, setting.staff, setting.change.id, setting.cluster.id)
    assert action.count == 3
    db_session.refresh(second)
    decide_opinion(db_session, setting.staff, second, ADOPT, lock_version=second.lock_version)
    undone = undo(db_session, setting.staff, action.id)
    assert undone.params["undo"] == {"restored": 2, "skipped": [second.id]}
    left = db_session.scalars(select(ChangeLink.opinion_id)).all()
    assert left == [second.id]
    unlinked = _events(db_session, "change.unlink", action.id)
    assert len(unlinked) == 2
    assert all(e.details["undo"] for e in unlinked)
    assert first.id in {e.details["opinion_id"] for e in unlinked}


def test_bulk_writes_are_batched_not_one_statement_per_opinion(
    db_session: Session, setting: Setting
) -> None:
    from sqlalchemy import event

    law_id = setting.cluster.law_id
    version_id = setting.opinions[0].version_id
    extra = [
        factories.make_opinion(db_session, setting.opinions[0].version, text=f"副本{n}")
        for n in range(40)
    ]
    assert all(o.law_id == law_id and o.version_id == version_id for o in extra)
    for opinion in extra:
        db_session.add(
            OpinionMatch(opinion_id=opinion.id, change_id=setting.change.id, score=0.95, rank=1)
        )
    db_session.flush()
    statements: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    engine = db_session.get_bind()
    event.listen(engine, "before_cursor_execute", note)
    try:
        action = link_matched(db_session, setting.staff, setting.change.id, 0.9, expected_count=41)
        decide_linked(db_session, setting.staff, setting.change.id, ADOPT)
        undo(db_session, setting.staff, action.id)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert action.count == 41
    # A handful per action whatever the count (41 opinions here, 10,000 in the benchmark).
    assert len(statements) < 45, "\n".join(s[:70] for s in statements)
    assert not [s for s in statements if "NOT IN (SELECT" in s.upper()]
