"""Deciding on opinions: adopted, partially adopted, not adopted (with a public reason)
or withdrawn; one at a time or for a group of similar opinions.

Every decision is a `Decision` row (the history) and sets `Opinion.outcome` (the current
state, for queries); the audit trail records before and after. Two staff deciding the
same opinion are told, not silently overwritten: each decision names the opinion's
`lock_version` it was made on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from noticeboard.models import ChangeLink, Decision, Opinion, Outcome, ReasonCode, utcnow
from noticeboard.services.audit import record_event
from noticeboard.services.errors import Conflict, NeedsConfirmation, ValidationFailed
from noticeboard.services.notices.outbox import write_notices
from noticeboard.services.permissions import Actor, Permission, require
from noticeboard.services.triage.staleness import note_queue_changed

MAX_REASON = 4000


@dataclass(frozen=True)
class DecisionInput:
    outcome: Outcome
    reason_code: ReasonCode | None = None
    public_reason: str = ""

    def cleaned(self) -> DecisionInput:
        return DecisionInput(
            outcome=Outcome(self.outcome),
            reason_code=ReasonCode(self.reason_code) if self.reason_code else None,
            public_reason=self.public_reason.strip(),
        )


def check_decision(data: DecisionInput) -> DecisionInput:
    data = data.cleaned()
    if data.outcome is Outcome.PENDING:
        raise ValidationFailed("Choose an outcome.")
    if data.outcome is Outcome.NOT_ADOPTED and data.reason_code is None:
        raise ValidationFailed("An opinion not adopted needs a public reason.")
    if data.reason_code is ReasonCode.OTHER and not data.public_reason:
        raise ValidationFailed("Explain the reason in your own words.")
    if len(data.public_reason) > MAX_REASON:
        raise ValidationFailed("The reason is too long.")
    return data


def decide_opinion(
    session: Session,
    actor: Actor,
    opinion: Opinion,
    data: DecisionInput,
    *,
    lock_version: int | None,
    confirmed: bool = False,
    decided_at: datetime | None = None,
) -> Decision:
    """Record one decision. `lock_version` is what the deciding screen showed (None only
    for trusted batch paths); `confirmed` accepts a decision that contradicts a link."""
    require(actor, Permission.DECIDE_OPINIONS)
    data = check_decision(data)
    if lock_version is not None and lock_version != opinion.lock_version:
        raise Conflict(
            "Someone else decided or edited this opinion meanwhile. "
            "Reload the page to see their change, then decide again."
        )
    if data.outcome is Outcome.NOT_ADOPTED and not confirmed and linked_changes(session, opinion):
        raise NeedsConfirmation(
            "This opinion is linked to a change in the text. Mark it not adopted anyway?"
        )
    before = {"outcome": opinion.outcome.value, "reason": current_reason(session, opinion)}
    moment = decided_at or utcnow()
    decision = Decision(
        opinion=opinion,
        outcome=data.outcome,
        reason_code=data.reason_code,
        public_reason=data.public_reason,
        decided_by_id=actor.id,
        decided_at=moment,
    )
    session.add(decision)
    opinion.outcome = data.outcome
    opinion.decided_at = moment
    session.flush()
    write_notices(session, [decision.id])  # sent once this commits, if they asked
    note_queue_changed(session, opinion.law_id)  # it leaves the queue's pending count
    record_event(
        session,
        actor,
        "opinion.decide",
        "opinion",
        opinion.id,
        receipt=opinion.receipt_code,
        before=before,
        after={
            "outcome": data.outcome.value,
            "reason_code": data.reason_code and data.reason_code.value,
            "public_reason": data.public_reason,
        },
        confirmed=confirmed,
    )
    return decision


def decide_many(
    session: Session,
    actor: Actor,
    opinions: Sequence[Opinion],
    data: DecisionInput,
    *,
    confirmed: bool = False,
) -> list[Decision]:
    """One decision for a group of duplicate or similar opinions, all or nothing."""
    require(actor, Permission.DECIDE_OPINIONS)
    if not opinions:
        raise ValidationFailed("Select at least one opinion.")
    data = check_decision(data)
    if data.outcome is Outcome.NOT_ADOPTED and not confirmed:
        linked = [o for o in opinions if linked_changes(session, o)]
        if linked:
            raise NeedsConfirmation(
                "%(n)d of these opinions are linked to changes in the text. "
                "Mark them not adopted anyway?",
                n=len(linked),
            )
    return [
        decide_opinion(session, actor, o, data, lock_version=None, confirmed=True) for o in opinions
    ]


def linked_changes(session: Session, opinion: Opinion) -> list[ChangeLink]:
    """The opinion's links, with their changes (a handful: the decision page lists them)."""
    return list(
        session.scalars(
            select(ChangeLink)
            .where(ChangeLink.opinion_id == opinion.id)
            .options(selectinload(ChangeLink.change))
        )
    )


def latest_decision(session: Session, opinion: Opinion) -> Decision | None:
    return session.scalar(
        select(Decision)
        .where(Decision.opinion_id == opinion.id)
        .order_by(Decision.decided_at.desc(), Decision.id.desc())
        .limit(1)
    )


def current_reason(session: Session, opinion: Opinion) -> str | None:
    decision = latest_decision(session, opinion)
    return decision.public_reason if decision is not None else None


def decision_history(session: Session, opinion: Opinion) -> list[Decision]:
    return list(
        session.scalars(
            select(Decision)
            .where(Decision.opinion_id == opinion.id)
            .order_by(Decision.decided_at, Decision.id)
        )
    )
