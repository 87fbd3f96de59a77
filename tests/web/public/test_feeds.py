"""Atom feeds of adopted suggestions and new versions: valid, scoped, escaped."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from noticeboard.web.public.atom import ATOM_NS
from tests import factories
from tests.web import adoption_scenario
from tests.web.adoption_scenario import PUBLIC_NAME, Scenario

A = f"{{{ATOM_NS}}}"


@pytest.fixture
def world(db_session: Session) -> Scenario:
    return adoption_scenario.build(db_session)


def entries(client: FlaskClient, path: str) -> list[ET.Element]:
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)  # noqa: S314 - our own output
    assert root.tag == f"{A}feed"
    assert root.find(f"{A}link[@rel='self']").get("href").endswith(path.split("?")[0])
    return root.findall(f"{A}entry")


def test_adopted_feeds_site_law_and_office(client: FlaskClient, world: Scenario) -> None:
    everywhere = entries(client, "/feeds/adopted.atom?lang=en")
    ids = [e.find(f"{A}id").text for e in everywhere]
    assert len(ids) == len(set(ids)) == 4  # students shaped two changes
    first = everywhere[0]  # the newest decision first
    assert "Minors Protection Law" in first.find(f"{A}title").text
    assert first.find(f"{A}link").get("href").endswith(f"/changes/{world.added.id}")
    summaries = " ".join(e.find(f"{A}summary").text for e in everywhere)
    assert PUBLIC_NAME in summaries
    assert adoption_scenario.SECRET_NAME not in summaries
    assert len(entries(client, "/laws/minors/adopted.atom")) == 4
    assert len(entries(client, "/offices/hongqiao/adopted.atom")) == 3  # with gubei below
    assert len(entries(client, "/offices/lintao/adopted.atom")) == 1
    assert client.get("/laws/nope/adopted.atom").status_code == 404
    assert client.get("/offices/nope/adopted.atom").status_code == 404


def test_versions_feed_lists_published_versions_newest_first(
    client: FlaskClient, db_session: Session, world: Scenario
) -> None:
    factories.make_version(db_session, world.law, adoption_scenario.V2 + "第五条 草稿。\n",
                           publish=False)  # fmt: skip
    db_session.commit()
    found = entries(client, "/feeds/versions.atom?lang=en")
    assert [e.find(f"{A}title").text for e in found] == [
        "Minors Protection Law: 二审稿 published",
        "Minors Protection Law: 一审稿 published",
    ]
    assert len(entries(client, "/laws/minors/versions.atom")) == 2


def test_feeds_are_conditional_and_escape_hostile_text(
    client: FlaskClient, db_session: Session, world: Scenario
) -> None:
    world.students.summary = "<script>alert(1)</script> & \x07"
    db_session.commit()
    response = client.get("/feeds/adopted.atom")
    assert b"<script>" not in response.data
    assert "&lt;script&gt;" in response.get_data(as_text=True)
    again = client.get("/feeds/adopted.atom", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
