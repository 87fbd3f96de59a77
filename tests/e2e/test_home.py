from __future__ import annotations

from typing import Any

from tests.e2e.conftest import LiveServer, screenshot


def test_home_renders_in_both_languages_and_the_switch_works(
    live_server: LiveServer, page: Any
) -> None:
    page.goto(live_server.url + "/")
    # The context asks for English (en-GB), so the first answer is English.
    assert page.locator("h1").inner_text() == "Did my opinion change the law?"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".card").count() >= 4  # the demo laws
    screenshot(page, "home-en")

    page.get_by_role("link", name="中文").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "我的意见改变法律了吗？"
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert "lang=zh" in page.url
    screenshot(page, "home-zh")

    # The choice is remembered: a plain URL stays in Chinese despite the browser's English.
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "我的意见改变法律了吗？"
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Did my opinion change the law?"


def test_skip_link_is_the_first_stop_for_keyboard_users(live_server: LiveServer, page: Any) -> None:
    page.goto(live_server.url + "/?lang=en")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_home_fits_a_phone_without_sideways_scrolling(
    live_server: LiveServer, browser: Any
) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    phone = context.new_page()
    phone.goto(live_server.url + "/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    screenshot(phone, "home-phone-zh")
    context.close()


def test_staff_can_sign_in_with_a_demo_login(live_server: LiveServer, page: Any) -> None:
    email, role, password = live_server.demo_logins()[0]
    page.goto(live_server.url + "/staff/login?lang=en")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/staff/")
    assert f"role: {role}" in page.locator("main").inner_text()
