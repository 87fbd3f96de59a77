"""Reading comparisons never writes: the pairs pages read routinely were stored when
the versions were saved or published, and any other pair is computed for the reader
alone. (Under TESTING a GET that wrote would also fail loudly: web.core.transaction.)"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from noticeboard.diffing import compare_texts
from noticeboard.models import Law
from noticeboard.services.laws.versions import add_version
from noticeboard.services.permissions import SYSTEM
from tests import factories
from tests.web.transactions import commits_counted, comparison_rows

V1 = "第一条 为了保护环境，制定本法。\n第二条 由县级人民政府负责。\n"
V2 = "第一条 为了保护环境，制定本法。\n第二条 由市级人民政府负责。\n第三条 新增一条。\n"
V3 = "第一条 为了保护环境，制定本法。\n第二条 由省级人民政府负责。\n第三条 新增一条。\n"


def _law(session: Session, *, publish_second: bool = True) -> Law:
    law = factories.make_law(session, slug="environment", title="环境保护法")
    for label, text, publish in (("一审稿", V1, True), ("二审稿", V2, publish_second)):
        add_version(session, SYSTEM, law, label=label, source_text=text, publish=publish)
    add_version(session, SYSTEM, law, label="三审稿", source_text=V3, publish=True)
    session.commit()
    return law


def test_a_public_get_of_an_unstored_comparison_writes_no_rows(
    client: FlaskClient, db_session: Session
) -> None:
    _law(db_session)
    before = comparison_rows(db_session)
    assert before[0] == 2  # 1→2 and 2→3; nobody asked for 1→3 yet
    with commits_counted() as commits:
        page = client.get("/laws/environment/compare/1...3?lang=en")
        api = client.get("/api/v1/laws/environment/compare/1...3")
    assert (page.status_code, api.status_code) == (200, 200)
    assert comparison_rows(db_session) == before
    assert commits == []

    html = page.get_data(as_text=True)
    assert "<del>县</del><ins>省</ins>级人民政府负责" in html
    assert "<ins>新增一条。</ins>" in html
    # The changes of a pair nobody stored have no ids, hence no permalinks.
    assert "/laws/environment/changes/" not in html
    assert 'id="change-at-1"' in html
    body = api.get_json()
    expected = compare_texts(V1, V3).to_dict()
    assert body["old"] == expected["old"]
    assert body["new"] == expected["new"]
    assert [{k: v for k, v in c.items() if k != "id"} for c in body["changes"]] == expected[
        "changes"
    ]
    assert {c["id"] for c in body["changes"]} == {None}


def test_a_stored_comparison_reads_the_same_with_its_permalinks(
    client: FlaskClient, db_session: Session
) -> None:
    _law(db_session)
    before = comparison_rows(db_session)
    html = client.get("/laws/environment/compare/2...3?lang=en").get_data(as_text=True)
    assert re.search(r'href="/laws/environment/changes/\d+"', html)
    assert 'id="change-at-' not in html
    assert comparison_rows(db_session) == before


def test_every_public_read_of_a_law_leaves_the_rows_alone(
    client: FlaskClient, db_session: Session
) -> None:
    _law(db_session)
    before = comparison_rows(db_session)
    paths = [
        "/laws/environment",
        "/laws/environment/compare",
        "/laws/environment/compare/1...2",
        "/laws/environment/articles/1-2",
        "/api/v1/laws/environment",
        "/api/v1/laws/environment/changes",
        "/open-data/changes.csv",
        "/open-data/changes.json",
    ]
    with commits_counted() as commits:
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            response.get_data()  # the open-data files stream: read them to the end
    assert commits == []
    assert comparison_rows(db_session) == before


def test_the_public_timeline_across_a_draft_was_stored_at_publish(
    client: FlaskClient,
    db_session: Session,
    staff_client: Callable[..., FlaskClient],
) -> None:
    _law(db_session, publish_second=False)
    before = comparison_rows(db_session)
    assert before[0] == 3  # 1→2 and 2→3 when saved, 1→3 when the third was published
    html = client.get("/laws/environment?lang=en").get_data(as_text=True)
    assert "二审稿" not in html
    assert 'href="/laws/environment/compare/1...3"' in html
    compare = client.get("/laws/environment/compare?lang=en").get_data(as_text=True)
    assert re.search(r'href="/laws/environment/changes/\d+"', compare)  # stored: permalinks
    changes = client.get("/api/v1/laws/environment/changes").get_json()
    assert changes["total"] == len(compare_texts(V1, V3).changes)
    staff = staff_client("commission")
    assert "二审稿" in staff.get("/staff/laws/environment?lang=en").get_data(as_text=True)
    assert comparison_rows(db_session) == before
