"""Public pages name things in the public wording, the staff area in the staff wording.

Office tiers, channels and contributor categories are worded differently for the two
audiences ("Provincial outreach office" on a public page, "Provincial office" for staff).
Both wordings once shared one template global, and whichever registered last won.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy.orm import Session

from noticeboard.diffing.model import ChangeKind
from noticeboard.models import (
    Channel,
    ContributorCategory,
    LinkDegree,
    OfficeTier,
    Outcome,
    ReasonCode,
    Role,
)
from noticeboard.web.core import vocabulary
from tests import factories
from tests.services.decisions.test_outcomes import V1

# (public wording, staff wording) as each language shows them.
TIER = {
    "en": ("Provincial outreach office", "Provincial office"),
    "zh": ("省级基层立法联系点", "省级立法联系点"),
}
CHANNEL = {"en": ("QR poster", "QR code poster"), "zh": ("二维码海报", "二维码海报")}
CATEGORY = {"en": ("Citizens", "Citizen"), "zh": ("市民", "群众")}


@pytest.fixture
def opinion(db_session: Session) -> Any:
    national = factories.make_office(db_session, slug="hongqiao", name="虹桥")
    changning = factories.make_office(
        db_session, slug="changning", name="长宁", tier=OfficeTier.PROVINCIAL, parent=national
    )
    law = factories.make_law(db_session, slug="veterans", title="退役军人保障法")
    first = factories.make_version(db_session, law, V1)
    made = factories.make_opinion(
        db_session,
        first,
        office=changning,
        channel=Channel.QR_POSTER,
        contributor_category=ContributorCategory.CITIZEN,
    )
    db_session.commit()
    return made


def _page(client: FlaskClient, path: str, lang: str, **post: str) -> str:
    url = f"{path}?lang={lang}"
    response = client.post(url, data=post) if post else client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _shows(html: str, wordings: tuple[str, str], audience: str) -> None:
    public, staff = wordings
    shown, other = (public, staff) if audience == "public" else (staff, public)
    assert shown in html
    if other != shown:
        assert other not in html


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_public_office_pages_show_the_public_tier(
    client: FlaskClient, opinion: Any, lang: str
) -> None:
    _shows(_page(client, "/offices/changning", lang), TIER[lang], "public")
    _shows(_page(client, "/offices/hongqiao", lang), TIER[lang], "public")  # the office below
    _shows(_page(client, "/offices", lang), TIER[lang], "public")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_track_result_shows_the_public_channel(
    client: FlaskClient, opinion: Any, lang: str
) -> None:
    html = _page(client, "/track", lang, code=opinion.receipt_code)
    assert "长宁" in html  # the result page, not the form again
    _shows(html, CHANNEL[lang], "public")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_staff_pages_show_the_staff_wording(
    staff_client: Callable[..., FlaskClient], opinion: Any, lang: str
) -> None:
    client = staff_client("admin")
    _shows(_page(client, "/staff/offices", lang), TIER[lang], "staff")
    shown = _page(client, f"/staff/opinions/{opinion.id}", lang)
    _shows(shown, CHANNEL[lang], "staff")
    _shows(shown, CATEGORY[lang], "staff")


ENUMS: dict[str, type[enum.Enum]] = {
    "kind": ChangeKind,
    "outcome": Outcome,
    "reason": ReasonCode,
    "degree": LinkDegree,
    "category": ContributorCategory,
    "channel": Channel,
    "tier": OfficeTier,
    "role": Role,
}


def test_every_vocabulary_names_every_value_in_both_wordings_and_in_chinese(app: Flask) -> None:
    assert set(vocabulary.VOCABULARIES) == set(ENUMS)
    for name, values in ENUMS.items():
        words = vocabulary.VOCABULARIES[name]
        assert set(words.labels) == {v.value for v in values}, name
        with app.test_request_context(), force_locale("zh"):
            for value in words.labels:
                for audience in (words.public(value), words.staff(value)):
                    assert re.search("[\u4e00-\u9fff]", audience), (name, value, audience)


TEMPLATES = Path(__file__).parents[3] / "templates"


def test_staff_templates_use_the_staff_wording_and_public_ones_the_public() -> None:
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        area = path.relative_to(TEMPLATES).parts[0]
        # The shared partials show what a contributor reads, so the public wording too.
        wrong = "public_label(" if area == "staff" else "staff_label("
        assert wrong not in text, path
