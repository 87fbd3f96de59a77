"""Contract tests of the read-only API, on both engines, against the boards' scenario."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from noticeboard.diffing import compare_texts
from noticeboard.models import VersionStatus
from tests import factories
from tests.web import adoption_scenario
from tests.web.adoption_scenario import PUBLIC_NAME, Scenario


@pytest.fixture
def world(db_session: Session) -> Scenario:
    return adoption_scenario.build(db_session)


def get(client: FlaskClient, path: str, status: int = 200) -> Any:
    response = client.get(path)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    return response.get_json()


def test_laws_list_only_laws_with_published_versions(
    client: FlaskClient, db_session: Session, world: Scenario
) -> None:
    unpublished = factories.make_law(db_session, slug="secret-draft")
    factories.make_version(db_session, unpublished, publish=False)
    db_session.commit()
    body = get(client, "/api/v1/laws")
    assert [law["slug"] for law in body["items"]] == ["minors"]
    law = body["items"][0]
    assert law["title_en"] == "Minors Protection Law"
    assert [v["label"] for v in law["versions"]] == ["一审稿", "二审稿"]
    assert law["versions"][1]["articles"] == 4
    get(client, "/api/v1/laws/secret-draft", 404)


def test_law_detail_has_the_timeline(client: FlaskClient, world: Scenario) -> None:
    body = get(client, "/api/v1/laws/minors")
    first, second = body["versions"]
    assert first["changes"] is None
    assert second["changes"]["added"] == 1
    assert first["opinions"] == 5
    assert first["adopted"] == 3


def test_version_lists_articles_with_keys_and_texts(client: FlaskClient, world: Scenario) -> None:
    body = get(client, "/api/v1/laws/minors/versions/2")
    assert body["law"] == "minors"
    assert body["sequence"] == 2
    assert [a["label"] for a in body["article_list"]] == ["第一条", "第二条", "第三条", "第四条"]
    assert body["article_list"][1]["text"].startswith("未成年人保护工作由省级")
    assert body["article_list"][0]["key"] == "1-1"
    get(client, "/api/v1/laws/minors/versions/9", 404)
    get(client, "/api/v1/laws/nope/versions/1", 404)


def test_withdrawn_versions_are_not_public(
    client: FlaskClient, db_session: Session, world: Scenario
) -> None:
    world.v2.status = VersionStatus.WITHDRAWN
    db_session.commit()
    get(client, "/api/v1/laws/minors/versions/2", 404)
    assert get(client, "/api/v1/laws/minors/changes")["total"] == 0
    assert get(client, "/api/v1/opinions")["total"] == 5  # on the first version


def test_comparison_is_the_engines_shape_with_ids(client: FlaskClient, world: Scenario) -> None:
    body = get(client, "/api/v1/laws/minors/compare/1...2")
    expected = compare_texts(adoption_scenario.V1, adoption_scenario.V2).to_dict()
    assert body["old"] == expected["old"]
    assert body["new"] == expected["new"]
    assert [{k: v for k, v in c.items() if k != "id"} for c in body["changes"]] == expected[
        "changes"
    ]
    assert world.modified.id in [c["id"] for c in body["changes"]]
    assert body["from"]["sequence"] == 1
    assert body["to"]["label"] == "二审稿"
    assert get(client, "/api/v1/laws/minors/compare/2...1", 422)["error"]["code"] == (
        "validation_failed"
    )
    get(client, "/api/v1/laws/minors/compare/1...7", 404)


def test_changes_list_filters_and_pages(client: FlaskClient, world: Scenario) -> None:
    body = get(client, "/api/v1/laws/minors/changes")
    assert body["total"] == 4
    assert body["next_cursor"] is None
    ids = [c["id"] for c in body["items"]]
    assert ids == sorted(ids)
    modified = next(c for c in body["items"] if c["id"] == world.modified.id)
    assert modified["kind"] == "modified"
    assert modified["key"] == "1-2"
    assert (modified["from"], modified["to"]) == (1, 2)
    assert {o["id"] for o in modified["opinions"]} == {world.students.id, world.secret.id}
    assert {c["kind"] for c in get(client, "/api/v1/laws/minors/changes?kind=added")["items"]} == {
        "added"
    }
    assert [c["id"] for c in get(client, "/api/v1/laws/minors/changes?article=1-2")["items"]] == [
        world.modified.id
    ]
    assert get(client, "/api/v1/laws/minors/changes?version=2")["total"] == 4
    assert get(client, "/api/v1/laws/minors/changes?version=1")["total"] == 0
    assert get(client, "/api/v1/laws/minors/changes?kind=bogus", 400)["error"]["details"] == {
        "parameter": "kind"
    }

    first = client.get("/api/v1/laws/minors/changes?limit=3")
    assert first.headers["X-Total-Count"] == "4"
    assert 'rel="next"' in first.headers["Link"]
    page = first.get_json()
    rest = get(client, f"/api/v1/laws/minors/changes?limit=3&cursor={page['next_cursor']}")
    assert [c["id"] for c in page["items"] + rest["items"]] == ids
    assert rest["next_cursor"] is None


def test_change_detail_has_texts_and_credited_opinions(
    client: FlaskClient, world: Scenario
) -> None:
    body = get(client, f"/api/v1/laws/minors/changes/{world.modified.id}")
    assert "县级" in body["old_text"]
    assert "省级" in body["new_text"]
    assert body["diff"]
    opinions = {o["id"]: o for o in body["opinions"]}
    assert opinions[world.secret.id]["degree"] == "partial"
    assert opinions[world.students.id]["contributor"]["name"] == PUBLIC_NAME
    assert opinions[world.secret.id]["contributor"]["name"] is None
    get(client, "/api/v1/laws/minors/changes/999999", 404)
    get(client, f"/api/v1/laws/other/changes/{world.modified.id}", 404)


def test_opinions_show_only_public_fields(client: FlaskClient, world: Scenario) -> None:
    body = get(client, "/api/v1/opinions")
    assert body["total"] == 5
    by_id = {o["id"]: o for o in body["items"]}
    students = by_id[world.students.id]
    assert students["contributor"] == {"name": PUBLIC_NAME, "category": "student"}
    assert students["outcome"] == "adopted"
    assert students["office"] == "hongqiao"
    assert [a["label"] for a in students["articles"]] == ["第二条", "第三条"]
    assert {c["id"] for c in students["changes"]} == {world.modified.id, world.trimmed.id}
    assert set(students) == {
        "id", "law", "version", "articles", "office", "channel", "contributor", "received_on",
        "summary", "reference", "outcome", "decided_at", "reason_code", "public_reason",
        "changes", "lock_version",
    }  # fmt: skip
    rejected = by_id[world.rejected.id]
    assert rejected["reason_code"] == "out_of_scope"
    assert rejected["public_reason"] == "不属于本法调整范围。"
    assert by_id[world.pending.id]["contributor"]["name"] is None
    assert by_id[world.pending.id]["changes"] == []  # a link alone is not public
    assert get(client, f"/api/v1/opinions/{world.secret.id}")["office"] == "gubei"
    get(client, "/api/v1/opinions/999999", 404)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("outcome=adopted", {"students", "elsewhere"}),
        ("office=lintao", {"rejected", "elsewhere"}),
        ("law=minors&article=1-2", {"students", "secret"}),
        ("law=minors&version=1", {"students", "secret", "rejected", "pending", "elsewhere"}),
        ("law=minors&version=2", set()),
        ("law=other", set()),
        ("channel=symposium&outcome=pending", {"pending"}),
        ("received_from=2024-05-06&received_to=2024-05-06", {"students", "secret", "rejected",
         "pending", "elsewhere"}),
        ("received_from=2024-05-07", set()),
        ("decided_to=2000-01-01", set()),
        ("decided_from=2000-01-01&outcome=not_adopted", {"rejected"}),
    ],
)  # fmt: skip
def test_opinion_filters(client: FlaskClient, world: Scenario, query: str, expected: set) -> None:
    names = {getattr(world, n).id: n for n in ("students", "secret", "rejected", "pending")}
    names[world.elsewhere.id] = "elsewhere"
    body = get(client, f"/api/v1/opinions?{query}")
    assert {names[o["id"]] for o in body["items"]} == expected
    assert body["total"] == len(expected)


@pytest.mark.parametrize(
    ("query", "status", "parameter"),
    [
        ("outcome=bogus", 400, "outcome"),
        ("channel=fax", 400, "channel"),
        ("received_from=31/05/2024", 400, "received_from"),
        ("limit=0", 400, "limit"),
        ("limit=201", 400, "limit"),
        ("limit=ten", 400, "limit"),
        ("cursor=%%%", 422, "cursor"),
        ("channel=", 400, "channel"),
        ("version=1", 422, "law"),
    ],
)
def test_bad_parameters_get_one_error_shape(
    client: FlaskClient, world: Scenario, query: str, status: int, parameter: str
) -> None:
    error = get(client, f"/api/v1/opinions?{query}", status)["error"]
    assert error["details"] == {"parameter": parameter}
    assert error["message"]


def test_opinions_page_through_by_id_with_a_cursor(client: FlaskClient, world: Scenario) -> None:
    seen: list[int] = []
    path = "/api/v1/opinions?limit=2"
    while path:
        body = get(client, path)
        seen += [o["id"] for o in body["items"]]
        cursor = body["next_cursor"]
        path = f"/api/v1/opinions?limit=2&cursor={cursor}" if cursor else ""
    assert seen == sorted(seen)
    assert len(seen) == 5


def test_offices_and_office_record(client: FlaskClient, world: Scenario) -> None:
    offices = {o["slug"]: o for o in get(client, "/api/v1/offices")["items"]}
    assert offices["gubei"]["parent"] == "changning"
    assert offices["hongqiao"]["opinions"] == 3  # its own and those below it
    assert offices["hongqiao"]["adopted"] == 2
    record = get(client, "/api/v1/offices/hongqiao")
    assert record["children"] == ["changning"]
    assert record["counters"] == {"laws": 1, "opinions": 3, "adopted": 2}
    assert record["laws"][0]["slug"] == "minors"
    get(client, "/api/v1/offices/nowhere", 404)


def test_stats(client: FlaskClient, world: Scenario) -> None:
    body = get(client, "/api/v1/stats")
    assert body["opinions"] == 5
    assert body["outcomes"]["adopted"] == 2
    assert body["outcomes"]["partially_adopted"] == 1
    assert body["channels"] == {"symposium": 5}
    assert body["laws"][0]["slug"] == "minors"
    assert sum(p["decided"] for p in body["adoption"]) == 4


def test_reads_are_cacheable_conditional_and_open_to_other_origins(
    client: FlaskClient, world: Scenario
) -> None:
    first = client.get("/api/v1/laws/minors", headers={"Origin": "https://news.example"})
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in first.headers["Access-Control-Expose-Headers"]
    assert first.headers["Cache-Control"] == "public, max-age=60"
    again = client.get("/api/v1/laws/minors", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    preflight = client.options(
        "/api/v1/opinions",
        headers={"Origin": "https://x.example", "Access-Control-Request-Method": "GET"},
    )
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "POST" not in preflight.headers["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]


def test_unknown_paths_and_methods_answer_json(client: FlaskClient) -> None:
    missing = client.get("/api/v1/laws/x/nothing-here")
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == "not_found"
    wrong = client.delete("/api/v1/opinions")
    assert wrong.status_code == 405
    assert wrong.get_json()["error"]["code"] == "method_not_allowed"
    assert "GET" in wrong.headers["Allow"]
