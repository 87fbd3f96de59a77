"""Nothing a contributor did not agree to publish reaches the API, the files or the feeds.

One contributor, who did not consent to be named, gets a name, a contact and an opinion
text found nowhere else; every GET operation of the OpenAPI document (with every real
id), every download and every feed is then scanned for them, and for the receipt code
and feed token of every opinion."""

from __future__ import annotations

import io
import itertools
import re
from typing import Any

from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import Change, ContributorCategory, LinkDegree, Office, Opinion, Outcome
from noticeboard.services.decisions.links import link_opinion
from noticeboard.services.decisions.outcomes import DecisionInput, decide_opinion
from noticeboard.services.open_data import datasets as open_data
from noticeboard.services.opinions.receipts import format_receipt_code
from noticeboard.services.permissions import SYSTEM
from noticeboard.web.api.docs import openapi_document
from tests import factories
from tests.web import adoption_scenario

UNIQUE_NAME = "钱隐名Qv83Zr"
UNIQUE_CONTACT = "qv83zr.private@example.net"
UNIQUE_TEXT = "私下意见Qv83Zr：这段原文只给工作人员看。"


def seed(session: Session) -> list[str]:
    world = adoption_scenario.build(session)
    shy = factories.make_opinion(
        session, world.v1, office=world.gubei, contributor_name=UNIQUE_NAME,
        contact=UNIQUE_CONTACT, text=UNIQUE_TEXT, name_public=False,
        contributor_category=ContributorCategory.EXPERT, summary="公开的摘要",
        articles=[world.v1.articles[1]],
    )  # fmt: skip
    waiting = factories.make_opinion(
        session, world.v1, office=world.hongqiao, contributor_name=UNIQUE_NAME + "乙",
        contact=UNIQUE_CONTACT, text=UNIQUE_TEXT, name_public=False,
    )  # fmt: skip
    link_opinion(session, SYSTEM, world.modified, shy, degree=LinkDegree.PARTIAL)
    link_opinion(session, SYSTEM, world.modified, waiting)  # proposed, not decided
    decide_opinion(session, SYSTEM, shy, DecisionInput(Outcome.ADOPTED), lock_version=None)
    session.commit()
    secrets = [UNIQUE_NAME, UNIQUE_CONTACT, UNIQUE_TEXT, adoption_scenario.SECRET_NAME]
    secrets += [adoption_scenario.SECRET_CONTACT, adoption_scenario.PENDING_CONTACT]
    for opinion in session.scalars(select(Opinion)):
        code = opinion.receipt_code
        secrets += [code, format_receipt_code(code), opinion.feed_token]
    return secrets


def values(session: Session) -> dict[str, list[str]]:
    changes = [str(c.id) for c in session.scalars(select(Change))]
    return {
        "slug": ["minors"],
        "sequence": ["1", "2"],
        "from_seq": ["1"],
        "to_seq": ["2"],
        "change_id": changes,
        "opinion_id": [str(o.id) for o in session.scalars(select(Opinion))],
        "office": [o.slug for o in session.scalars(select(Office))],
    }


def api_urls(session: Session) -> list[str]:
    known = values(session)
    urls = []
    for path, item in openapi_document()["paths"].items():
        if "get" not in item:
            continue
        names = re.findall(r"{(\w+)}", path)
        slots = [known["office"] if "offices" in path or "boards" in path else known[n]
                 for n in names]  # fmt: skip
        for combination in itertools.product(*slots):
            url = path
            for name, value in zip(names, combination, strict=True):
                url = url.replace("{" + name + "}", value, 1)
            urls.append("/api/v1" + url)
    lists = ["/api/v1/opinions?limit=200", "/api/v1/laws/minors/changes?limit=200"]
    filters = ["law=minors&article=1-2", "outcome=adopted", "office=gubei", "outcome=pending"]
    return urls + lists + [f"/api/v1/opinions?{f}" for f in filters]


def assert_clean(label: str, text: str, secrets: list[str]) -> None:
    leaked = [secret for secret in secrets if secret in text]
    assert not leaked, f"{label} shows {leaked}"


def test_nothing_unconsented_is_published(
    client: FlaskClient, staff_client: Any, db_session: Session
) -> None:
    secrets = seed(db_session)
    urls = api_urls(db_session)
    assert len(urls) > 30
    for lang in ("zh", "en"):
        for url in urls:
            response = client.get(url + ("&" if "?" in url else "?") + f"lang={lang}")
            assert response.status_code == 200, url
            assert_clean(url, response.get_data(as_text=True), secrets)
    summaries = client.get("/api/v1/opinions?limit=200").get_json()["items"]
    assert any(o["summary"] == "公开的摘要" for o in summaries)  # the shy one is listed

    feeds = ["adopted", "versions"]
    pages = ["/open-data", "/open-data/datapackage.json"]
    pages += [f"/feeds/{name}.atom" for name in feeds]
    pages += [f"/laws/minors/{name}.atom" for name in feeds]
    pages += [f"/offices/{slug}/adopted.atom" for slug in values(db_session)["office"]]
    pages += [f"/open-data/{d}.{f}" for d in open_data.DATASETS for f in ("csv", "json")]
    for url in pages:
        for lang in ("zh", "en"):
            response = client.get(f"{url}?lang={lang}")
            assert response.status_code == 200, url
            assert_clean(url, response.get_data(as_text=True), secrets)

    workbook = staff_client("commission").get("/open-data/noticeboard.xlsx")
    book = load_workbook(io.BytesIO(workbook.data), read_only=True)
    cells = " ".join(
        str(value) for sheet in book for row in sheet.values for value in row if value is not None
    )
    assert_clean("noticeboard.xlsx", cells, secrets)
