"""Outcome notices against a real SMTP server: one message per decision, its content in
the contributor's language, retries while the server is down, the contact erased once
the notice is delivered."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from noticeboard.models import Notice, NoticeState, Opinion, Outcome, ReasonCode, utcnow
from noticeboard.services.decisions.links import link_opinion
from noticeboard.services.decisions.outcomes import DecisionInput, decide_opinion
from noticeboard.services.notices.outbox import queue_notices_job
from noticeboard.services.opinions.receipts import format_receipt_code
from tests import factories
from tests.services.notices.conftest import BASE_URL, asking
from tests.smtp import SmtpServer


def _decide(session: Session, opinion: Opinion, outcome: Outcome, **fields: Any) -> None:
    staff = factories.make_user(session, role="commission")
    decide_opinion(session, staff, opinion, DecisionInput(outcome, **fields), lock_version=None)
    session.commit()  # the notices job runs as this commits (immediate mode)


def _notices(session: Session, opinion: Opinion) -> list[Notice]:
    session.expire_all()
    return list(
        session.scalars(select(Notice).where(Notice.opinion_id == opinion.id).order_by(Notice.id))
    )


def test_an_adoption_sends_one_message_with_the_changed_text_in_chinese(
    session_of: Session, story: dict[str, Any], smtp: SmtpServer
) -> None:
    opinion = asking(session_of, story)
    staff = factories.make_user(session_of, role="commission")
    link_opinion(session_of, staff, story["modified"], opinion)
    _decide(session_of, opinion, Outcome.ADOPTED, public_reason="安置改由省级负责，已写入第二条。")

    [received] = smtp.wait_for(1)
    message = received.message
    assert received.envelope_to == ["veteran@example.org"]
    assert "退役军人保障法" in str(message["Subject"])
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    code = format_receipt_code(opinion.receipt_code)
    for body in (text, html):
        assert "退役军人保障法" in body
        assert "第二条" in body
        assert "安置改由省级负责，已写入第二条。" in body
        assert "县级人民政府" in body
        assert "省级人民政府" in body
        assert f"{BASE_URL}/track#{code}" in body
        assert "虹桥街道基层立法联系点" in body
    [notice] = _notices(session_of, opinion)
    assert f"{BASE_URL}/notices/unsubscribe/{notice.unsubscribe_token}" in text
    assert (
        message["List-Unsubscribe"]
        == f"<{BASE_URL}/notices/unsubscribe/{notice.unsubscribe_token}>"
    )
    assert notice.state is NoticeState.SENT
    assert received.message_id == notice.message_id
    assert notice.message_id == f"<{notice.message_token}@noticeboard.example.org>"
    assert message["Content-Language"] == "zh-Hans"


def test_a_refusal_reads_in_english_for_an_english_contributor(
    session_of: Session, story: dict[str, Any], smtp: SmtpServer
) -> None:
    opinion = asking(session_of, story, language="en", contact="reader@example.org")
    _decide(
        session_of,
        opinion,
        Outcome.NOT_ADOPTED,
        reason_code=ReasonCode.LEFT_TO_REGULATIONS,
        public_reason="The regulations will set the amounts.",
    )
    [received] = smtp.wait_for(1)
    text = received.message.get_body(("plain",)).get_content()
    assert "Veterans Act" in str(received.message["Subject"])
    assert "Not adopted" in text
    assert "Better settled in regulations" in text
    assert "The regulations will set the amounts." in text
    assert "Hongqiao Outreach Office" in text
    assert "Before" not in text  # no changed text for a refusal
    assert received.message["Content-Language"] == "en"


def test_no_message_without_consent_and_the_contact_goes_at_once(
    session_of: Session, story: dict[str, Any], smtp: SmtpServer
) -> None:
    opinion = factories.make_opinion(session_of, story["first"], contact="quiet@example.org")
    _decide(session_of, opinion, Outcome.ADOPTED)
    assert _notices(session_of, opinion) == []
    assert smtp.received == []
    session_of.refresh(opinion)
    assert opinion.contact == ""
    assert opinion.contact_erased_at is not None


def test_the_contact_is_kept_until_delivery_then_erased(
    session_of: Session, story: dict[str, Any], smtp: SmtpServer
) -> None:
    smtp.stop()  # nothing can be delivered yet
    opinion = asking(session_of, story)
    _decide(session_of, opinion, Outcome.PARTIALLY_ADOPTED)
    session_of.refresh(opinion)
    assert opinion.contact == "veteran@example.org"  # kept for the notice
    [notice] = _notices(session_of, opinion)
    assert (notice.state, notice.attempts) == (NoticeState.PENDING, 1)
    assert "cannot reach the SMTP server" in notice.last_error
    assert notice.next_attempt_at > utcnow()

    # The server is back and the retry is due: the next run delivers it.
    smtp.start()
    session_of.execute(update(Notice).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    queue_notices_job(session_of)
    session_of.commit()
    [received] = smtp.wait_for(1)
    [notice] = _notices(session_of, opinion)
    assert notice.state is NoticeState.SENT
    assert notice.attempts == 1
    assert received.message_id == notice.message_id
    session_of.refresh(opinion)
    assert opinion.contact == ""
    assert opinion.contact_erased_at is not None


def test_a_permanent_refusal_is_recorded_and_the_contact_erased(
    session_of: Session, story: dict[str, Any], smtp: SmtpServer
) -> None:
    smtp.recorder.refuse = "550 5.1.1 No such mailbox"
    opinion = asking(session_of, story)
    _decide(session_of, opinion, Outcome.WITHDRAWN)
    [notice] = _notices(session_of, opinion)
    assert notice.state is NoticeState.FAILED
    assert notice.last_error.startswith("550")
    session_of.refresh(opinion)
    assert opinion.contact == ""


def test_a_temporary_refusal_is_retried_with_a_growing_wait_then_given_up(
    make_app: Any, smtp: SmtpServer
) -> None:
    from noticeboard.extensions import db
    from tests.services.notices.conftest import notice_config

    app = make_app(**notice_config(smtp, NOTICE_MAX_ATTEMPTS=3, NOTICE_RETRY_SECONDS=10))
    smtp.recorder.refuse = "451 4.3.0 Try again later"
    with app.app_context():
        session = Session(db.engine, expire_on_commit=False)
        first = factories.make_version(session, factories.make_law(session))
        opinion = factories.make_opinion(session, first, contact="a@example.org", notify=True)
        _decide(session, opinion, Outcome.ADOPTED)
        waits = []
        for _ in range(2):
            [notice] = _notices(session, opinion)
            assert notice.state is NoticeState.PENDING
            waits.append((notice.next_attempt_at - utcnow()).total_seconds())
            session.execute(update(Notice).values(next_attempt_at=utcnow()))
            queue_notices_job(session)
            session.commit()
        [notice] = _notices(session, opinion)
        assert (notice.state, notice.attempts) == (NoticeState.FAILED, 3)
        assert 8 < waits[0] <= 10
        assert 18 < waits[1] <= 20
        session.close()
    assert smtp.received == []


def test_a_second_decision_before_the_notice_went_replaces_it(
    session_of: Session, story: dict[str, Any], smtp: SmtpServer
) -> None:
    smtp.stop()
    opinion = asking(session_of, story)
    _decide(session_of, opinion, Outcome.NOT_ADOPTED, reason_code=ReasonCode.NOT_FEASIBLE)
    session_of.refresh(opinion)
    _decide(session_of, opinion, Outcome.ADOPTED)
    first, second = _notices(session_of, opinion)
    assert first.state is NoticeState.CANCELLED
    assert second.state is NoticeState.PENDING
    smtp.start()
    session_of.execute(update(Notice).values(next_attempt_at=utcnow()))
    queue_notices_job(session_of)
    session_of.commit()
    [received] = smtp.wait_for(1)
    assert received.message_id == _notices(session_of, opinion)[1].message_id


@pytest.mark.parametrize("contact", ["+86 138 0013 8000", "13800138000"])
def test_an_sms_holds_law_article_outcome_and_link_in_140_characters(
    session_of: Session, story: dict[str, Any], smtp: SmtpServer, contact: str, caplog: Any
) -> None:
    opinion = asking(session_of, story, contact=contact)
    assert opinion.contact == "+8613800138000"
    with caplog.at_level("INFO", logger="noticeboard.services.notices.transport"):
        _decide(session_of, opinion, Outcome.ADOPTED)
    [notice] = _notices(session_of, opinion)
    assert notice.state is NoticeState.SENT
    [line] = [r.getMessage() for r in caplog.records if "outcome SMS" in r.getMessage()]
    text = line.split(": ", 1)[1]
    assert len(text) <= 140
    assert "退役军人保障法" in text
    assert "第二条" in text
    assert f"/track#{format_receipt_code(opinion.receipt_code)}" in text
    assert smtp.received == []


def test_a_worker_sweep_queues_the_job_once_a_retry_falls_due(
    mail_app: Any, session_of: Session, story: dict[str, Any], smtp: SmtpServer
) -> None:
    from noticeboard.models import Job, JobKind, JobState
    from noticeboard.services.notices.outbox import due_notices_waiting
    from noticeboard.worker.notices import queue_due_notices

    smtp.stop()
    opinion = asking(session_of, story)
    _decide(session_of, opinion, Outcome.ADOPTED)
    assert not due_notices_waiting(session_of)  # the retry waits a minute
    session_of.execute(update(Notice).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    session_of.commit()
    assert due_notices_waiting(session_of)
    smtp.start()
    queue_due_notices(mail_app)  # what each worker's sweeper does
    [received] = smtp.wait_for(1)
    [notice] = _notices(session_of, opinion)
    assert (notice.state, received.message_id) == (NoticeState.SENT, notice.message_id)
    assert not due_notices_waiting(session_of)
    kinds = session_of.scalars(select(Job.state).where(Job.kind == JobKind.NOTICES)).all()
    assert kinds.count(JobState.DONE) == 2
