from __future__ import annotations

from flask.testing import FlaskClient


def test_lang_query_switches_language_and_is_remembered(client: FlaskClient) -> None:
    english = client.get("/?lang=en")
    assert "Did my opinion change the law?" in english.get_data(as_text=True)
    assert 'lang="en"' in english.get_data(as_text=True)
    assert "nb_lang=en" in english.headers["Set-Cookie"]

    # The cookie now decides, whatever the browser asks for.
    again = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert "Did my opinion change the law?" in again.get_data(as_text=True)

    chinese = client.get("/?lang=zh")
    assert "我的意见改变法律了吗？" in chinese.get_data(as_text=True)
    assert 'lang="zh-Hans"' in chinese.get_data(as_text=True)


def test_accept_language_decides_without_cookie(client: FlaskClient) -> None:
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert "Did my opinion change the law?" in page.get_data(as_text=True)
    page = client.get("/", headers={"Accept-Language": "zh-CN"})
    assert "我的意见改变法律了吗？" in page.get_data(as_text=True)


def test_unknown_language_falls_back_to_chinese(client: FlaskClient) -> None:
    page = client.get("/?lang=xx", headers={"Accept-Language": "fr"})
    assert "我的意见改变法律了吗？" in page.get_data(as_text=True)
    assert "nb_lang" not in page.headers.get("Set-Cookie", "")


def test_language_switch_links_keep_the_query(client: FlaskClient) -> None:
    html = client.get("/?lang=en&q=1").get_data(as_text=True)
    assert 'href="/?lang=zh&amp;q=1"' in html or 'href="/?q=1&amp;lang=zh"' in html
