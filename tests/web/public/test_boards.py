"""Public pages of the adoptions: home, a law's adoption board, the change and article
pages' "shaped by", offices, search, statistics, and the staff list of screens."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.web import adoption_scenario
from tests.web.adoption_scenario import PUBLIC_NAME, Scenario


@pytest.fixture
def world(db_session: Session) -> Scenario:
    return adoption_scenario.build(db_session)


def test_home_shows_open_consultations_recent_adoptions_and_counters(
    client: FlaskClient, world: Scenario
) -> None:
    html = client.get("/?lang=en").get_data(as_text=True)
    assert "Open for comment now" in html
    assert 'href="/laws/minors"' in html
    assert "二审稿" in html  # the open version, with its window
    assert "Recently adopted suggestions" in html
    assert "删除对实施家庭暴力的监护人收取保证金的内容" in html
    assert PUBLIC_NAME in html
    assert "<dt>Opinions collected</dt><dd>5</dd>" in html
    assert "<dt>Adopted wholly or partly</dt><dd>3</dd>" in html
    for path in ("/offices", "/stats", "/search"):
        assert f'href="{path}"' in html  # the navigation


def test_law_adoption_board_groups_by_article(client: FlaskClient, world: Scenario) -> None:
    response = client.get("/laws/minors/adopted?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    headings = re.findall(r'<h2 id="article-\d+">(\S+)', html)
    assert headings == ["第二条", "第三条", "第四条"]
    assert "3 opinions adopted or partially adopted." in html
    assert "Shaped by 2 opinions" in html  # 第二条: the students and the Gubei citizen
    assert "<del>县</del><ins>省</ins>" in html
    assert f'href="/laws/minors/changes/{world.modified.id}"' in html
    assert "建议取消民政部门的职责" not in html  # not adopted
    assert "待处理的建议" not in html  # pending
    assert client.get("/laws/nope/adopted").status_code == 404


def test_change_and_article_pages_show_the_opinions_behind_a_change(
    client: FlaskClient, world: Scenario
) -> None:
    change = client.get(f"/laws/minors/changes/{world.modified.id}?lang=en").get_data(as_text=True)
    assert "Shaped by 2 opinions" in change
    assert "由省级人民政府负责未成年人保护工作" in change
    assert "Citizens, Gubei Civic Centre" in change
    key = world.v2.articles[1].key
    article = client.get(f"/laws/minors/articles/{key}?lang=zh").get_data(as_text=True)
    assert "这处修改采纳了 2 条意见" in article
    added = client.get(f"/laws/minors/changes/{world.added.id}?lang=en").get_data(as_text=True)
    assert "Shaped by 1 opinion" in added


def test_offices_directory_and_record(client: FlaskClient, world: Scenario) -> None:
    html = client.get("/offices?lang=en").get_data(as_text=True)
    rows = re.findall(r'href="/offices/([a-z]+)"', html)
    # National offices by name, each followed by the offices below it.
    assert rows == ["lintao", "hongqiao", "changning", "gubei"]
    assert 'class="depth-2"' in html
    record = client.get("/offices/hongqiao?lang=en").get_data(as_text=True)
    assert "Hongqiao Subdistrict" in record
    assert "<dt>Opinions collected</dt><dd>3</dd>" in record  # with the offices below
    assert 'href="/offices/changning"' in record
    assert 'href="/board/hongqiao"' in record
    assert 'href="/laws/minors/adopted"' in record
    assert "Open for comment now" in record
    assert client.get("/offices/nowhere").status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("第二条", "第二条"),
        ("第2条", "第二条"),
        ("2", "第二条"),
        ("Article 2", "第二条"),
        ("欺凌", "第四条"),
        ("Minors", "Minors Protection Law"),
        ("未成年人保护", "Minors Protection Law"),
        ("保证金", "删除对实施家庭暴力的监护人收取保证金的内容"),
    ],
)
def test_search_finds_laws_articles_and_suggestions(
    client: FlaskClient, world: Scenario, query: str, expected: str
) -> None:
    html = client.get("/search", query_string={"q": query, "lang": "en"}).get_data(as_text=True)
    assert expected in html


def test_search_ignores_pending_and_wildcards(client: FlaskClient, world: Scenario) -> None:
    html = client.get("/search?q=待处理&lang=en").get_data(as_text=True)
    assert "Nothing found" in html
    assert "Nothing found" in client.get("/search?q=%25%25&lang=en").get_data(as_text=True)
    assert client.get("/search").status_code == 200


def test_stats_page_draws_charts_with_tables(client: FlaskClient, world: Scenario) -> None:
    html = client.get("/stats?lang=en").get_data(as_text=True)
    assert html.count("<svg") == 5
    assert html.count('<table class="data-table">') == 5
    assert "Opinions per law" in html
    assert "Minors Protection Law" in html
    assert re.search(r'class="share share-adopted"', html)
    assert "Adoption rate over time" in html
    assert "<script" not in html


def test_stats_page_without_opinions(client: FlaskClient) -> None:
    html = client.get("/stats?lang=en").get_data(as_text=True)
    assert "No opinions have been recorded yet." in html


def test_staff_boards_page_lists_the_screens_one_may_set_up(
    staff_client: Callable[..., FlaskClient], world: Scenario
) -> None:
    office_staff = staff_client("office", office_slug="changning")
    html = office_staff.get("/staff/boards/?lang=en&layout=portrait&rotate=20").get_data(
        as_text=True
    )
    assert re.findall(r"<code class=\"board-url\">http://localhost/board/(\w+)", html) == [
        "changning",
        "gubei",
    ]
    assert "layout=portrait" in html
    assert "rotate=20" in html
    assert '<iframe src="http://localhost/board/changning?' in html
    admin = staff_client("admin").get("/staff/boards/").get_data(as_text=True)
    assert admin.count("<iframe") == 4
    dashboard = staff_client("commission").get("/staff/").get_data(as_text=True)
    assert 'href="/staff/boards/"' in dashboard


def test_staff_boards_page_needs_a_login(client: FlaskClient) -> None:
    assert client.get("/staff/boards/").status_code == 302
