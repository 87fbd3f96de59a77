"""On a phone: send an opinion, look it up by its code, and see it change once decided."""

from __future__ import annotations

import sqlite3
from typing import Any

from tests.e2e.conftest import LiveServer, screenshot

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "locale": "zh-CN",
    "is_mobile": True,
    "has_touch": True,
}


def _opinion_id(live_server: LiveServer, code: str) -> int:
    path = live_server.log_path.parent / "noticeboard.sqlite3"
    with sqlite3.connect(path) as db:
        row = db.execute(
            "SELECT id FROM opinion WHERE receipt_code = ?", (code.replace("-", ""),)
        ).fetchone()
    return int(row[0])


def test_submit_then_track_then_staff_decide(live_server: LiveServer, browser: Any) -> None:
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.goto(live_server.url + "/laws/minors-protection-law")
    page.get_by_role("link", name="提出意见").click()
    page.wait_for_load_state()
    page.get_by_label("您的意见").fill("建议删除监护人家庭暴力条款中的保证金规定。")
    page.get_by_label("您的身份").select_option("student")
    page.get_by_role("button", name="提交意见").click()
    page.wait_for_url("**/comment/receipt")
    code = page.locator(".receipt-code").inner_text().strip()
    assert len(code) == 12
    assert "#" not in page.url
    assert code not in page.url
    assert page.locator(".receipt-qr svg").count() == 1
    screenshot(page, "phone-receipt")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # The QR opens /track#CODE: the page fills the form and drops the fragment.
    page.goto(live_server.url + "/track#" + code.lower())
    assert page.get_by_label("回执码").input_value() == code.lower()
    assert "#" not in page.url
    page.get_by_role("button", name="查询").click()
    page.wait_for_load_state()
    assert "研究中" in page.locator(".status-timeline").inner_text()
    assert "建议删除监护人家庭暴力条款中的保证金规定。" in page.locator("main").inner_text()
    screenshot(page, "phone-track-pending")

    # Staff decide.
    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    desk = staff.new_page()
    live_server.sign_in(desk, "commission")
    desk.goto(f"{live_server.url}/staff/opinions/{_opinion_id(live_server, code)}/decision?lang=en")
    desk.get_by_label("Outcome").select_option("adopted")
    desk.get_by_label("Explanation for the contributor").fill("已在修订稿中删除保证金规定。")
    desk.get_by_role("button", name="Preview what the contributor sees").click()
    desk.wait_for_load_state()
    assert "已在修订稿中删除保证金规定。" in desk.locator(".preview-box").inner_text()
    desk.get_by_role("button", name="Record the decision").click()
    desk.wait_for_load_state()
    assert "Decision recorded." in desk.locator(".flashes").inner_text()
    staff.close()

    # The citizen looks again: adopted, with the reason.
    page.goto(live_server.url + "/track")
    page.get_by_label("回执码").fill(code)
    page.get_by_role("button", name="查询").click()
    page.wait_for_load_state()
    outcome = page.locator(".outcome").inner_text()
    assert "已采纳" in outcome
    assert "已在修订稿中删除保证金规定。" in outcome
    screenshot(page, "phone-track-adopted")
    phone.close()


def test_mistyped_code_gets_a_friendly_message(live_server: LiveServer, browser: Any) -> None:
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.goto(live_server.url + "/track")
    page.get_by_label("回执码").fill("7K3M-Q9PX-2X")
    page.get_by_role("button", name="查询").click()
    page.wait_for_load_state()
    assert "请核对编码" in page.locator("[role=alert]").inner_text()
    phone.close()
