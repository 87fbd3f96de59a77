"""Notice rows written directly, in any state, for the tests of what staff and
contributors see of them (the sender's own tests go through a real SMTP server)."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from noticeboard.models import Notice, NoticeChannel, NoticeState, Opinion, utcnow
from tests import factories


def asking_opinion(session: Session, version: Any = None, **fields: Any) -> Opinion:
    """An undecided opinion whose contributor asked to be told the outcome by e-mail."""
    version = version or factories.make_version(session)
    fields.setdefault("contact", "asker@example.org")
    return factories.make_opinion(session, version, notify=True, **fields)


def make_notice(
    session: Session,
    opinion: Opinion,
    state: NoticeState = NoticeState.PENDING,
    *,
    at: datetime | None = None,
    **fields: Any,
) -> Notice:
    moment = at or utcnow()
    notice = Notice(
        opinion_id=opinion.id,
        channel=fields.pop("channel", NoticeChannel.EMAIL),
        language=fields.pop("language", "zh"),
        state=state,
        message_token=secrets.token_hex(16),
        unsubscribe_token=secrets.token_urlsafe(32),
        attempts=fields.pop("attempts", 0),
        next_attempt_at=fields.pop("next_attempt_at", moment),
        last_error=fields.pop("last_error", ""),
        created_at=moment,
        **fields,
    )
    session.add(notice)
    session.flush()
    return notice
