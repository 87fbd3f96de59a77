"""One opinion's private feed: valid Atom, newest first, naming nobody."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from noticeboard.models import Outcome, ReasonCode
from noticeboard.services.decisions.outcomes import (
    DecisionInput,
    decide_opinion,
    decision_history,
)
from noticeboard.services.permissions import SYSTEM
from noticeboard.web.public.atom import ATOM_NS
from tests import factories
from tests.services.decisions.test_outcomes import V1, V2

A = f"{{{ATOM_NS}}}"
RFC3339_UTC = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"


def _feed(client: FlaskClient, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    # A private address: no shared cache may keep it.
    assert "public" not in response.headers.get("Cache-Control", "")
    body = response.get_data(as_text=True)
    assert body.startswith('<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.data)  # noqa: S314 - our own output


def test_the_receipt_feed_is_atom_with_decisions_versions_and_the_receipt(
    client: FlaskClient, db_session: Session
) -> None:
    office = factories.make_office(db_session, slug="hongqiao", name="虹桥")
    law = factories.make_law(db_session, slug="veterans", title="退役军人保障法")
    first = factories.make_version(db_session, law, V1)
    opinion = factories.make_opinion(
        db_session, first, office=office, contributor_name="张三丰", contact="13800138000"
    )
    decide_opinion(db_session, SYSTEM, opinion, DecisionInput(Outcome.ADOPTED), lock_version=None)
    second = factories.make_version(db_session, law, V2, label="二审稿")
    decide_opinion(
        db_session,
        SYSTEM,
        opinion,
        DecisionInput(Outcome.NOT_ADOPTED, ReasonCode.CONFLICTS_HIGHER_LAW, "与上位法不一致。"),
        lock_version=None,
    )
    db_session.commit()
    token = opinion.feed_token
    url = f"/feeds/receipt/{token}.atom"

    root = _feed(client, f"{url}?lang=en")
    assert root.tag == f"{A}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert root.find(f"{A}id").text == f"tag:noticeboard,2026:receipt/{token}"
    assert root.find(f"{A}title").text == "Your suggestion on 退役军人保障法"
    assert root.find(f"{A}link[@rel='self']").get("href").endswith(url)
    assert root.find(f"{A}link[@rel='alternate']").get("href").endswith("/track")
    assert root.find(f"{A}author/{A}name").text == "Noticeboard"

    entries = root.findall(f"{A}entry")
    ids = [e.find(f"{A}id").text.rsplit(f"receipt/{token}/", 1)[1] for e in entries]
    decisions = decision_history(db_session, opinion)[::-1]
    assert ids == [
        *(f"decision/{d.id}" for d in decisions),  # the newest decision first
        f"version/{second.id}",
        "received",
    ]
    titles = [e.find(f"{A}title").text for e in entries]
    assert titles == ["Not adopted", "Adopted", "New draft published: 二审稿", "Received"]
    contents = [getattr(e.find(f"{A}content"), "text", None) for e in entries]
    assert contents == [
        "Conflicts with a higher law. 与上位法不一致。",
        None,  # adopted without a reason: an empty text
        None,  # a new draft: no content
        "Your suggestion on 退役军人保障法 was received.",
    ]
    links = [e.find(f"{A}link").get("href") for e in entries]
    assert [link.rsplit("/", 1)[1] for link in links] == ["track", "track", "veterans", "track"]
    assert links[2].endswith("/laws/veterans")
    for entry in entries:
        assert re.match(RFC3339_UTC, entry.find(f"{A}updated").text)
    assert entries[3].find(f"{A}updated").text == f"{opinion.received_on.isoformat()}T00:00:00Z"
    assert root.find(f"{A}updated").text == entries[0].find(f"{A}updated").text

    body = client.get(url).get_data(as_text=True)
    for secret in (opinion.receipt_code, "张三丰", "13800138000"):
        assert secret not in body

    chinese = _feed(client, f"{url}?lang=zh")
    assert chinese.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-Hans"
    assert chinese.find(f"{A}title").text == "您对《退役军人保障法》的建议"
    received = chinese.findall(f"{A}entry")[-1]
    assert received.find(f"{A}title").text == "收到"
    assert received.find(f"{A}content").text == "您对《退役军人保障法》的建议已收到。"
