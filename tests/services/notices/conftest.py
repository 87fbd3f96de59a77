"""An app whose outcome notices go to a real SMTP server on loopback, and a law with a
change to credit (the veterans' story of tests/services/decisions)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from noticeboard.models import ChangeKind
from noticeboard.services.laws.comparisons import stored_between
from tests import factories
from tests.services.decisions.test_outcomes import V1, V2
from tests.smtp import SmtpServer

BASE_URL = "https://noticeboard.example.org"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


def notice_config(server: SmtpServer, **more: Any) -> dict[str, Any]:
    return {
        **server.config(),
        "PUBLIC_BASE_URL": BASE_URL,
        "MAIL_DEFAULT_SENDER": "Noticeboard <notices@noticeboard.example.org>",
        "NOTICE_RATE": 0,
        "MAIL_TIMEOUT": 5,
        **more,
    }


@pytest.fixture
def mail_app(make_app: Callable[..., Flask], smtp: SmtpServer) -> Flask:
    return make_app(**notice_config(smtp))


@pytest.fixture
def session_of(mail_app: Flask) -> Iterator[Session]:
    """A session on the mail app's engine, used inside its app context (the decision's
    commit queues the notices job there, which runs at once in the tests)."""
    from noticeboard.extensions import db

    with mail_app.app_context():
        session = Session(db.engine, expire_on_commit=False)
        yield session
        session.close()


@pytest.fixture
def story(session_of: Session) -> dict[str, Any]:
    session = session_of
    law = factories.make_law(
        session, slug="veterans", title="退役军人保障法", title_en="Veterans Act"
    )
    office = factories.make_office(
        session, slug="hongqiao", name="虹桥街道基层立法联系点", name_en="Hongqiao Outreach Office"
    )
    first = factories.make_version(session, law, V1)
    second = factories.make_version(session, law, V2, publish=False)
    stored = stored_between(session, first, second)
    assert stored is not None
    changes = {c.kind: c for c in stored.changes if c.kind is not ChangeKind.UNCHANGED}
    session.commit()
    return {
        "law": law,
        "office": office,
        "first": first,
        "modified": changes[ChangeKind.MODIFIED],
        "added": changes[ChangeKind.ADDED],
    }


def asking(session: Session, story: dict[str, Any], **fields: Any) -> Any:
    """An opinion on article 2 whose contributor asked to be told the outcome."""
    first = story["first"]
    fields.setdefault("contact", "veteran@example.org")
    return factories.make_opinion(
        session,
        first,
        articles=[first.articles[1]],
        office=story["office"],
        notify=True,
        text="建议把安置工作由县级改为省级人民政府负责。",
        **fields,
    )
