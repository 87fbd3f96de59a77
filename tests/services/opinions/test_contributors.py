"""Contributors' rights and the contact rule."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from noticeboard.models import AuditEvent, Opinion, Outcome
from noticeboard.services.errors import Conflict, NotFound, PermissionDenied
from noticeboard.services.opinions.contributors import (
    erase_personal_data,
    sweep_closed_contacts,
    withdraw_name_consent,
)
from noticeboard.services.permissions import SYSTEM
from tests import factories


def _named(session: Session, **fields: object) -> Opinion:
    version = factories.make_version(session)
    return factories.make_opinion(
        session,
        version,
        contributor_name="李明",
        name_public=True,
        contact="limin@example.org",
        text="建议删除保证金条款。",
        summary="删除保证金条款",
        **fields,
    )


def test_withdraw_consent_keeps_the_name_but_hides_it(db_session: Session) -> None:
    opinion = _named(db_session)
    withdraw_name_consent(db_session, SYSTEM, opinion, lock_version=opinion.lock_version)
    assert opinion.name_public is False
    assert opinion.contributor_name == "李明"
    event = db_session.scalar(
        select(AuditEvent).where(AuditEvent.action == "opinion.withdraw_consent")
    )
    assert event is not None
    assert event.subject_id == opinion.id


def test_erasure_removes_name_and_contact_but_keeps_text_and_outcome(
    db_session: Session,
) -> None:
    opinion = _named(db_session)
    opinion.decided_at = None
    erase_personal_data(db_session, SYSTEM, opinion)
    db_session.commit()
    db_session.expire_all()
    stored = db_session.get(Opinion, opinion.id)
    assert stored is not None
    assert (stored.contributor_name, stored.contact, stored.name_public) == ("", "", False)
    assert stored.text == "建议删除保证金条款。"
    assert stored.summary == "删除保证金条款"
    assert stored.outcome is Outcome.PENDING
    assert stored.personal_data_erased_at is not None
    assert stored.contact_erased_at is not None
    event = db_session.scalar(
        select(AuditEvent).where(AuditEvent.action == "opinion.erase_personal_data")
    )
    assert event is not None
    assert event.details["erased"] == ["name", "contact"]
    assert "李明" not in str(event.details)
    assert "limin" not in str(event.details)


def test_a_stale_form_is_a_conflict(db_session: Session) -> None:
    opinion = _named(db_session)
    opinion.summary = "改过"
    db_session.flush()  # lock_version is now 2
    with pytest.raises(Conflict):
        erase_personal_data(db_session, SYSTEM, opinion, lock_version=1)


def test_rights_follow_the_office_scope(db_session: Session) -> None:
    hongqiao = factories.make_office(db_session, slug="hongqiao")
    lintao = factories.make_office(db_session, slug="lintao")
    opinion = _named(db_session, office=hongqiao)
    outsider = factories.make_user(db_session, role="office", office=lintao)
    with pytest.raises(NotFound):
        withdraw_name_consent(db_session, outsider, opinion)
    with pytest.raises(NotFound):
        erase_personal_data(db_session, outsider, opinion)
    insider = factories.make_user(db_session, role="office", office=hongqiao)
    erase_personal_data(db_session, insider, opinion)
    assert opinion.contributor_name == ""


def test_sweep_erases_contacts_left_on_closed_opinions(db_session: Session) -> None:
    closed = _named(db_session)
    still_open = _named(db_session)
    # As if closed before the rule existed: a bulk UPDATE skips the model's validator.
    db_session.execute(
        update(Opinion).where(Opinion.id == closed.id).values(outcome=Outcome.ADOPTED)
    )
    db_session.commit()
    assert db_session.scalar(select(Opinion.contact).where(Opinion.id == closed.id))
    assert sweep_closed_contacts(db_session, SYSTEM, retention_days=30) == 1
    db_session.commit()
    db_session.expire_all()
    assert closed.contact == ""
    assert closed.contact_erased_at is not None
    assert still_open.contact == "limin@example.org"
    assert sweep_closed_contacts(db_session, SYSTEM, retention_days=30) == 0
    event = db_session.scalar(
        select(AuditEvent).where(AuditEvent.action == "opinion.sweep_contacts")
    )
    assert event is not None
    assert event.details["count"] == 1


def test_office_staff_cannot_run_the_sweep(db_session: Session) -> None:
    office = factories.make_office(db_session, slug="hongqiao")
    staff = factories.make_user(db_session, role="office", office=office)
    with pytest.raises(PermissionDenied):
        sweep_closed_contacts(db_session, staff, retention_days=30)
