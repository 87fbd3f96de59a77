"""A citizen's online opinion carries the opt-in to an outcome notice, on both engines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import DraftVersion, Opinion
from noticeboard.services.errors import ValidationFailed
from noticeboard.services.laws.versions import set_comment_window
from noticeboard.services.opinions.submissions import PublicOpinion, submit_online_opinion
from noticeboard.services.permissions import SYSTEM
from tests import factories


def _open_version(db_session: Session) -> DraftVersion:
    version = factories.make_version(db_session)
    now = datetime.now(UTC)
    set_comment_window(
        db_session,
        SYSTEM,
        version,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
    )
    db_session.commit()
    return version


def test_notify_and_language_are_stored(db_session: Session) -> None:
    version = _open_version(db_session)
    submit_online_opinion(
        db_session,
        version,
        PublicOpinion(text="建议增加一条。", contact=" a@Example.org ", notify=True, language="en"),
    )
    db_session.commit()
    db_session.expire_all()
    stored = db_session.scalars(select(Opinion)).one()
    assert (stored.notify, stored.language, stored.contact) == (True, "en", "a@example.org")


def test_the_default_is_no_notice_in_chinese(db_session: Session) -> None:
    version = _open_version(db_session)
    opinion = submit_online_opinion(db_session, version, PublicOpinion(text="建议增加一条。"))
    assert (opinion.notify, opinion.language) == (False, "zh")


@pytest.mark.parametrize(
    ("contact", "field"),
    [("", "notify"), ("a@@example", "contact"), ("临洮县城关镇", "contact")],
)
def test_a_notice_needs_a_usable_contact_and_the_error_names_its_field(
    db_session: Session, contact: str, field: str
) -> None:
    version = _open_version(db_session)
    with pytest.raises(ValidationFailed) as caught:
        submit_online_opinion(
            db_session, version, PublicOpinion(text="建议。", contact=contact, notify=True)
        )
    assert list(caught.value.details["fields"]) == [field]
    db_session.rollback()
    assert db_session.scalar(select(Opinion)) is None


def test_an_unknown_language_is_refused(db_session: Session) -> None:
    version = _open_version(db_session)
    with pytest.raises(ValidationFailed) as caught:
        submit_online_opinion(db_session, version, PublicOpinion(text="建议。", language="fr"))
    assert list(caught.value.details["fields"]) == ["language"]
