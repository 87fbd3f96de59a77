"""Nothing personal leaves the server unless the contributor consented; contacts never.

Seeds contributors who did not consent (unique names, contacts), then walks every public
page reachable from the home page, in both languages, plus the boards' JSON, the kiosk
pages and searches for the names themselves, and looks for any trace of them."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import unquote

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.web import adoption_scenario
from tests.web.adoption_scenario import (
    PENDING_CONTACT,
    PENDING_NAME,
    PUBLIC_NAME,
    SECRET_CONTACT,
    SECRET_NAME,
)

SECRETS = (SECRET_NAME, SECRET_CONTACT, PENDING_NAME, PENDING_CONTACT, "Zq7", "Xk4")
# The opinions' own words are the office's record, not for the boards: only summaries are.
OPINION_TEXT = "建议增加学校保护的内容。"
_LINK = re.compile(r'(?:href|src)="(/[^"#]*)')


def _crawl(client: FlaskClient, start: list[str], limit: int = 400) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = deque(start)
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen or url.startswith(("/staff", "/static")):
            continue
        response = client.get(url)
        assert response.status_code < 500, url
        body = response.get_data(as_text=True)
        seen[url] = body
        if response.mimetype == "text/html":
            queue.extend(u.replace("&amp;", "&") for u in _LINK.findall(body))
    return seen


def test_no_personal_data_without_consent_on_any_public_page_or_json(
    client: FlaskClient, db_session: Session
) -> None:
    world = adoption_scenario.build(db_session)
    offices = [world.hongqiao, world.changning, world.gubei, world.lintao]
    start = ["/", "/?lang=en", "/laws", "/stats", "/offices", "/laws/minors/adopted"]
    for office in offices:
        for lang in ("zh", "en"):
            start += [
                f"/api/v1/boards/{office.slug}?lang={lang}",
                f"/api/v1/boards/{office.slug}?lang={lang}&law=minors",
                f"/board/{office.slug}?lang={lang}",
                f"/offices/{office.slug}?lang={lang}",
            ]
    for words in (*SECRETS, "先生", "王五", "example.org", "保证金", "省级", "2"):
        start.append(f"/search?q={words}")
    pages = _crawl(client, start)
    assert len(pages) > 40
    assert any(PUBLIC_NAME in body for body in pages.values())  # consent: shown
    for url, body in pages.items():
        if url.startswith("/search?q="):  # the page repeats the query: check the results
            query = unquote(url.removeprefix("/search?q=").split("&")[0])
            body = body[body.index("</form>") : body.index("</main>")].replace(f"“{query}”", "")
        for secret in SECRETS:
            assert secret not in body, (secret, url)
        if url.startswith("/api/") or "adopted" in url:
            assert OPINION_TEXT not in body, url
