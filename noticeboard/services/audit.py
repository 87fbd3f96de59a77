"""Writing the audit trail."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from noticeboard.models import AuditEvent
from noticeboard.services.permissions import Actor, SystemActor


def record_event(
    session: Session,
    actor: Actor,
    action: str,
    subject_type: str,
    subject_id: int | None,
    **details: Any,
) -> AuditEvent:
    if isinstance(actor, SystemActor):
        details.setdefault("via", actor.via)
    event = AuditEvent(
        actor_id=actor.id,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        details=details,
    )
    session.add(event)
    return event
