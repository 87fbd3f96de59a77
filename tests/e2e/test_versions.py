"""Staff add two versions of a law in the browser; the public sees the renumbering."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import LiveServer, screenshot
from tests.samples import sample_text


def _sign_in(page: Any, live_server: LiveServer, role: str) -> None:
    live_server.sign_in(page, role)


def _add_version(page: Any, label: str, text: str, *, publish: bool) -> None:
    page.get_by_label("Version name").fill(label)
    page.get_by_label("Paste the draft text").fill(text)
    page.get_by_role("button", name="Preview").click()
    page.wait_for_load_state()
    assert "Check before saving" in page.locator("h1").inner_text()
    page.get_by_role(
        "button", name="Save and publish" if publish else "Save as unpublished draft"
    ).click()
    page.wait_for_load_state()


def test_staff_add_two_versions_and_the_public_compare_shows_them(
    live_server: LiveServer, page: Any, browser: Any
) -> None:
    _sign_in(page, live_server, "admin")
    page.goto(live_server.url + "/staff/laws?lang=en")
    page.get_by_label("Title", exact=True).fill("对外贸易法（测试）")
    page.get_by_label("Address name").fill("trade-e2e")
    page.get_by_role("button", name="Create the law").click()
    page.wait_for_url("**/staff/laws/trade-e2e")

    _add_version(page, "2016年修正文本", sample_text("cn/duiwai-maoyifa/2016.txt"), publish=True)
    page.get_by_label("Version name").fill("2022年修正文本")
    page.get_by_label("Paste the draft text").fill(sample_text("cn/duiwai-maoyifa/2022.txt"))
    page.get_by_role("button", name="Preview").click()
    page.wait_for_load_state()
    preview = page.locator("main").inner_text()
    assert "Compared with 2016年修正文本" in preview
    screenshot(page, "version-preview")
    page.get_by_role("button", name="Save and publish").click()
    page.wait_for_load_state()
    # Nobody has credited the changes yet: the version is kept as a draft, and the
    # completeness check asks for a knowing confirmation before it goes public.
    assert "/versions/2/completeness" in page.url
    assert "Saved as an unpublished draft" in page.locator(".flashes").inner_text()
    assert "no linked opinion and no editorial mark" in page.locator("main").inner_text()
    page.get_by_label("I know what is still open and publish anyway").check()
    page.get_by_role("button", name="Publish 2022年修正文本").click()
    page.wait_for_load_state()
    assert "Version published." in page.locator(".flashes").inner_text()

    # A visitor, not signed in, in Chinese.
    visitor = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    public = visitor.new_page()
    public.goto(live_server.url + "/laws/trade-e2e/compare")
    assert "从2016年修正文本到2022年修正文本" in public.locator("main").inner_text()
    renumbered = public.locator("details.kind-renumbered summary", has_text="第十条").first
    assert "第十条" in renumbered.inner_text()
    assert "第九条" in renumbered.inner_text()
    assert "仅调整条号" in renumbered.inner_text()
    deleted = public.locator("article.kind-deleted")
    assert deleted.count() == 1
    assert deleted.locator("del").count() == 1
    # Struck through, not only coloured.
    decoration = deleted.locator("del").evaluate("e => getComputedStyle(e).textDecorationLine")
    assert "line-through" in decoration
    screenshot(public, "compare-zh")

    # Keyboard: "j" moves focus to the first change.
    public.keyboard.press("j")
    assert public.evaluate("document.activeElement.dataset.change !== undefined")
    public.get_by_label("左右对照").check()
    public.get_by_role("button", name="更新").click()
    public.wait_for_load_state()
    assert public.locator(".side-by-side").count() > 0
    screenshot(public, "compare-side-by-side-zh")
    visitor.close()
