"""Saving a version and publishing it is one request and one transaction."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import AuditEvent, DraftVersion, VersionStatus
from tests import factories
from tests.samples import sample_text
from tests.web.transactions import commits_counted

OLD = sample_text("cn/duiwai-maoyifa/2016.txt")


def test_save_and_publish_is_one_transaction(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    factories.make_law(db_session, slug="trade", title="对外贸易法")
    db_session.commit()
    client = staff_client("commission")
    with commits_counted() as commits:
        saved = client.post(
            "/staff/laws/trade/versions",
            data={"label": "2016年修正文本", "text": OLD, "action": "publish"},
        )
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith("/staff/laws/trade")
    assert commits == ["commit"]
    version = db_session.scalars(select(DraftVersion)).one()
    assert version.status is VersionStatus.PUBLISHED
    actions = [e.action for e in db_session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions[-2:] == ["version.add", "version.publish"]


def test_save_and_publish_needing_confirmation_keeps_the_draft_alone(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    law = factories.make_law(db_session, slug="minors")
    first = factories.make_version(db_session, law, label="一审稿")
    factories.make_opinion(db_session, first)  # still pending on the first version
    db_session.commit()
    client = staff_client("commission")
    with commits_counted() as commits:
        saved = client.post(
            "/staff/laws/minors/versions",
            data={"label": "二审稿", "text": factories.DRAFT_V2, "action": "publish"},
        )
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith("/staff/laws/minors/versions/2/completeness")
    assert commits == ["commit"]
    second = db_session.scalars(select(DraftVersion).where(DraftVersion.sequence == 2)).one()
    assert second.status is VersionStatus.DRAFT  # saved, not published
    publishes = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "version.publish")
    ).all()
    assert [e.subject_id for e in publishes] == [first.id]
