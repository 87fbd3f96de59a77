"""The office board JSON, its cache and ETags, the kiosk page and the QR codes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from noticeboard.extensions import cache
from noticeboard.models import Outcome
from noticeboard.services.decisions.outcomes import DecisionInput, decide_opinion
from noticeboard.services.permissions import SYSTEM
from tests import factories
from tests.web import adoption_scenario
from tests.web.adoption_scenario import PUBLIC_NAME, SECRET_NAME, Scenario


@pytest.fixture
def world(db_session: Session) -> Scenario:
    return adoption_scenario.build(db_session)


def test_board_json_has_exactly_the_documented_shape(client: FlaskClient, world: Scenario) -> None:
    response = client.get("/api/v1/boards/hongqiao?lang=en")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    board = response.get_json()
    assert list(board) == ["office", "generated_at", "counters", "items", "open_consultations"]
    assert board["office"] == {"slug": "hongqiao", "name": "Hongqiao Subdistrict"}
    assert board["generated_at"].endswith("Z")
    assert set(board["counters"]) == {"laws", "opinions", "adopted"}
    for item in board["items"]:
        assert list(item) == [
            "law", "article", "outcome", "summary", "contributor", "decided_at", "url", "diff",
        ]  # fmt: skip
    assert board["open_consultations"] == [
        {
            "law": "Minors Protection Law",
            "until": world.v2.comment_closes_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "url": "/laws/minors",
        }
    ]


def test_board_covers_the_office_and_every_office_below_it(
    client: FlaskClient, world: Scenario
) -> None:
    board = client.get("/api/v1/boards/hongqiao?lang=en").get_json()
    # Students (hongqiao, two changes) and the partial adoption from Gubei, two tiers below.
    assert [(i["article"], i["outcome"]) for i in board["items"]] == [
        ("第二条", "partially_adopted"),
        ("第二条", "adopted"),
        ("第三条", "adopted"),
    ]
    assert board["counters"] == {"laws": 1, "opinions": 3, "adopted": 2}
    students = board["items"][1]
    assert students["contributor"] == PUBLIC_NAME
    assert students["summary"] == "删除对实施家庭暴力的监护人收取保证金的内容"
    assert students["url"] == f"/laws/minors/changes/{world.modified.id}"
    assert students["diff"] == [
        [0, "未成年人保护工作由"],
        [-1, "县"],
        [1, "省"],
        [0, "级人民政府负责，具体工作由民政部门承担。"],
    ]
    assert students["decided_at"] == world.students.decided_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    # The lower office's board sees only its own subtree; a sibling office sees neither.
    gubei = client.get("/api/v1/boards/gubei").get_json()
    assert [i["outcome"] for i in gubei["items"]] == ["partially_adopted"]
    lintao = client.get("/api/v1/boards/lintao?lang=en").get_json()
    assert [i["article"] for i in lintao["items"]] == ["第四条"]
    assert lintao["items"][0]["diff"] == [[1, "学校应当建立学生欺凌防控制度。"]]
    assert lintao["counters"] == {"laws": 1, "opinions": 2, "adopted": 1}


def test_contributor_without_consent_is_category_and_office_in_each_language(
    client: FlaskClient, world: Scenario
) -> None:
    english = client.get("/api/v1/boards/gubei?lang=en").get_json()["items"][0]
    assert english["contributor"] == "Citizens, Gubei Civic Centre"
    chinese = client.get("/api/v1/boards/gubei?lang=zh").get_json()["items"][0]
    assert chinese["contributor"] == "市民，古北市民中心"
    for body in (english, chinese):
        assert SECRET_NAME not in str(body)


def test_law_filter_and_unknown_names(
    client: FlaskClient, world: Scenario, db_session: Session
) -> None:
    other = factories.make_law(db_session, slug="other-law")
    db_session.commit()
    assert client.get("/api/v1/boards/hongqiao?law=minors").get_json()["counters"]["adopted"] == 2
    filtered = client.get(f"/api/v1/boards/hongqiao?law={other.slug}").get_json()
    assert filtered["items"] == []
    assert filtered["open_consultations"] == []
    assert filtered["counters"] == {"laws": 0, "opinions": 0, "adopted": 0}
    missing = client.get("/api/v1/boards/nowhere")
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/boards/hongqiao?law=nope").status_code == 404


def test_empty_board_still_lists_open_consultations(
    client: FlaskClient, world: Scenario, db_session: Session
) -> None:
    factories.make_office(db_session, slug="quiet")
    db_session.commit()
    board = client.get("/api/v1/boards/quiet?lang=zh").get_json()
    assert board["items"] == []
    assert board["counters"] == {"laws": 0, "opinions": 0, "adopted": 0}
    assert [c["law"] for c in board["open_consultations"]] == ["未成年人保护法"]


def _expire(app: Flask, key: str) -> None:
    """End the short cache period of one board (what BOARD_CACHE_SECONDS does in time)."""
    with app.app_context():
        cache.delete(key)


def test_etag_answers_304_and_survives_a_rebuild_with_the_same_content(
    app: Flask, client: FlaskClient, world: Scenario
) -> None:
    first = client.get("/api/v1/boards/hongqiao?lang=en")
    etag = first.headers["ETag"]
    assert etag.startswith('"')  # strong: not W/"..."
    assert first.headers["Cache-Control"] == "public, max-age=30"
    again = client.get("/api/v1/boards/hongqiao?lang=en", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    _expire(app, "board:hongqiao:en:")
    rebuilt = client.get("/api/v1/boards/hongqiao?lang=en", headers={"If-None-Match": etag})
    assert rebuilt.status_code == 304
    assert client.get("/api/v1/boards/hongqiao?lang=en").data == first.data
    # Another language is another document; without ?lang= the answer varies by browser.
    assert client.get("/api/v1/boards/hongqiao?lang=zh").headers["ETag"] != etag
    assert "Set-Cookie" not in first.headers  # cacheable by proxies
    plain = app.test_client().get("/api/v1/boards/hongqiao", headers={"Accept-Language": "en"})
    assert "Accept-Language" in plain.headers["Vary"]
    assert plain.get_json()["office"]["name"] == "Hongqiao Subdistrict"


def test_new_decision_shows_once_the_cache_period_ends(
    app: Flask, client: FlaskClient, world: Scenario, db_session: Session
) -> None:
    etag = client.get("/api/v1/boards/hongqiao?lang=zh").headers["ETag"]
    decide_opinion(
        db_session, SYSTEM, world.pending, DecisionInput(Outcome.ADOPTED), lock_version=None
    )
    db_session.commit()
    cached = client.get("/api/v1/boards/hongqiao?lang=zh", headers={"If-None-Match": etag})
    assert cached.status_code == 304  # within the cache period: the cached answer
    _expire(app, "board:hongqiao:zh:")
    fresh = client.get("/api/v1/boards/hongqiao?lang=zh", headers={"If-None-Match": etag})
    assert fresh.status_code == 200
    assert fresh.get_json()["counters"]["adopted"] == 3
    assert fresh.headers["ETag"] != etag


def test_cache_is_redis_when_a_redis_url_is_set(make_app: Callable[..., Flask]) -> None:
    from flask_caching.backends import RedisCache, SimpleCache

    assert isinstance(make_app().extensions["cache"][cache], SimpleCache)
    redis_app = make_app(REDIS_URL="redis://127.0.0.1:6379/9")
    assert isinstance(redis_app.extensions["cache"][cache], RedisCache)


def test_kiosk_page_passes_its_settings_in_data_attributes(
    client: FlaskClient, world: Scenario
) -> None:
    response = client.get("/board/hongqiao?lang=en&law=minors&rotate=1&reload=999&layout=portrait")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-api="/api/v1/boards/hongqiao?lang=en&amp;law=minors"' in html
    assert 'data-rotate="1"' in html
    assert 'data-reload="60"' in html  # at most a minute
    assert 'data-layout="portrait"' in html
    assert 'class="kiosk portrait"' in html
    assert "<script>" not in html  # no inline script: only the vendored file
    assert 'src="/static/js/board.js"' in html
    assert "Hongqiao Subdistrict" in html
    assert "Suggestion adopted" in html  # the script's words, translated on the server
    defaults = client.get("/board/hongqiao?rotate=abc&layout=sideways").get_data(as_text=True)
    assert 'data-rotate="12"' in defaults
    assert 'data-layout="auto"' in defaults
    assert client.get("/board/nowhere").status_code == 404


def test_qr_codes_are_svg_of_this_site_only(client: FlaskClient) -> None:
    response = client.get("/board/qr.svg?path=/track")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.data.startswith(b"<svg")
    assert "public" in response.headers["Cache-Control"]
    again = client.get(
        "/board/qr.svg?path=/track", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304
    for bad in ("//evil.example/x", "https://evil.example/", "/x?y=1", "/a b"):
        assert client.get("/board/qr.svg", query_string={"path": bad}).status_code == 404
