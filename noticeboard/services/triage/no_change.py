"""Answered with no change: opinions that nothing in the next version answers, decided
not adopted with ``ReasonCode.NO_CHANGE_NEEDED`` and one public explanation, in bulk.

Only *unmatched* opinions qualify (pending, no stored match scoring ``LIKELY`` or more,
no link to a change; see ``services.triage.queue``): a likely match or a link means a
change may answer the opinion, and that must be decided on the change's page instead.
Each opinion gets its own ``Decision``, its own audit row and a ``BulkActionItem``, so
the action can be undone opinion by opinion (``services.decisions.bulk_undo``); the
batched writes are the other bulk actions' own (``services.decisions.bulk_writes``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import BulkAction, BulkKind, Law, Opinion, Outcome, ReasonCode
from noticeboard.services.decisions.bulk_decide import decide_targets
from noticeboard.services.decisions.bulk_writes import CHUNK
from noticeboard.services.decisions.outcomes import DecisionInput, check_decision
from noticeboard.services.errors import ValidationFailed
from noticeboard.services.permissions import Actor, Permission, require
from noticeboard.services.triage.queue.details import LIKELY, GroupRef
from noticeboard.services.triage.queue.groups import (
    QueueFilters,
    group_members,
    has_link,
    likely_match,
)


def no_change_decision(public_reason: str) -> DecisionInput:
    return DecisionInput(Outcome.NOT_ADOPTED, ReasonCode.NO_CHANGE_NEEDED, public_reason)


def check_no_change(decision: DecisionInput) -> DecisionInput:
    data = check_decision(decision)
    if (
        data.outcome is not Outcome.NOT_ADOPTED
        or data.reason_code is not ReasonCode.NO_CHANGE_NEEDED
    ):
        raise ValidationFailed(
            "Opinions answered with no change are not adopted, as no change needed."
        )
    if not data.public_reason:
        raise ValidationFailed("Explain publicly why no change is needed.")
    return data


def unmatched_among(session: Session, law_id: int, opinion_ids: Sequence[int]) -> list[Any]:
    """Those of ``opinion_ids`` on the law still pending and unmatched, in id order, as
    rows of (id, receipt_code, outcome, lock_version)."""
    found: list[Any] = []
    ids = sorted(set(opinion_ids))
    for start in range(0, len(ids), CHUNK):
        found += session.execute(
            select(Opinion.id, Opinion.receipt_code, Opinion.outcome, Opinion.lock_version)
            .where(
                Opinion.id.in_(ids[start : start + CHUNK]),
                Opinion.law_id == law_id,
                Opinion.outcome == Outcome.PENDING,
                ~likely_match(Opinion.id),
                ~has_link(Opinion.id),
            )
            .order_by(Opinion.id)
        ).all()
    return found


def decide_unmatched(
    session: Session,
    actor: Actor,
    law_id: int,
    opinion_ids: Sequence[int],
    decision: DecisionInput,
) -> BulkAction:
    """Decide the unmatched ones among ``opinion_ids`` not adopted, no change needed.

    Opinions no longer unmatched (decided, matched or linked meanwhile) are left alone
    and counted in the action's ``params["skipped"]``; one edited by someone else between
    the check and the write makes the whole action fail (Conflict).
    """
    require(actor, Permission.DECIDE_OPINIONS)
    data = check_no_change(decision)
    targets = unmatched_among(session, law_id, opinion_ids)
    if not targets:
        raise ValidationFailed("None of these opinions is still unmatched and pending.")
    params = {
        "outcome": data.outcome.value,
        "reason_code": ReasonCode.NO_CHANGE_NEEDED.value,
        "public_reason": data.public_reason,
        "likely": LIKELY,
        "skipped": len(set(opinion_ids)) - len(targets),
    }
    action = BulkAction(kind=BulkKind.DECIDE_UNMATCHED, law_id=law_id)
    return decide_targets(session, actor, action, targets, data, params)


def answer_group(
    session: Session,
    actor: Actor,
    law: Law,
    ref: GroupRef,
    filters: QueueFilters,
    public_reason: str,
) -> BulkAction:
    """Answer with no change the unmatched members of one queue group, as filtered."""
    require(actor, Permission.DECIDE_OPINIONS)
    ids = list(session.scalars(group_members(session, actor, law, ref, filters)))
    return decide_unmatched(session, actor, law.id, ids, no_change_decision(public_reason))


__all__ = [
    "answer_group",
    "check_no_change",
    "decide_unmatched",
    "no_change_decision",
    "unmatched_among",
]
