"""The kiosk board in a real browser: it renders the demo's adoptions, rotates, keeps the
last data on screen with a visible "data as of" time while the server is down, and
recovers by itself; the statistics page draws its charts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import LiveServer, screenshot

LANDSCAPE = {"width": 1920, "height": 1080}
PORTRAIT = {"width": 1080, "height": 1920}


class RestartableServer(LiveServer):
    """A live server of its own, which a test may stop and start again on the same port."""

    def start_again(self) -> None:
        env = {**os.environ, "NOTICEBOARD_INSTANCE_PATH": str(self.log_path.parent)}
        env.pop("NOTICEBOARD_DATABASE_URL", None)
        self._log = self.log_path.open("a")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "noticeboard", "serve", "--demo", "--port", str(self.port)],
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_healthy()


@pytest.fixture
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RestartableServer]:
    server = RestartableServer(tmp_path_factory.mktemp("board-instance"))
    yield server
    server.stop()


def _kiosk(browser: Any, viewport: dict[str, int], locale: str = "zh-CN") -> Any:
    context = browser.new_context(viewport=viewport, locale=locale)
    return context.new_page()


def _office_with_items(server: LiveServer, page: Any) -> str:
    """The demo office whose board has the most adopted suggestions."""
    best, most = "hongqiao", -1
    for slug in ("hongqiao", "yiwu", "lintao", "kunshan", "jingdezhen"):
        board = page.request.get(f"{server.url}/api/v1/boards/{slug}").json()
        if len(board["items"]) > most:
            best, most = slug, len(board["items"])
    assert most > 0, "the demo should put adopted suggestions on the boards"
    return best


def test_kiosk_renders_items_and_rotates(live_server: LiveServer, browser: Any) -> None:
    page = _kiosk(browser, LANDSCAPE)
    problems: list[str] = []  # script errors and Content-Security-Policy refusals
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    office = _office_with_items(live_server, page)
    page.goto(f"{live_server.url}/board/{office}?lang=zh&rotate=1&layout=landscape")
    page.wait_for_selector(".slide-item")
    assert page.locator("[data-counter=opinions]").inner_text() not in ("", "–")
    assert page.locator(".s-redline ins, .s-redline del").count() > 0
    assert page.locator(".s-qr img").count() == 2
    assert "数据更新于" in page.locator("[data-status]").inner_text()
    # Nothing scrolls on a screen nobody can touch.
    overflow = page.evaluate(
        "[document.documentElement.scrollHeight, document.documentElement.clientHeight]"
    )
    assert overflow[0] <= overflow[1]
    first = page.locator("[data-item]").get_attribute("data-item")
    page.wait_for_function(
        "first => document.querySelector('[data-item]').getAttribute('data-item') !== first",
        arg=first,
        timeout=5000,
    )
    page.wait_for_selector(".slide-item")
    page.wait_for_timeout(700)  # the fade-in
    screenshot(page, "board-landscape-zh")
    assert problems == []
    page.context.close()


@pytest.mark.parametrize(("viewport", "name"), [(LANDSCAPE, "landscape"), (PORTRAIT, "portrait")])
def test_kiosk_screenshots_in_english(
    live_server: LiveServer, browser: Any, viewport: dict[str, int], name: str
) -> None:
    page = _kiosk(browser, viewport, locale="en-GB")
    office = _office_with_items(live_server, page)
    page.goto(f"{live_server.url}/board/{office}?lang=en&rotate=600&layout={name}")
    page.wait_for_selector(".slide-item")
    page.wait_for_timeout(700)
    assert page.evaluate("document.body.classList.contains('portrait')") is (name == "portrait")
    box = page.locator(".slide").bounding_box()
    assert box["height"] <= viewport["height"]
    screenshot(page, f"board-{name}-en")
    page.context.close()


def test_kiosk_keeps_the_last_data_while_the_server_is_down(
    own_server: RestartableServer, browser: Any
) -> None:
    page = _kiosk(browser, LANDSCAPE, locale="en-GB")
    office = _office_with_items(own_server, page)
    page.goto(f"{own_server.url}/board/{office}?lang=en&reload=2&rotate=600")
    page.wait_for_selector(".slide-item")
    shown = page.locator("[data-item]").get_attribute("data-item")
    status = page.locator("[data-status]")
    assert status.get_attribute("data-state") == "online"

    own_server.stop()
    page.wait_for_selector("[data-status][data-state=offline]", timeout=10_000)
    assert status.inner_text().startswith("Connection lost: showing the data as of")
    assert page.locator("[data-item]").get_attribute("data-item") == shown
    assert page.locator(".slide-item .s-summary").count() == 1
    screenshot(page, "board-offline-en")

    own_server.start_again()
    page.wait_for_selector("[data-status][data-state=online]", timeout=15_000)
    assert status.inner_text().startswith("Data as of")
    page.context.close()


def test_kiosk_starts_from_saved_data_when_the_json_fails(
    live_server: LiveServer, browser: Any
) -> None:
    page = _kiosk(browser, LANDSCAPE, locale="en-GB")
    office = _office_with_items(live_server, page)
    url = f"{live_server.url}/board/{office}?lang=en"
    page.goto(url)
    page.wait_for_selector(".slide-item")
    # The screen's player reloads the page while the board JSON cannot be had.
    page.route("**/api/v1/boards/**", lambda route: route.abort())
    page.reload()
    page.wait_for_selector("[data-status][data-state=offline]", timeout=10_000)
    assert page.locator(".slide-item").count() == 1
    assert "Connection lost" in page.locator("[data-status]").inner_text()
    page.context.close()


def test_kiosk_welcomes_when_nothing_is_adopted_yet(live_server: LiveServer, browser: Any) -> None:
    page = _kiosk(browser, PORTRAIT)
    empty = {
        "office": {"slug": "hongqiao", "name": "虹桥街道基层立法联系点"},
        "generated_at": "2026-11-25T08:00:00Z",
        "counters": {"laws": 0, "opinions": 0, "adopted": 0},
        "items": [],
        "open_consultations": [
            {
                "law": "中华人民共和国未成年人保护法",
                "until": "2026-12-31T15:59:59Z",
                "url": "/laws/x",
            }
        ],
    }
    page.route(
        "**/api/v1/boards/**",
        lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps(empty)
        ),
    )
    page.goto(f"{live_server.url}/board/hongqiao?lang=zh&layout=portrait")
    page.wait_for_selector(".slide-info")
    text = page.locator(".slide-info").inner_text()
    assert "如何参与" in text
    assert "中华人民共和国未成年人保护法" in text
    assert page.locator("[data-counter=adopted]").inner_text() == "0"
    page.wait_for_timeout(700)  # the fade-in
    screenshot(page, "board-welcome-portrait-zh")
    page.context.close()


def test_stats_page_draws_its_charts(live_server: LiveServer, page: Any) -> None:
    page.goto(f"{live_server.url}/stats?lang=en")
    charts = page.locator("svg.chart")
    assert charts.count() == 5
    for index in range(charts.count()):
        box = charts.nth(index).bounding_box()
        assert box["width"] > 200
        assert box["height"] > 20
    assert page.locator("svg.chart rect.chart-bar").count() > 3
    page.locator("details.chart-table summary").first.click()
    assert page.locator("details.chart-table table").first.is_visible()
    screenshot(page, "stats-en")


def test_staff_see_each_board_with_a_preview(live_server: LiveServer, page: Any) -> None:
    email, _role, password = live_server.demo_logins()[0]
    page.goto(live_server.url + "/staff/login?lang=en")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/staff/")
    page.goto(live_server.url + "/staff/boards/?lang=en")
    assert page.locator(".board-preview iframe").count() >= 12
    page.frame_locator(".board-preview iframe").first.locator(".slide").wait_for()
    screenshot(page, "staff-boards-en")
