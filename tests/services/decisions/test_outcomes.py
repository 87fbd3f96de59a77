"""Links, decisions and the completeness check (issue 7)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import (
    AuditEvent,
    Change,
    ChangeKind,
    Decision,
    LinkDegree,
    Outcome,
    ReasonCode,
)
from noticeboard.services.decisions.links import (
    completeness,
    link_opinion,
    mark_editorial,
    proposed_outcome,
    unlink_opinion,
)
from noticeboard.services.decisions.outcomes import (
    DecisionInput,
    decide_many,
    decide_opinion,
    decision_history,
)
from noticeboard.services.errors import (
    Conflict,
    NeedsConfirmation,
    PermissionDenied,
    ValidationFailed,
)
from noticeboard.services.laws.comparisons import stored_between
from noticeboard.services.laws.versions import publish_version
from noticeboard.services.permissions import SYSTEM
from tests import factories

# The veteran's story from DOMAIN.md, in miniature: move a decision from county to
# province level, and add an article for those who choose their own employment.
V1 = (
    "第一章 总则\n"
    "第一条 为了加强退役军人保障工作，制定本法。\n"
    "第二条 退役军人的安置由县级人民政府退役军人工作主管部门负责。\n"
    "第三条 国家鼓励社会力量参与退役军人服务保障工作。\n"
    "第二章 移交接收\n"
    "第四条 退役军人应当按照规定时间到安置地报到。\n"
)
V2 = (
    "第一章 总则\n"
    "第一条 为了加强退役军人保障工作，制定本法。\n"
    "第二条 退役军人的安置由省级人民政府退役军人工作主管部门负责。\n"
    "第三条 国家鼓励社会力量参与退役军人服务保障工作。\n"
    "第二章 移交接收\n"
    "第四条 退役军人应当按照规定时间到安置地报到。\n"
    "第五条 对自主就业的退役军人，国家给予一次性退役金，并提供职业培训和创业扶持。\n"
)


@pytest.fixture
def story(db_session: Session) -> dict[str, object]:
    law = factories.make_law(db_session, slug="veterans")
    first = factories.make_version(db_session, law, V1)
    second = factories.make_version(db_session, law, V2, publish=False)
    veteran = factories.make_opinion(
        db_session,
        first,
        articles=[first.articles[1]],
        text="建议把安置工作由县级改为省级人民政府负责，并单独规定自主就业退役军人的退役金和创业扶持。",
    )
    unrelated = factories.make_opinion(
        db_session, first, articles=[first.articles[3]], text="建议明确报到的期限。"
    )
    general = factories.make_opinion(db_session, first, text="希望加强宣传。")
    stored = stored_between(db_session, first, second)
    assert stored is not None
    changes = {c.kind: c for c in stored.changes if c.kind is not ChangeKind.UNCHANGED}
    return {
        "law": law,
        "first": first,
        "second": second,
        "veteran": veteran,
        "unrelated": unrelated,
        "general": general,
        "modified": changes[ChangeKind.MODIFIED],
        "added": changes[ChangeKind.ADDED],
    }


def test_one_opinion_credited_for_two_changes(db_session: Session, story: dict) -> None:
    staff = factories.make_user(db_session, role="commission")
    veteran = story["veteran"]
    link = link_opinion(
        db_session, staff, story["modified"], veteran, degree="full", note="县级改省级"
    )
    link_opinion(db_session, staff, story["added"], veteran, degree=LinkDegree.FULL)
    assert proposed_outcome(link.degree) is Outcome.ADOPTED
    assert veteran.outcome is Outcome.PENDING  # a link proposes, it never decides
    with pytest.raises(Conflict):
        link_opinion(db_session, staff, story["modified"], veteran)
    other_law = factories.make_version(db_session, factories.make_law(db_session), V1)
    stranger = factories.make_opinion(db_session, other_law)
    with pytest.raises(ValidationFailed):
        link_opinion(db_session, staff, story["modified"], stranger)
    unlink_opinion(db_session, staff, link)
    actions = db_session.scalars(
        select(AuditEvent.action).where(AuditEvent.subject_type == "change").order_by(AuditEvent.id)
    ).all()
    assert actions == ["change.link", "change.link", "change.unlink"]


def test_decide_with_history_and_audit(db_session: Session, story: dict) -> None:
    staff = factories.make_user(db_session, role="commission")
    opinion = story["unrelated"]
    opinion.contact = "13800000000"
    db_session.flush()
    with pytest.raises(ValidationFailed):
        decide_opinion(
            db_session,
            staff,
            opinion,
            DecisionInput(Outcome.NOT_ADOPTED),
            lock_version=opinion.lock_version,
        )
    decide_opinion(
        db_session,
        staff,
        opinion,
        DecisionInput(Outcome.NOT_ADOPTED, ReasonCode.ALREADY_COVERED, "现行规定已明确报到期限。"),
        lock_version=opinion.lock_version,
    )
    assert opinion.outcome is Outcome.NOT_ADOPTED
    assert opinion.decided_at is not None
    assert opinion.contact == ""  # the contact rule: erased once the opinion is closed
    decide_opinion(
        db_session,
        staff,
        opinion,
        DecisionInput(Outcome.PARTIALLY_ADOPTED),
        lock_version=opinion.lock_version,
    )
    history = decision_history(db_session, opinion)
    assert [d.outcome for d in history] == [Outcome.NOT_ADOPTED, Outcome.PARTIALLY_ADOPTED]
    event = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "opinion.decide").order_by(AuditEvent.id)
    ).all()[-1]
    assert event.details["before"]["outcome"] == "not_adopted"
    assert event.details["after"]["outcome"] == "partially_adopted"
    assert event.actor_id == staff.id


def test_office_staff_cannot_decide(db_session: Session, story: dict) -> None:
    office_user = factories.make_user(db_session, role="office")
    with pytest.raises(PermissionDenied):
        decide_opinion(
            db_session,
            office_user,
            story["veteran"],
            DecisionInput(Outcome.ADOPTED),
            lock_version=None,
        )
    with pytest.raises(PermissionDenied):
        link_opinion(db_session, office_user, story["modified"], story["veteran"])


def test_concurrent_decisions_are_detected(db_session: Session, story: dict) -> None:
    opinion = story["veteran"]
    seen = opinion.lock_version  # both staff opened the page at this version
    first, second = (
        factories.make_user(db_session, role="commission"),
        factories.make_user(db_session, role="commission"),
    )
    decide_opinion(db_session, first, opinion, DecisionInput(Outcome.ADOPTED), lock_version=seen)
    with pytest.raises(Conflict, match="Someone else"):
        decide_opinion(
            db_session, second, opinion, DecisionInput(Outcome.PARTIALLY_ADOPTED), lock_version=seen
        )
    assert opinion.outcome is Outcome.ADOPTED


def test_not_adopted_despite_a_link_needs_confirmation(db_session: Session, story: dict) -> None:
    veteran = story["veteran"]
    link_opinion(db_session, SYSTEM, story["modified"], veteran)
    data = DecisionInput(Outcome.NOT_ADOPTED, ReasonCode.OUT_OF_SCOPE)
    with pytest.raises(NeedsConfirmation):
        decide_opinion(db_session, SYSTEM, veteran, data, lock_version=veteran.lock_version)
    decide_opinion(
        db_session, SYSTEM, veteran, data, lock_version=veteran.lock_version, confirmed=True
    )
    event = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "opinion.decide")
    ).one()
    assert event.details["confirmed"] is True


def test_one_decision_for_a_group(db_session: Session, story: dict) -> None:
    first = story["first"]
    duplicates = [
        factories.make_opinion(db_session, first, text=f"删除保证金条款（学生{i}）")
        for i in range(3)
    ]
    decisions = decide_many(
        db_session, SYSTEM, duplicates, DecisionInput(Outcome.ADOPTED, public_reason="已删除。")
    )
    assert len(decisions) == 3
    assert {o.outcome for o in duplicates} == {Outcome.ADOPTED}
    assert (
        db_session.scalar(select(Decision).where(Decision.opinion_id == duplicates[0].id))
        is not None
    )
    with pytest.raises(ValidationFailed):
        decide_many(db_session, SYSTEM, [], DecisionInput(Outcome.ADOPTED))


def test_completeness_check_before_publishing(db_session: Session, story: dict) -> None:
    second = story["second"]
    report = completeness(db_session, second)
    assert not report.complete
    assert {c.kind for c in report.uncredited} == {ChangeKind.MODIFIED, ChangeKind.ADDED}
    assert report.pending == 3
    with pytest.raises(NeedsConfirmation):
        publish_version(db_session, SYSTEM, second)
    link_opinion(db_session, SYSTEM, story["modified"], story["veteran"])
    mark_editorial(db_session, SYSTEM, story["added"], note="体例调整")
    for key in ("veteran", "unrelated", "general"):
        decide_opinion(
            db_session, SYSTEM, story[key], DecisionInput(Outcome.ADOPTED), lock_version=None
        )
    assert completeness(db_session, second).complete
    publish_version(db_session, SYSTEM, second)


def test_publishing_anyway_is_audited(db_session: Session, story: dict) -> None:
    publish_version(db_session, SYSTEM, story["second"], force=True)
    event = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "version.publish").order_by(AuditEvent.id)
    ).all()[-1]
    assert event.details["incomplete"] == {"uncredited_changes": 2, "pending_opinions": 3}


def test_quiet_changes_cannot_be_credited(db_session: Session, story: dict) -> None:
    unchanged = db_session.scalars(
        select(Change).where(Change.kind == ChangeKind.UNCHANGED)
    ).first()
    assert unchanged is not None
    with pytest.raises(ValidationFailed):
        link_opinion(db_session, SYSTEM, unchanged, story["veteran"])
