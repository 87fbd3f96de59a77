"""Undoing a bulk action, opinion by opinion, from its ``BulkActionItem`` rows.

A link the action made is removed, unless its opinion was decided since (the decision
may rest on the link: removing it would leave an adoption with nothing credited). A
decision is put back to the item's ``previous_outcome`` only where the action's decision
is still the opinion's latest one: if someone decided the opinion since, their decision
stands. Putting back appends a ``Decision`` row (the history records the undo, as
``outcomes.decide_opinion`` records every change of outcome) carrying the earlier
decision's reason; the opinion's ``decided_at`` goes back to that earlier decision's
(none when it was pending), and its lock version moves on. A contact erased when the
opinion was closed stays erased: it is gone. Opinions left alone are listed in
``params["undo"]["skipped"]``; an action is undone once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session, aliased

from noticeboard.models import (
    BulkAction,
    BulkActionItem,
    BulkKind,
    ChangeLink,
    Decision,
    Opinion,
    Outcome,
    utcnow,
)
from noticeboard.services.audit import record_event
from noticeboard.services.decisions.bulk_writes import (
    CHUNK,
    audit_rows,
    expire_opinions,
    insert_decisions,
    latest_decisions,
    set_outcomes,
)
from noticeboard.services.errors import Conflict, NotFound
from noticeboard.services.notices.outbox import cancel_for_decisions
from noticeboard.services.permissions import Actor, Permission, require
from noticeboard.services.triage.staleness import note_queue_changed

LINK_KINDS = (BulkKind.LINK_MATCHED, BulkKind.LINK_CLUSTER)


def undo(session: Session, actor: Actor, action_id: int) -> BulkAction:
    require(actor, Permission.DECIDE_OPINIONS)
    # Locked: two staff pressing Undo at once undo it once.
    action = session.scalar(select(BulkAction).where(BulkAction.id == action_id).with_for_update())
    if action is None:
        raise NotFound("No such bulk action.")
    if action.undone_at is not None:
        raise Conflict("This bulk action was already undone.")
    moment = utcnow()
    if action.kind in LINK_KINDS:
        restored, skipped = _undo_links(session, actor, action, moment)
    else:
        restored, skipped = _undo_decisions(session, actor, action, moment)
    action.undone_at, action.undone_by_id = moment, actor.id
    # A new dict: the JSON column notices reassignment, not mutation in place.
    action.params = {**action.params, "undo": {"restored": restored, "skipped": skipped}}
    record_event(
        session,
        actor,
        "bulk.undo",
        "bulk_action",
        action.id,
        kind=action.kind.value,
        law_id=action.law_id,
        change_id=action.change_id,
        restored=restored,
        skipped=len(skipped),
    )
    session.flush()
    note_queue_changed(session, action.law_id)  # the queue is counted again
    return action


def _undo_links(
    session: Session, actor: Actor, action: BulkAction, moment: Any
) -> tuple[int, list[int]]:
    rows = session.execute(
        select(
            BulkActionItem.opinion_id,
            BulkActionItem.link_id,
            Opinion.receipt_code,
            Opinion.decided_at,
            ChangeLink.change_id,
            ChangeLink.degree,
        )
        .join(Opinion, Opinion.id == BulkActionItem.opinion_id)
        # Outer: a link removed by hand since has left its item's link_id NULL.
        .outerjoin(ChangeLink, ChangeLink.id == BulkActionItem.link_id)
        .where(BulkActionItem.action_id == action.id)
        .order_by(BulkActionItem.opinion_id)
    ).all()
    removable = [
        r
        for r in rows
        if r.change_id is not None and (r.decided_at is None or r.decided_at < action.created_at)
    ]
    kept = sorted({r.opinion_id for r in rows} - {r.opinion_id for r in removable})
    for start in range(0, len(removable), CHUNK):
        chunk = removable[start : start + CHUNK]
        session.execute(
            delete(ChangeLink)
            .where(ChangeLink.id.in_([r.link_id for r in chunk]))
            .execution_options(synchronize_session=False)
        )
        audit_rows(
            session,
            actor,
            moment,
            "change.unlink",
            "change",
            [
                (
                    r.change_id,
                    {"opinion": r.receipt_code, "opinion_id": r.opinion_id, "degree": r.degree},
                )
                for r in chunk
            ],
            bulk_action=action.id,
            undo=True,
        )
    # The ORM's copies of the removed links are gone from the database.
    for obj in list(session.identity_map.values()):
        if isinstance(obj, ChangeLink) and obj.id in {r.link_id for r in removable}:
            session.expunge(obj)
    return len(removable), kept


def _undo_decisions(
    session: Session, actor: Actor, action: BulkAction, moment: Any
) -> tuple[int, list[int]]:
    newer = aliased(Decision)
    still_latest = ~exists().where(
        newer.opinion_id == BulkActionItem.opinion_id, newer.id > BulkActionItem.decision_id
    )
    items = session.execute(
        select(
            BulkActionItem.opinion_id,
            BulkActionItem.decision_id,
            BulkActionItem.previous_outcome,
            still_latest.label("still_latest"),
        )
        .where(BulkActionItem.action_id == action.id)
        .order_by(BulkActionItem.opinion_id)
    ).all()
    restorable = [i for i in items if i.decision_id is not None and i.still_latest]
    skipped = sorted({i.opinion_id for i in items} - {i.opinion_id for i in restorable})
    for start in range(0, len(restorable), CHUNK):
        _restore_chunk(session, actor, action, restorable[start : start + CHUNK], moment)
    expire_opinions(session, {i.opinion_id for i in restorable})
    return len(restorable), skipped


def _restore_chunk(
    session: Session, actor: Actor, action: BulkAction, items: list[Any], moment: Any
) -> None:
    ids = [i.opinion_id for i in items]
    bulk_decision = {i.opinion_id: i.decision_id for i in items}
    previous_outcome = {i.opinion_id: Outcome(i.previous_outcome or "pending") for i in items}
    earlier = {d.opinion_id: d for d in latest_decisions(session, ids, before=bulk_decision)}
    # Read under lock (PostgreSQL), so the lock versions checked below are current ones.
    opinions = session.execute(
        select(Opinion.id, Opinion.receipt_code, Opinion.outcome, Opinion.lock_version)
        .where(Opinion.id.in_(ids))
        .order_by(Opinion.id)
        .with_for_update()
    ).all()
    restored: dict[int, tuple[Outcome, Any]] = {}
    for opinion_id in ids:
        before = earlier.get(opinion_id)
        outcome = previous_outcome[opinion_id]
        # decided_at belongs to the earlier decision when it set this same outcome.
        decided = before.decided_at if before is not None and outcome.is_final else None
        restored[opinion_id] = (outcome, decided)
    set_outcomes(session, opinions, restored, moment)
    # The undone decision's notices that have not gone never will.
    cancel_for_decisions(session, list(bulk_decision.values()), "the decision was undone")
    reasons = {
        i: (
            previous_outcome[i],
            earlier[i].reason_code if i in earlier else None,
            earlier[i].public_reason if i in earlier else "",
        )
        for i in ids
    }
    insert_decisions(session, actor, reasons, moment)
    audit_rows(
        session,
        actor,
        moment,
        "opinion.decide",
        "opinion",
        [
            (
                o.id,
                {
                    "receipt": o.receipt_code,
                    "before": {
                        "outcome": Outcome(o.outcome).value,
                        "reason": action.params.get("public_reason"),
                    },
                    "after": {
                        "outcome": previous_outcome[o.id].value,
                        "reason_code": _value(reasons[o.id][1]),
                        "public_reason": reasons[o.id][2],
                    },
                },
            )
            for o in opinions
        ],
        bulk_action=action.id,
        undo=True,
    )


def _value(code: Any) -> str | None:
    return code.value if code is not None else None
