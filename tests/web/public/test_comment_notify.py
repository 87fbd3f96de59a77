"""The public form's opt-in to be told the outcome: consent of its own, in the page's
language, and a bad contact refused on its field with everything else kept."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import Opinion
from tests.web.public.test_comment import FORM, _law

OPEN = {"opens": -timedelta(days=1), "closes": timedelta(days=10)}


def _stored(db_session: Session) -> Opinion:
    db_session.expire_all()
    opinion = db_session.scalar(select(Opinion))
    assert opinion is not None
    return opinion


def _input(page: str, name: str) -> str:
    """The <input> tag of the field ``name``."""
    match = re.search(rf'<input[^>]*\bid="{name}"[^>]*>', page)
    assert match is not None, name
    return match.group(0)


def test_the_box_is_unticked_and_its_hint_names_the_configured_days(
    make_app: Any, db_session: Session
) -> None:
    _law(db_session, **OPEN)
    client = make_app(CONTACT_RETENTION_DAYS=45).test_client()
    page = client.get("/laws/minors/comment?lang=en").get_data(as_text=True)
    box = _input(page, "notify")
    assert 'type="checkbox"' in box
    assert "checked" not in box  # never ticked for the visitor
    assert 'aria-describedby="notify-hint"' in box
    assert "Tell me the outcome at this contact" in page
    assert "at most 45 days after the decision" in page
    assert "it is never shown or published" in page


def test_consent_stores_notify_and_the_page_language(
    client: FlaskClient, db_session: Session
) -> None:
    _law(db_session, **OPEN)
    data = {**FORM, "contact": " Li@Example.ORG ", "notify": "y"}
    response = client.post("/laws/minors/comment?lang=en", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    opinion = _stored(db_session)
    assert opinion.notify is True
    assert opinion.language == "en"
    assert opinion.contact == "Li@example.org"  # in the checked, normal form


def test_without_the_box_nothing_is_sent_and_chinese_is_the_language(
    client: FlaskClient, db_session: Session
) -> None:
    _law(db_session, **OPEN)
    response = client.post("/laws/minors/comment?lang=zh", data=FORM)
    assert response.status_code == 302
    opinion = _stored(db_session)
    assert opinion.notify is False
    assert opinion.language == "zh"
    assert opinion.contact == "li@example.org"


def test_a_mobile_number_is_stored_in_international_form(
    client: FlaskClient, db_session: Session
) -> None:
    _law(db_session, **OPEN)
    data = {**FORM, "contact": "138 0013 8000", "notify": "y"}
    assert client.post("/laws/minors/comment?lang=zh", data=data).status_code == 302
    opinion = _stored(db_session)
    assert (opinion.notify, opinion.contact) == (True, "+8613800138000")


def test_a_bad_address_is_refused_on_the_contact_and_nothing_is_lost(
    client: FlaskClient, db_session: Session
) -> None:
    _law(db_session, **OPEN)
    data = {**FORM, "contact": "li@@example", "notify": "y"}
    response = client.post("/laws/minors/comment?lang=en", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert db_session.scalar(select(Opinion)) is None
    error = re.search(r'<p class="error-text" id="contact-error">([^<]*)</p>', page)
    assert error is not None
    assert "This e-mail address is not valid" in error.group(1)
    contact = _input(page, "contact")
    assert 'aria-invalid="true"' in contact
    assert "contact-error" in contact
    assert 'value="li@@example"' in contact
    # The rest of the visitor's input is still there, the consent included.
    assert FORM["text"] in page
    assert 'value="李同学"' in _input(page, "name")
    assert "checked" in _input(page, "notify")
    assert 'id="text-error"' not in page  # the error is on its own field, not the text


def test_notify_without_a_contact_is_an_error_on_the_box(
    client: FlaskClient, db_session: Session
) -> None:
    _law(db_session, **OPEN)
    data = {**FORM, "contact": "", "notify": "y"}
    response = client.post("/laws/minors/comment?lang=en", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert db_session.scalar(select(Opinion)) is None
    box = _input(page, "notify")
    assert 'aria-invalid="true"' in box
    assert 'aria-describedby="notify-hint notify-error"' in box
    error = re.search(r'<p class="error-text" id="notify-error">([^<]*)</p>', page)
    assert error is not None
    assert "leave an e-mail address or a mobile number" in error.group(1)
    assert FORM["text"] in page


def test_a_contact_that_is_no_address_is_refused_only_with_consent(
    client: FlaskClient, db_session: Session
) -> None:
    _law(db_session, **OPEN)
    letter = {**FORM, "contact": "临洮县城关镇 12 号"}
    refused = client.post("/laws/minors/comment?lang=en", data={**letter, "notify": "y"})
    assert refused.status_code == 422
    assert "must be an e-mail address or a mobile number" in refused.get_data(as_text=True)
    assert db_session.scalar(select(Opinion)) is None
    assert client.post("/laws/minors/comment?lang=en", data=letter).status_code == 302
    assert _stored(db_session).notify is False
