"""``/staff/notices`` (the outbox at a glance, for the commission and admins) and the
outcome notice on an opinion's page, with why its contact is still kept."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from noticeboard.models import NoticeChannel, NoticeState, Outcome, ReasonCode, utcnow
from noticeboard.services.decisions.outcomes import DecisionInput, decide_opinion
from tests import factories
from tests.services.notices.rows import asking_opinion, make_notice


def test_who_may_open_the_notices_page(client: FlaskClient, staff_client: Any) -> None:
    anonymous = client.get("/staff/notices")
    assert anonymous.status_code == 302
    assert "/staff/login" in anonymous.headers["Location"]
    assert staff_client("office").get("/staff/notices").status_code == 403
    assert staff_client("commission").get("/staff/notices").status_code == 200
    admin = staff_client("admin")
    assert admin.get("/staff/notices").status_code == 200
    assert 'href="/staff/notices"' in admin.get("/staff/").get_data(as_text=True)
    assert 'href="/staff/notices"' not in staff_client("office").get("/staff/").get_data(
        as_text=True
    )


def test_the_page_counts_each_state_and_lists_the_failures(
    staff_client: Any, db_session: Session
) -> None:
    law = factories.make_law(db_session, title="退役军人保障法", title_en="Veterans Act")
    opinion = asking_opinion(db_session, factories.make_version(db_session, law))
    now = utcnow()
    make_notice(db_session, opinion)
    make_notice(db_session, opinion, attempts=1, next_attempt_at=now + timedelta(minutes=30))
    make_notice(db_session, opinion, NoticeState.SENT)
    make_notice(
        db_session,
        opinion,
        NoticeState.FAILED,
        channel=NoticeChannel.SMS,
        attempts=3,
        last_error="the SMS gateway answered 400",
        closed_at=now,
    )
    db_session.commit()
    page = staff_client("commission").get("/staff/notices?lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<caption" in html
    assert 'scope="col"' in html
    assert f'href="/staff/opinions/{opinion.id}"' in html
    assert "the SMS gateway answered 400" in html
    assert "Veterans Act" in html
    assert "Failed for good" in html
    assert "1 notice is due now" in html
    assert "1 notice waits to be tried again" in html
    assert opinion.contact not in html  # never a contact on this page
    assert ">2</dd>" in html  # waiting to be sent: one due, one retry


def test_an_empty_outbox_and_pages_past_the_end(staff_client: Any) -> None:
    admin = staff_client("admin")
    html = admin.get("/staff/notices?lang=en").get_data(as_text=True)
    assert "No notice has failed for good." in html
    assert "No notice is waiting for a retry." in html
    assert admin.get("/staff/notices?page=40").status_code == 200
    assert admin.get("/staff/notices?page=-3").status_code == 200


def test_an_undecided_opinion_keeps_its_contact_for_the_outcome(
    staff_client: Any, db_session: Session
) -> None:
    opinion = asking_opinion(db_session)
    db_session.commit()
    html = staff_client("admin").get(f"/staff/opinions/{opinion.id}?lang=en").get_data(as_text=True)
    assert "Outcome notice" in html
    assert "The contributor asked to be told the outcome." in html
    assert "kept to send the outcome; erased after the notice is sent" in html
    assert "A notice is written when the opinion is decided." in html


def test_a_decided_opinion_shows_its_notice_and_when_the_contact_goes(
    staff_client: Any, db_session: Session
) -> None:
    opinion = asking_opinion(db_session)
    staff = factories.make_user(db_session, role="commission")
    decision = DecisionInput(Outcome.NOT_ADOPTED, reason_code=ReasonCode.OUT_OF_SCOPE)
    decide_opinion(db_session, staff, opinion, decision, lock_version=None)
    earlier = utcnow() - timedelta(days=1)
    make_notice(db_session, opinion, NoticeState.CANCELLED, at=earlier, last_error="unsubscribed")
    make_notice(db_session, opinion, NoticeState.FAILED, at=earlier, last_error="550 unknown user")
    db_session.commit()
    admin = staff_client("admin")
    html = admin.get(f"/staff/opinions/{opinion.id}?lang=en").get_data(as_text=True)
    assert "will be erased after the notice is sent" in html
    assert "Waiting to be sent." in html
    assert "Cancelled: the contributor unsubscribed" in html
    assert "Failed: 550 unknown user" in html
    assert html.index("Waiting to be sent.") < html.index("Cancelled:")  # newest first


def test_a_retry_and_a_sent_notice_in_words(staff_client: Any, db_session: Session) -> None:
    opinion = asking_opinion(db_session)
    opinion.outcome = Outcome.ADOPTED
    make_notice(db_session, opinion, NoticeState.SENT, sent_at=utcnow() - timedelta(days=1))
    make_notice(
        db_session,
        opinion,
        attempts=2,
        last_error="cannot reach the SMTP server",
        next_attempt_at=utcnow() + timedelta(hours=1),
    )
    db_session.commit()
    html = (
        staff_client("commission")
        .get(f"/staff/opinions/{opinion.id}?lang=en")
        .get_data(as_text=True)
    )
    assert "Will be retried at" in html
    assert "2 attempts so far; the last one failed: cannot reach the SMTP server" in html
    assert "Sent on" in html
    assert "will be erased after the notice is sent" in html


def test_an_opinion_without_consent_has_no_contact_note(
    staff_client: Any, db_session: Session
) -> None:
    version = factories.make_version(db_session)
    opinion = factories.make_opinion(db_session, version, contact="13800138000")
    db_session.commit()
    html = staff_client("admin").get(f"/staff/opinions/{opinion.id}?lang=en").get_data(as_text=True)
    assert "The contributor did not ask to be told the outcome" in html
    assert "erased after the notice is sent" not in html
