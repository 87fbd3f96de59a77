"""An office's noticeboard: the suggestions from that office, and the offices below it,
that were adopted or partially adopted, with the change each shaped, the office's
headline counters and the consultations open now.

The kiosk screens poll this (through a cache) from across the country, so it reads a
bounded number of rows whatever the size of the database.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from noticeboard.models import Law, Office, OfficeTier, Opinion, Outcome
from noticeboard.services.accounts.scope import office_scope, subtree_ids
from noticeboard.services.errors import NotFound
from noticeboard.services.permissions import Actor, Permission, require
from noticeboard.services.public.adoptions import ADOPTED, AdoptedItem, Ops, adopted_items
from noticeboard.services.public.consultations import Consultation, open_consultations

BOARD_ITEMS = 50
ELLIPSIS = "…"
CONTEXT = 24  # unchanged characters kept on each side of an edit
MAX_RUN = 120  # longest inserted or deleted run kept whole
MAX_CHARS = 320  # the whole redline: what a screen shows legibly from a few metres
_TIER_RANK = {OfficeTier.NATIONAL: 0, OfficeTier.PROVINCIAL: 1, OfficeTier.PREFECTURE: 2}


@dataclass(frozen=True)
class Counters:
    laws: int  # laws the opinions were about
    opinions: int
    adopted: int  # adopted or partially adopted


@dataclass(frozen=True)
class Board:
    office: Office
    law: Law | None
    counters: Counters
    items: list[AdoptedItem]
    consultations: list[Consultation]


def office_board(
    session: Session,
    office_slug: str,
    *,
    law_slug: str | None = None,
    now: datetime | None = None,
    limit: int = BOARD_ITEMS,
) -> Board:
    office = session.scalar(select(Office).where(Office.slug == office_slug))
    if office is None:
        raise NotFound("No office with the slug %(slug)s.", slug=office_slug)
    law = None
    if law_slug:
        law = session.scalar(select(Law).where(Law.slug == law_slug))
        if law is None:
            raise NotFound("No law at this address.")
    law_id = law.id if law is not None else None
    office_ids = subtree_ids(session, office.id)
    return Board(
        office=office,
        law=law,
        counters=opinion_counters(session, office_ids=office_ids, law_id=law_id),
        items=adopted_items(session, office_ids=office_ids, law_id=law_id, limit=limit),
        consultations=open_consultations(session, now=now, law_id=law_id),
    )


def opinion_counters(
    session: Session, *, office_ids: Collection[int] | None = None, law_id: int | None = None
) -> Counters:
    # Grouped by law and outcome and summed here: PostgreSQL reads the (office,) law,
    # outcome index in its order, where count(DISTINCT law_id) sorted a million rows.
    query = select(Opinion.law_id, Opinion.outcome, func.count()).group_by(
        Opinion.law_id, Opinion.outcome
    )
    if office_ids is not None:
        query = query.where(Opinion.office_id.in_(sorted(office_ids)))
    if law_id is not None:
        query = query.where(Opinion.law_id == law_id)
    laws: set[int] = set()
    opinions = adopted = 0
    for row_law, outcome, n in session.execute(query):
        laws.add(row_law)
        opinions += n
        adopted += n if Outcome(outcome) in ADOPTED else 0
    return Counters(laws=len(laws), opinions=opinions, adopted=adopted)


def trim_ops(
    ops: Ops, *, context: int = CONTEXT, max_run: int = MAX_RUN, budget: int = MAX_CHARS
) -> Ops:
    """A short redline: every edit, with a little unchanged text around it.

    Long unchanged stretches keep ``context`` characters at each edge, long insertions or
    deletions their first ``max_run`` characters, and the whole stops near ``budget``;
    every cut is marked with an ellipsis."""
    out: Ops = []
    used = 0
    last = len(ops) - 1
    for index, (op, text) in enumerate(ops):
        text = str(text)
        if op != 0 or (index == 0 and index == last):
            piece = _head(text, max_run)
        elif index == 0:
            piece = text if len(text) <= context else ELLIPSIS + text[-context:]
        elif index == last:
            piece = _head(text, context)
        elif len(text) > 2 * context + 1:
            piece = text[:context] + ELLIPSIS + text[-context:]
        else:
            piece = text
        if out and used + len(piece) > budget:
            out.append([0, ELLIPSIS])
            break
        if piece:
            out.append([int(op), piece])
            used += len(piece)
    return out


def _head(text: str, size: int) -> str:
    return text if len(text) <= size else text[:size] + ELLIPSIS


def board_offices(session: Session, actor: Actor) -> list[Office]:
    """The offices whose boards a staff member may set up: every office for admins and
    the commission, an office's own and those below it for office staff."""
    require(actor, Permission.RECORD_OPINIONS)
    scope = office_scope(session, actor)
    offices = session.scalars(select(Office).where(scope.where(Office.id)))
    return sorted(offices, key=lambda o: (_TIER_RANK[o.tier], o.name))
