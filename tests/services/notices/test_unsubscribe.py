"""Unsubscribing with a notice's link: consent withdrawn, contact erased, waiting
notices cancelled, one audit row without personal data; a second time changes nothing."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import AuditEvent, Notice, NoticeState, Outcome, ReasonCode
from noticeboard.services.decisions.outcomes import DecisionInput, decide_opinion
from noticeboard.services.notices.unsubscribe import (
    UNSUBSCRIBED,
    find_by_token,
    is_unsubscribed,
    unsubscribe,
)
from tests import factories
from tests.services.notices.rows import asking_opinion, make_notice


def _audit(session: Session) -> list[AuditEvent]:
    return list(
        session.scalars(select(AuditEvent).where(AuditEvent.action == "opinion.unsubscribe"))
    )


def test_unsubscribe_stops_everything_once_and_is_audited_once(db_session: Session) -> None:
    opinion = asking_opinion(db_session, contributor_name="王芳")
    sent = make_notice(db_session, opinion, NoticeState.SENT)
    waiting = make_notice(db_session, opinion)
    sending = make_notice(db_session, opinion, NoticeState.SENDING)
    other = make_notice(db_session, asking_opinion(db_session, contact="other@example.org"))
    db_session.commit()
    lock = opinion.lock_version

    assert unsubscribe(db_session, sent.unsubscribe_token) is True
    db_session.commit()
    db_session.expire_all()
    assert opinion.notify is False
    assert opinion.contact == ""
    assert opinion.contact_erased_at is not None
    assert opinion.contributor_name == "王芳"  # only the contact left for the notice
    assert opinion.lock_version == lock + 1
    assert waiting.state is NoticeState.CANCELLED
    assert waiting.last_error == UNSUBSCRIBED
    assert waiting.closed_at is not None
    assert sending.state is NoticeState.SENDING  # being handed over: it goes ahead
    assert sent.state is NoticeState.SENT
    assert other.state is NoticeState.PENDING  # another opinion's notice is untouched
    [event] = _audit(db_session)
    assert (event.subject_type, event.subject_id, event.actor_id) == ("opinion", opinion.id, None)
    recorded = json.dumps(event.details, ensure_ascii=False)
    for secret in ("asker@example.org", sent.unsubscribe_token, opinion.receipt_code, "王芳"):
        assert secret not in recorded
    erased_at = opinion.contact_erased_at

    assert unsubscribe(db_session, waiting.unsubscribe_token) is False
    db_session.commit()
    db_session.expire_all()
    assert len(_audit(db_session)) == 1
    assert opinion.lock_version == lock + 1
    assert opinion.contact_erased_at == erased_at


def test_unknown_or_absurd_tokens_find_nothing(db_session: Session) -> None:
    notice = make_notice(db_session, asking_opinion(db_session))
    db_session.commit()
    assert find_by_token(db_session, "no-such-token") is None
    assert find_by_token(db_session, "") is None
    assert find_by_token(db_session, notice.unsubscribe_token + "x" * 100) is None
    assert unsubscribe(db_session, "no-such-token") is False
    found = find_by_token(db_session, notice.unsubscribe_token)
    assert found is not None
    assert found.id == notice.id
    assert found.opinion.id == notice.opinion_id  # loaded with it
    assert _audit(db_session) == []


def test_a_decided_opinion_with_its_notice_waiting(db_session: Session) -> None:
    """The notice a decision wrote is cancelled, and the contact it kept is erased."""
    opinion = asking_opinion(db_session)
    staff = factories.make_user(db_session, role="commission")
    decision = DecisionInput(Outcome.NOT_ADOPTED, reason_code=ReasonCode.OUT_OF_SCOPE)
    decide_opinion(db_session, staff, opinion, decision, lock_version=None)
    db_session.flush()
    [notice] = db_session.scalars(select(Notice).where(Notice.opinion_id == opinion.id))
    assert notice.state is NoticeState.PENDING
    assert opinion.contact == "asker@example.org"  # kept for the notice
    assert not is_unsubscribed(db_session, notice)

    assert unsubscribe(db_session, notice.unsubscribe_token) is True
    db_session.commit()
    db_session.expire_all()
    assert notice.state is NoticeState.CANCELLED
    assert opinion.contact == ""
    assert opinion.outcome is Outcome.NOT_ADOPTED
    assert is_unsubscribed(db_session, notice)


def test_nothing_left_to_stop_after_the_notice_was_sent_and_the_contact_erased(
    db_session: Session,
) -> None:
    opinion = asking_opinion(db_session)
    notice = make_notice(db_session, opinion, NoticeState.SENT)
    opinion.notify = False
    opinion.contact = ""
    db_session.commit()
    assert is_unsubscribed(db_session, notice)
    assert unsubscribe(db_session, notice.unsubscribe_token) is False
    assert _audit(db_session) == []
