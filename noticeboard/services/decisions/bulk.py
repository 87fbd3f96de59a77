"""Bulk actions on the change page and the cluster page: link the opinions matched to a
change, link a campaign, decide every linked opinion or a whole campaign.

The rules of the single-opinion services hold for each opinion (``links.py`` and
``outcomes.py``): a link only proposes an outcome, each opinion gets its own link or
``Decision`` row and its own audit row (naming the bulk action), its lock version moves
on, and a contact is erased once the opinion is closed. The writes are batched Core
statements (a few per ``CHUNK`` opinions), so ten thousand opinions take seconds, not
ten thousand ORM round trips. Each action keeps one ``BulkActionItem`` per opinion so
that ``bulk_undo.undo`` can put back exactly what it did.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, exists, func, insert, select
from sqlalchemy.orm import Session

from noticeboard.models import (
    BulkAction,
    BulkKind,
    Change,
    ChangeLink,
    LinkDegree,
    Opinion,
    OpinionMatch,
    OpinionTriage,
    utcnow,
)
from noticeboard.services.decisions.bulk_decide import decide_cluster, decide_linked
from noticeboard.services.decisions.bulk_undo import undo
from noticeboard.services.decisions.bulk_writes import (
    BULK_ACTION_ITEM,
    CHANGE_LINK,
    CHUNK,
    audit_rows,
    cluster_of_law,
    new_action,
    summary_event,
)
from noticeboard.services.decisions.links import QUIET_KINDS, get_change
from noticeboard.services.errors import Conflict, ValidationFailed
from noticeboard.services.permissions import Actor, Permission, require

SAMPLE_SIZE = 10


@dataclass(frozen=True)
class SampleOpinion:
    opinion_id: int
    receipt_code: str
    score: float
    text: str


@dataclass(frozen=True)
class BulkPreview:
    """What "link the matched opinions" would do: how many, and some of them."""

    change_id: int
    min_score: float
    count: int
    sample: list[SampleOpinion]


# ---- linking ------------------------------------------------------------------------


def _linkable_change(session: Session, change_id: int) -> tuple[Change, int]:
    change = get_change(session, change_id)
    if change.kind in QUIET_KINDS:
        raise ValidationFailed("This article's wording did not change: there is nothing to credit.")
    return change, change.comparison.from_version.law_id


def _not_linked(change_id: int) -> ColumnElement[bool]:
    # An anti-join, never NOT IN (subquery): see suggestions' history in issue 18.
    return ~exists().where(ChangeLink.change_id == change_id, ChangeLink.opinion_id == Opinion.id)


def _check_score(min_score: float) -> float:
    if not 0.0 <= min_score <= 1.0:
        raise ValidationFailed("The score is between 0 and 1.")
    return float(min_score)


def _matched_unlinked(change_id: int, law_id: int, min_score: float) -> list[ColumnElement[bool]]:
    return [
        OpinionMatch.change_id == change_id,
        OpinionMatch.score >= min_score,
        Opinion.id == OpinionMatch.opinion_id,
        Opinion.law_id == law_id,
        _not_linked(change_id),
    ]


def preview_link_matched(
    session: Session, actor: Actor, change_id: int, min_score: float
) -> BulkPreview:
    require(actor, Permission.DECIDE_OPINIONS)
    min_score = _check_score(min_score)
    change, law_id = _linkable_change(session, change_id)
    where = _matched_unlinked(change.id, law_id, min_score)
    count = session.scalar(select(func.count()).select_from(OpinionMatch).where(*where)) or 0
    sample = [
        SampleOpinion(row.id, row.receipt_code, row.score, row.text[:240])
        for row in session.execute(
            select(Opinion.id, Opinion.receipt_code, OpinionMatch.score, Opinion.text)
            .select_from(OpinionMatch)
            .where(*where)
            .order_by(OpinionMatch.score.desc(), Opinion.id)
            .limit(SAMPLE_SIZE)
        )
    ]
    return BulkPreview(change_id=change.id, min_score=min_score, count=count, sample=sample)


def link_matched(
    session: Session,
    actor: Actor,
    change_id: int,
    min_score: float,
    *,
    expected_count: int,
    degree: LinkDegree | str = LinkDegree.FULL,
) -> BulkAction:
    """Link every opinion matched to the change with ``score >= min_score`` and not linked
    yet. ``expected_count`` is what the preview showed: if the set changed since (new
    matches, someone linked some), nothing is done and staff look again."""
    require(actor, Permission.DECIDE_OPINIONS)
    min_score = _check_score(min_score)
    change, law_id = _linkable_change(session, change_id)
    rows = session.execute(
        select(Opinion.id, Opinion.receipt_code)
        .select_from(OpinionMatch)
        .where(*_matched_unlinked(change.id, law_id, min_score))
        .order_by(Opinion.id)
    ).all()
    if len(rows) != expected_count:
        raise Conflict(
            "The number of matched opinions changed since the preview (%(seen)d, now %(now)d). "
            "Look at the preview again.",
            seen=expected_count,
            now=len(rows),
        )
    params = {"min_score": min_score, "degree": LinkDegree(degree).value}
    return _link(session, actor, BulkKind.LINK_MATCHED, change, law_id, rows, params)


def link_cluster(
    session: Session,
    actor: Actor,
    change_id: int,
    cluster_id: int,
    *,
    expected_count: int | None = None,
    degree: LinkDegree | str = LinkDegree.FULL,
) -> BulkAction:
    """Link the campaign's members that are not linked to the change yet."""
    require(actor, Permission.DECIDE_OPINIONS)
    change, law_id = _linkable_change(session, change_id)
    cluster = cluster_of_law(session, cluster_id, law_id)
    rows = session.execute(
        select(Opinion.id, Opinion.receipt_code)
        .join(OpinionTriage, OpinionTriage.opinion_id == Opinion.id)
        .where(OpinionTriage.cluster_id == cluster.id, _not_linked(change.id))
        .order_by(Opinion.id)
    ).all()
    if expected_count is not None and len(rows) != expected_count:
        raise Conflict(
            "The cluster changed since the page was shown (%(seen)d, now %(now)d). "
            "Look at it again.",
            seen=expected_count,
            now=len(rows),
        )
    params = {"cluster_id": cluster.id, "degree": LinkDegree(degree).value}
    return _link(session, actor, BulkKind.LINK_CLUSTER, change, law_id, rows, params, cluster.id)


def _link(
    session: Session,
    actor: Actor,
    kind: BulkKind,
    change: Change,
    law_id: int,
    rows: Sequence[Any],
    params: dict[str, Any],
    cluster_id: int | None = None,
) -> BulkAction:
    if not rows:
        raise ValidationFailed("Every one of these opinions is already linked to this change.")
    moment = utcnow()
    action = BulkAction(kind=kind, law_id=law_id, change_id=change.id, cluster_id=cluster_id)
    new_action(session, actor, action, len(rows), params, moment)
    degree = LinkDegree(params["degree"])
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        session.execute(
            insert(CHANGE_LINK),
            [
                {
                    "change_id": change.id,
                    "opinion_id": row.id,
                    "degree": degree,
                    "note": "",
                    "created_by_id": actor.id,
                    "created_at": moment,
                }
                for row in chunk
            ],
        )
        # Read back by the unique (change, opinion) pair: RETURNING in order would need a
        # sentinel, and SQLite falls back to one INSERT per row for it.
        link_ids = dict(
            session.execute(
                select(CHANGE_LINK.c.opinion_id, CHANGE_LINK.c.id).where(
                    CHANGE_LINK.c.change_id == change.id,
                    CHANGE_LINK.c.opinion_id.in_([row.id for row in chunk]),
                )
            ).all()
        )
        session.execute(
            insert(BULK_ACTION_ITEM),
            [
                {"action_id": action.id, "opinion_id": row.id, "link_id": link_ids[row.id]}
                for row in chunk
            ],
        )
        audit_rows(
            session,
            actor,
            moment,
            "change.link",
            "change",
            [
                (change.id, {"opinion": row.receipt_code, "opinion_id": row.id, "degree": degree})
                for row in chunk
            ],
            bulk_action=action.id,
        )
    summary_event(session, actor, action)
    return action


__all__ = [
    "BulkPreview",
    "SampleOpinion",
    "decide_cluster",
    "decide_linked",
    "link_cluster",
    "link_matched",
    "preview_link_matched",
    "undo",
]
