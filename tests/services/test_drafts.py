from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from noticeboard.models import LawStatus, VersionStatus
from noticeboard.services.drafts import add_version, create_law
from noticeboard.services.errors import Conflict, PermissionDenied, ValidationFailed
from noticeboard.services.permissions import SYSTEM
from tests import factories


def test_create_law_and_versions_in_sequence(db_session: Session) -> None:
    law = create_law(db_session, SYSTEM, slug="Civil-Code", title=" 民法典 ")
    assert (law.slug, law.title, law.status) == ("civil-code", "民法典", LawStatus.DRAFTING)
    first = add_version(db_session, SYSTEM, law, label="一审稿", source_text="第一条 甲。")
    second = add_version(db_session, SYSTEM, law, label="", source_text="第一条 乙。", publish=True)
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.status is VersionStatus.DRAFT
    assert first.published_at is None
    assert second.status is VersionStatus.PUBLISHED
    assert second.published_at is not None
    assert second.label == "Version 2"
    assert len(first.content_hash) == 64
    assert first.content_hash != second.content_hash


def test_law_validation(db_session: Session) -> None:
    create_law(db_session, SYSTEM, slug="a", title="甲")
    with pytest.raises(Conflict):
        create_law(db_session, SYSTEM, slug="a", title="乙")
    with pytest.raises(ValidationFailed):
        create_law(db_session, SYSTEM, slug="has space", title="乙")
    with pytest.raises(ValidationFailed):
        create_law(db_session, SYSTEM, slug="b", title="  ")


def test_version_validation(db_session: Session) -> None:
    law = factories.make_law(db_session)
    with pytest.raises(ValidationFailed):
        add_version(db_session, SYSTEM, law, label="x", source_text=" \n ")
    now = datetime.now(UTC)
    with pytest.raises(ValidationFailed):
        add_version(
            db_session,
            SYSTEM,
            law,
            label="x",
            source_text="第一条 甲。",
            comment_opens_at=now,
            comment_closes_at=now - timedelta(days=1),
        )


def test_office_staff_cannot_add_versions(db_session: Session) -> None:
    law = factories.make_law(db_session)
    office_user = factories.make_user(db_session, role="office")
    with pytest.raises(PermissionDenied):
        add_version(db_session, office_user, law, label="x", source_text="第一条 甲。")


def test_timestamps_come_back_timezone_aware_utc(db_session: Session) -> None:
    law = factories.make_law(db_session)
    when = datetime(2024, 4, 26, 8, 0, tzinfo=UTC) + timedelta(hours=8)
    version = add_version(
        db_session, SYSTEM, law, label="x", source_text="第一条", publish=True, published_at=when
    )
    db_session.commit()
    db_session.expire_all()
    assert version.published_at == when
    assert version.published_at.tzinfo is not None
    assert version.created_at.utcoffset() == timedelta(0)


def test_naive_datetimes_are_refused(db_session: Session) -> None:
    law = factories.make_law(db_session)
    from sqlalchemy.exc import StatementError

    with pytest.raises(StatementError):
        add_version(
            db_session,
            SYSTEM,
            law,
            label="x",
            source_text="第一条",
            publish=True,
            published_at=datetime(2024, 1, 1),
        )
