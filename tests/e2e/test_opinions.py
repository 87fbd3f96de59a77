"""Office staff record an opinion at a symposium, keyboard only, and print its receipt."""

from __future__ import annotations

import re
from typing import Any

from tests.e2e.conftest import LiveServer, screenshot


def test_office_staff_record_an_opinion_and_print_the_receipt(
    live_server: LiveServer, page: Any
) -> None:
    email, _, password = next(row for row in live_server.demo_logins() if row[1] == "office")
    page.goto(live_server.url + "/staff/login?lang=en")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/")

    page.goto(live_server.url + "/staff/opinions/new?lang=en")
    version = page.get_by_label("Law and version")
    assert version.evaluate("el => el === document.activeElement")  # first field, no mouse
    version.select_option(label="中华人民共和国未成年人保护法 · 2024年修正草案")
    page.get_by_label("Office", exact=True).select_option(label="虹桥街道基层立法联系点")
    page.get_by_label("Channel").select_option("school")
    page.get_by_label("Articles").fill("118")
    page.get_by_label("Contributor's name").fill("虹桥中学初二（3）班")
    page.get_by_label("Contributor", exact=True).select_option("student")
    page.get_by_label("The contributor agrees to show the name publicly").check()
    page.get_by_label("Opinion", exact=True).fill(
        "建议删除对实施家庭暴力的监护人收取保证金的规定。"
    )
    page.keyboard.press("Control+Enter")  # saves from the textarea
    page.wait_for_url(re.compile(r".*/staff/opinions/new\?saved=\d+"))

    slip = page.locator(".slip")
    code = slip.locator(".slip-code").inner_text()
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}", code)
    assert "第一百一十八条" in slip.inner_text()
    assert slip.locator(".slip-qr svg path").count() == 1
    # Ready for the next opinion: the context is kept and the cursor is in the name field.
    assert page.get_by_label("Articles").input_value() == "118"
    assert page.get_by_label("Contributor's name").evaluate("el => el === document.activeElement")
    screenshot(page, "opinion-entry-saved")

    page.get_by_role("link", name="Open the slip on its own page").click()
    page.wait_for_load_state()
    assert page.locator(".slip-code").inner_text() == code
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.get_by_role("button", name="Print receipt").is_hidden()
    box = page.locator(".slip-qr svg").bounding_box()
    assert box is not None
    assert box["width"] > 60  # a QR a phone can read from paper (30 mm at 96 dpi ≈ 113 px)
    screenshot(page, "opinion-receipt-print")
