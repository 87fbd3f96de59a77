"""Deciding in bulk: every opinion linked to a change, or a whole campaign, with one
outcome and one public reason, each opinion still getting its own ``Decision`` and its
own audit row (see ``bulk``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, func, insert, select
from sqlalchemy.orm import Session

from noticeboard.models import (
    BulkAction,
    BulkKind,
    ChangeLink,
    Opinion,
    OpinionTriage,
    Outcome,
    utcnow,
)
from noticeboard.services.decisions.bulk_writes import (
    BULK_ACTION_ITEM,
    CHUNK,
    audit_rows,
    cluster_of_law,
    expire_opinions,
    insert_decisions,
    latest_decisions,
    new_action,
    set_outcomes,
    summary_event,
)
from noticeboard.services.decisions.links import get_change
from noticeboard.services.decisions.outcomes import DecisionInput, check_decision
from noticeboard.services.errors import Conflict, NeedsConfirmation, ValidationFailed
from noticeboard.services.notices.outbox import write_notices
from noticeboard.services.permissions import Actor, Permission, require


def decide_linked(
    session: Session,
    actor: Actor,
    change_id: int,
    decision: DecisionInput,
    *,
    confirmed: bool = False,
    include_decided: bool = False,
    expected_count: int | None = None,
) -> BulkAction:
    """One decision, with one public reason, for every opinion linked to the change (the
    pending ones, unless ``include_decided``: a decision made one by one is not
    overwritten by accident)."""
    require(actor, Permission.DECIDE_OPINIONS)
    data = check_decision(decision)
    change = get_change(session, change_id)
    law_id = change.comparison.from_version.law_id
    linked = exists().where(ChangeLink.change_id == change.id, ChangeLink.opinion_id == Opinion.id)
    if data.outcome is Outcome.NOT_ADOPTED and not confirmed:
        raise NeedsConfirmation(
            "These opinions are linked to a change in the text. Mark them not adopted anyway?"
        )
    targets = _targets(session, linked, include_decided)
    params = _decision_params(data, include_decided, confirmed)
    action = BulkAction(kind=BulkKind.DECIDE_LINKED, law_id=law_id, change_id=change.id)
    return decide_targets(session, actor, action, targets, data, params, expected_count)


def decide_cluster(
    session: Session,
    actor: Actor,
    cluster_id: int,
    decision: DecisionInput,
    *,
    confirmed: bool = False,
    include_decided: bool = False,
    expected_count: int | None = None,
) -> BulkAction:
    """One decision for every member of a campaign (pending ones unless ``include_decided``)."""
    require(actor, Permission.DECIDE_OPINIONS)
    data = check_decision(decision)
    cluster = cluster_of_law(session, cluster_id, None)
    member = exists().where(
        OpinionTriage.opinion_id == Opinion.id, OpinionTriage.cluster_id == cluster.id
    )
    targets = _targets(session, member, include_decided)
    if data.outcome is Outcome.NOT_ADOPTED and not confirmed:
        ids = [t.id for t in targets]
        linked = sum(
            session.scalar(
                select(func.count(func.distinct(ChangeLink.opinion_id))).where(
                    ChangeLink.opinion_id.in_(ids[start : start + CHUNK])
                )
            )
            or 0
            for start in range(0, len(ids), CHUNK)
        )
        if linked:
            raise NeedsConfirmation(
                "%(n)d of these opinions are linked to changes in the text. "
                "Mark them not adopted anyway?",
                n=linked,
            )
    params = {**_decision_params(data, include_decided, confirmed), "cluster_id": cluster.id}
    action = BulkAction(kind=BulkKind.DECIDE_CLUSTER, law_id=cluster.law_id, cluster_id=cluster.id)
    return decide_targets(session, actor, action, targets, data, params, expected_count)


def _targets(session: Session, scope: ColumnElement[bool], include_decided: bool) -> list[Any]:
    where = [scope]
    if not include_decided:
        where.append(Opinion.outcome == Outcome.PENDING)
    return list(
        session.execute(
            select(Opinion.id, Opinion.receipt_code, Opinion.outcome, Opinion.lock_version)
            .where(*where)
            .order_by(Opinion.id)
        ).all()
    )


def _decision_params(data: DecisionInput, include_decided: bool, confirmed: bool) -> dict[str, Any]:
    return {
        "outcome": data.outcome.value,
        "reason_code": data.reason_code and data.reason_code.value,
        "public_reason": data.public_reason,
        "include_decided": include_decided,
        "confirmed": confirmed,
    }


def decide_targets(
    session: Session,
    actor: Actor,
    action: BulkAction,
    targets: list[Any],
    data: DecisionInput,
    params: dict[str, Any],
    expected_count: int | None = None,
) -> BulkAction:
    """Decide ``targets`` (rows of id, receipt code, outcome, lock version) as one bulk
    action: a decision, an item and an audit row per opinion, in batches."""
    if expected_count is not None and len(targets) != expected_count:
        raise Conflict(
            "The number of opinions changed since the page was shown (%(seen)d, now %(now)d). "
            "Look at the page again.",
            seen=expected_count,
            now=len(targets),
        )
    if not targets:
        raise ValidationFailed("No opinion is left to decide here.")
    moment = utcnow()
    new_action(session, actor, action, len(targets), params, moment)
    after = {
        "outcome": data.outcome.value,
        "reason_code": data.reason_code and data.reason_code.value,
        "public_reason": data.public_reason,
    }
    for start in range(0, len(targets), CHUNK):
        chunk = targets[start : start + CHUNK]
        ids = [t.id for t in chunk]
        reasons = {d.opinion_id: d.public_reason for d in latest_decisions(session, ids)}
        set_outcomes(session, chunk, {t.id: (data.outcome, moment) for t in chunk}, moment)
        chosen = (data.outcome, data.reason_code, data.public_reason)
        decision_ids = insert_decisions(session, actor, dict.fromkeys(ids, chosen), moment)
        write_notices(session, list(decision_ids.values()))
        session.execute(
            insert(BULK_ACTION_ITEM),
            [
                {
                    "action_id": action.id,
                    "opinion_id": t.id,
                    "decision_id": decision_ids[t.id],
                    "previous_outcome": Outcome(t.outcome).value,
                }
                for t in chunk
            ],
        )
        audit_rows(
            session,
            actor,
            moment,
            "opinion.decide",
            "opinion",
            [
                (
                    t.id,
                    {
                        "receipt": t.receipt_code,
                        "before": {
                            "outcome": Outcome(t.outcome).value,
                            "reason": reasons.get(t.id),
                        },
                        "after": after,
                    },
                )
                for t in chunk
            ],
            bulk_action=action.id,
            confirmed=bool(params.get("confirmed")),
        )
    summary_event(session, actor, action)
    expire_opinions(session, {t.id for t in targets})
    return action
