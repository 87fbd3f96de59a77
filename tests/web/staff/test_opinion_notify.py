"""Fast entry: the contributor's consent to an outcome notice and its language, each
opinion's own, never kept for the next one."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import Opinion
from tests.web.staff.test_opinions import _entry, _world


def _opinions(db_session: Session) -> list[Opinion]:
    db_session.expire_all()
    return list(db_session.scalars(select(Opinion).order_by(Opinion.id)))


def _tag(page: str, field: str) -> str:
    match = re.search(rf'<(?:input|select)[^>]*\bid="{field}"[^>]*>', page)
    assert match is not None, field
    return match.group(0)


def _selected_language(page: str) -> str:
    select_html = re.search(r'<select[^>]*id="language".*?</select>', page, re.S)
    assert select_html is not None
    chosen = re.search(r'<option selected value="(\w+)">', select_html.group(0))
    assert chosen is not None
    return chosen.group(1)


def test_the_form_offers_the_consent_unticked_and_the_ui_language(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    _world(db_session)
    client = staff_client("office", "hongqiao")
    english = client.get("/staff/opinions/new?lang=en").get_data(as_text=True)
    assert "Send the outcome to this contact (the contributor agreed)" in english
    assert "checked" not in _tag(english, "notify")
    assert _selected_language(english) == "en"
    assert ">中文</option>" in english
    assert ">English</option>" in english
    chinese = client.get("/staff/opinions/new?lang=zh").get_data(as_text=True)
    assert _selected_language(chinese) == "zh"


def test_notify_is_stored_and_not_kept_for_the_next_opinion(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    world = _world(db_session)
    client = staff_client("office", "hongqiao")
    first = _entry(world, contact="Wang@Example.org", notify="y", language="en")
    response = client.post("/staff/opinions/new?lang=zh", data=first)
    assert response.status_code == 302, response.get_data(as_text=True)
    [saved] = _opinions(db_session)
    assert (saved.notify, saved.language, saved.contact) == (True, "en", "Wang@example.org")

    # The next form starts without the consent and in the staff member's language,
    # while the context (version, office, date) is kept.
    page = client.get(response.headers["Location"] + "&lang=zh").get_data(as_text=True)
    assert "checked" not in _tag(page, "notify")
    assert _selected_language(page) == "zh"
    assert 'value="2024-05-06"' in page

    # A form sent without the fields (as the next opinion would be) records no notice.
    second = _entry(world, contributor_name="李四")
    assert client.post("/staff/opinions/new?lang=zh", data=second).status_code == 302
    latest = _opinions(db_session)[-1]
    assert (latest.notify, latest.language) == (False, "zh")


def test_notify_needs_a_contact_that_can_be_reached(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    world = _world(db_session)
    client = staff_client("office", "hongqiao")
    missing = client.post("/staff/opinions/new?lang=en", data=_entry(world, contact="", notify="y"))
    assert missing.status_code == 422
    page = missing.get_data(as_text=True)
    box = _tag(page, "notify")
    assert 'aria-invalid="true"' in box
    assert 'aria-describedby="notify-error"' in box
    error = re.search(r'id="notify-error">([^<]*)<', page)
    assert error is not None
    assert "leave an e-mail address or a mobile number" in error.group(1)
    assert "checked" in box  # what staff entered is still there

    bad = client.post(
        "/staff/opinions/new?lang=en", data=_entry(world, contact="wang@", notify="y")
    )
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert 'aria-invalid="true"' in _tag(page, "contact")
    error = re.search(r'id="contact-error">([^<]*)<', page)
    assert error is not None
    assert "This e-mail address is not valid" in error.group(1)
    assert _opinions(db_session) == []


def test_a_language_outside_the_list_is_refused(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    world = _world(db_session)
    client = staff_client("office", "hongqiao")
    response = client.post("/staff/opinions/new?lang=en", data=_entry(world, language="fr"))
    assert response.status_code == 422
    assert 'aria-invalid="true"' in _tag(response.get_data(as_text=True), "language")
    assert _opinions(db_session) == []
