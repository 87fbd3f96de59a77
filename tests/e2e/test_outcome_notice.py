"""A citizen asks to be told, staff decide, and the message arrives: at a real SMTP
server, with a /track#CODE link that opens the lookup filled in, in Chromium."""

from __future__ import annotations

import re
import time
from typing import Any

from tests.e2e.conftest import LiveServer, screenshot
from tests.e2e.test_citizen import PHONE, _opinion_id

CONTACT = "reader.e2e@example.org"


def _message_to(live_server: LiveServer, address: str, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for received in live_server.smtp.received:
            if received.envelope_to == [address]:
                return received.message
        time.sleep(0.2)
    raise AssertionError("no notice arrived\n" + live_server.worker_log_path.read_text())


def test_consent_decision_message_and_its_link(live_server: LiveServer, browser: Any) -> None:
    phone = browser.new_context(**{**PHONE, "locale": "en-GB"})
    page = phone.new_page()
    page.goto(live_server.url + "/laws/minors-protection-law/comment?lang=en")
    page.get_by_label("Your opinion").fill("Schools should publish their anti-bullying rules.")
    page.get_by_label("Phone or email (optional)").fill(CONTACT)
    consent = page.get_by_label("Tell me the outcome at this contact")
    assert not consent.is_checked()  # never on by default
    consent.check()
    page.get_by_role("button", name="Send my opinion").click()
    page.wait_for_url("**/comment/receipt")
    code = page.locator(".receipt-code").inner_text().strip()

    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    desk = staff.new_page()
    live_server.sign_in(desk, "commission")
    opinion_id = _opinion_id(live_server, code)
    desk.goto(f"{live_server.url}/staff/opinions/{opinion_id}?lang=en")
    assert "erased after the notice is sent" in desk.locator("main").inner_text()
    desk.goto(f"{live_server.url}/staff/opinions/{opinion_id}/decision?lang=en")
    desk.get_by_label("Outcome").select_option("adopted")
    desk.get_by_label("Explanation for the contributor").fill("Article 39 now requires it.")
    desk.get_by_role("button", name="Preview what the contributor sees").click()
    desk.wait_for_load_state()
    desk.get_by_role("button", name="Record the decision").click()
    desk.wait_for_load_state()
    assert "Decision recorded." in desk.locator(".flashes").inner_text()

    message = _message_to(live_server, CONTACT)
    text = message.get_body(("plain",)).get_content()
    assert "Article 39 now requires it." in text
    assert "Adopted" in text
    [link] = re.findall(r"\S+/track#\S+", text)
    assert link == f"{live_server.url}/track#{code}"

    # The link opens the lookup with the code filled in, and it answers: adopted.
    page.goto(link)
    assert page.locator("input[name=code]").input_value() == code
    page.locator("button[type=submit]").last.click()
    page.wait_for_load_state()
    outcome = page.locator(".outcome").inner_text()
    assert "Article 39 now requires it." in outcome
    screenshot(page, "phone-track-from-notice")

    # Once delivered, the contact is gone from the staff page.
    desk.goto(f"{live_server.url}/staff/opinions/{opinion_id}?lang=en")
    assert CONTACT not in desk.locator("main").inner_text()
    staff.close()
    phone.close()
