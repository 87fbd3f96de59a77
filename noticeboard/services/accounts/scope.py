"""Which offices' opinions an actor may see and record.

Admins, the commission and the command line: every office, and the opinions that came
in through no office (online submissions). Office staff: their own office and every
office below it, nothing else. Every opinion query and change goes through here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from noticeboard.models import Office, Role
from noticeboard.services.permissions import Actor, SystemActor


@dataclass(frozen=True)
class OfficeScope:
    # None means every office, and opinions without an office.
    office_ids: frozenset[int] | None

    @property
    def everything(self) -> bool:
        return self.office_ids is None

    def covers(self, office_id: int | None) -> bool:
        if self.office_ids is None:
            return True
        return office_id is not None and office_id in self.office_ids

    def where(self, column: InstrumentedAttribute[Any]) -> ColumnElement[bool]:
        """A filter on an office id column: rows inside the scope."""
        if self.office_ids is None:
            return true()
        return column.in_(sorted(self.office_ids))


def office_scope(session: Session, actor: Actor) -> OfficeScope:
    if isinstance(actor, SystemActor) or actor.role in (Role.ADMIN, Role.COMMISSION):
        return OfficeScope(None)
    if actor.office_id is None:
        return OfficeScope(frozenset())
    return OfficeScope(frozenset(subtree_ids(session, actor.office_id)))


def subtree_ids(session: Session, root_id: int) -> list[int]:
    """The office and every office below it, at any depth (a recursive query)."""
    tree = select(Office.id).where(Office.id == root_id).cte("subtree", recursive=True)
    tree = tree.union(select(Office.id).where(Office.parent_id == tree.c.id))
    return list(session.scalars(select(tree.c.id)))
