"""The batched writes behind bulk actions and their undo: Core statements over a chunk of
opinions that keep the rules the ORM keeps for one (lock version, contact erasure), one
``Decision`` and one audit row per opinion."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, case, func, insert, select, tuple_, update
from sqlalchemy.orm import Session

from noticeboard.models import (
    AuditEvent,
    BulkAction,
    BulkActionItem,
    ChangeLink,
    Decision,
    Opinion,
    OpinionCluster,
    Outcome,
)
from noticeboard.services.audit import record_event
from noticeboard.services.errors import Conflict, NotFound
from noticeboard.services.permissions import Actor, SystemActor
from noticeboard.services.triage.staleness import note_queue_changed

# The tables themselves, not the mapped classes: an ORM bulk INSERT runs every row
# through the mapper, which cost about a third of the time at 10,000 opinions.
DECISION = cast(Table, Decision.__table__)
AUDIT_EVENT = cast(Table, AuditEvent.__table__)
CHANGE_LINK = cast(Table, ChangeLink.__table__)
BULK_ACTION_ITEM = cast(Table, BulkActionItem.__table__)

CHUNK = 1000  # opinions per statement: each well under 1 s, and few round trips


def cluster_of_law(session: Session, cluster_id: int, law_id: int | None) -> OpinionCluster:
    cluster = session.get(OpinionCluster, cluster_id)
    if cluster is None or (law_id is not None and cluster.law_id != law_id):
        raise NotFound("No such cluster.")
    return cluster


def set_outcomes(
    session: Session,
    rows: Sequence[Any],
    outcomes: dict[int, tuple[Outcome, datetime | None]],
    moment: datetime,
) -> None:
    """Set each opinion's outcome and decided_at, as the ORM would: the lock version moves
    on, and only if it is still the one read (``rows`` carry ``id`` and ``lock_version``),
    so an edit made meanwhile makes the whole action fail instead of being overwritten;
    a contact is erased once the outcome is final, unless the contributor asked to be
    told there (the model's validator, which a Core UPDATE bypasses)."""
    ids = [r.id for r in rows]
    outcome_of = {i: outcomes[i][0] for i in ids}
    decided_of = {i: outcomes[i][1] for i in ids}
    final = [i for i in ids if outcome_of[i].is_final]
    closing = (Opinion.contact != "") & Opinion.notify.is_(False)
    if len(final) < len(ids):  # some go back to pending: only the others lose the contact
        closing = Opinion.id.in_(final) & closing
    erasure: dict[str, Any] = {
        "contact_erased_at": case((closing, moment), else_=Opinion.contact_erased_at),
        "contact": case((closing, ""), else_=Opinion.contact),
    }
    written = session.execute(
        update(Opinion)
        .where(
            Opinion.id.in_(ids),
            tuple_(Opinion.id, Opinion.lock_version).in_([(r.id, r.lock_version) for r in rows]),
        )
        .values(
            outcome=_per_opinion(outcome_of),
            decided_at=_per_opinion(decided_of),
            **(erasure if final else {}),
            lock_version=Opinion.lock_version + 1,
            updated_at=moment,
        )
        .execution_options(synchronize_session=False)
    )
    if written.rowcount != len(ids):  # type: ignore[attr-defined]
        raise Conflict(
            "Someone else decided or edited some of these opinions meanwhile. "
            "Reload the page and try again."
        )


def _per_opinion(values: dict[int, Any]) -> Any:
    distinct = set(values.values())
    if len(distinct) == 1:
        return distinct.pop()
    return case(values, value=Opinion.id)


def insert_decisions(
    session: Session,
    actor: Actor,
    decisions: dict[int, tuple[Outcome, Any, str]],
    moment: datetime,
) -> dict[int, int]:
    """One ``Decision`` row per opinion; their ids by opinion id. The caller has updated
    these opinions' rows first (``set_outcomes``), so it holds their locks and each
    opinion's newest decision is the one written here."""
    session.execute(
        insert(DECISION),
        [
            {
                "opinion_id": opinion_id,
                "outcome": outcome,
                "reason_code": reason_code,
                "public_reason": public_reason,
                "decided_by_id": actor.id,
                "decided_at": moment,
            }
            for opinion_id, (outcome, reason_code, public_reason) in decisions.items()
        ],
    )
    # Read back rather than RETURNING in order: that needs a sentinel, and SQLite falls
    # back to one INSERT per row for it.
    newest = session.execute(
        select(DECISION.c.opinion_id, func.max(DECISION.c.id))
        .where(DECISION.c.opinion_id.in_(list(decisions)))
        .group_by(DECISION.c.opinion_id)
    )
    return {row[0]: row[1] for row in newest}


def latest_decisions(
    session: Session, ids: Sequence[int], *, before: dict[int, int] | None = None
) -> list[Any]:
    """Each opinion's latest decision (as ``outcomes.latest_decision``), in one query; with
    ``before``, the latest one older than the decision id given for that opinion."""
    if not ids:
        return []
    where: list[ColumnElement[bool]] = [Decision.opinion_id.in_(ids)]
    if before:
        where.append(Decision.id < case(before, value=Decision.opinion_id, else_=0))
    ranked = (
        select(
            Decision.id,
            Decision.opinion_id,
            Decision.outcome,
            Decision.reason_code,
            Decision.public_reason,
            Decision.decided_at,
            func.row_number()
            .over(
                partition_by=Decision.opinion_id,
                order_by=(Decision.decided_at.desc(), Decision.id.desc()),
            )
            .label("place"),
        )
        .where(*where)
        .subquery()
    )
    return list(session.execute(select(ranked).where(ranked.c.place == 1)).all())


def audit_rows(
    session: Session,
    actor: Actor,
    moment: datetime,
    action: str,
    subject_type: str,
    subjects: Sequence[tuple[int, dict[str, Any]]],
    **common: Any,
) -> None:
    """One audit row per opinion, in one batched INSERT."""
    if isinstance(actor, SystemActor):
        common.setdefault("via", actor.via)
    session.execute(
        insert(AUDIT_EVENT),
        [
            {
                "at": moment,
                "actor_id": actor.id,
                "action": action,
                "subject_type": subject_type,
                "subject_id": subject_id,
                "details": {**details, **common},
            }
            for subject_id, details in subjects
        ],
    )


def expire_opinions(session: Session, ids: set[int]) -> None:
    """The ORM's copies of these opinions are stale after a batched UPDATE."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Opinion) and obj.id in ids:
            session.expire(obj)


def new_action(
    session: Session,
    actor: Actor,
    action: BulkAction,
    count: int,
    params: dict[str, Any],
    moment: datetime,
) -> BulkAction:
    """Save ``action`` (its kind and subject set), done by ``actor`` on ``count`` opinions."""
    action.params, action.count, action.actor_id, action.created_at = (
        params,
        count,
        actor.id,
        moment,
    )
    session.add(action)
    session.flush()
    note_queue_changed(session, action.law_id)  # the queue is counted again
    return action


def summary_event(session: Session, actor: Actor, action: BulkAction) -> None:
    record_event(
        session,
        actor,
        f"bulk.{action.kind.value}",
        "bulk_action",
        action.id,
        law_id=action.law_id,
        change_id=action.change_id,
        cluster_id=action.cluster_id,
        count=action.count,
        params=action.params,
    )
    session.flush()
