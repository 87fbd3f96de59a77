"""`notify` and `language` in POST /api/v1/opinions: stored, strictly typed, and a notice
without a usable contact refused with the field named in `details`."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from noticeboard.models import Opinion
from tests.web.adoption_scenario import Scenario
from tests.web.api.test_write import count, opinion, post, token_for
from tests.web.api.test_write import world as world  # the fixture

# Messages are in the request's language; these tests read the English ones.
IN_ENGLISH = "?lang=en"


def _stored(db_session: Session, created: dict[str, object]) -> Opinion:
    db_session.expire_all()
    stored = db_session.get(Opinion, created["id"])
    assert stored is not None
    return stored


def test_notify_and_language_are_stored(
    client: FlaskClient, db_session: Session, world: Scenario
) -> None:
    _user, secret = token_for(db_session, "admin")
    body = opinion(contact="Zhao@Example.org", notify=True, language="en")
    stored = _stored(db_session, post(client, "/api/v1/opinions", body, secret, 201))
    assert (stored.notify, stored.language, stored.contact) == (True, "en", "Zhao@example.org")
    mobile = opinion(contact="+86 138 0013 8000", notify=True)
    stored = _stored(db_session, post(client, "/api/v1/opinions", mobile, secret, 201))
    assert (stored.notify, stored.language, stored.contact) == (True, "zh", "+8613800138000")


def test_without_notify_no_notice_is_asked_for(
    client: FlaskClient, db_session: Session, world: Scenario
) -> None:
    _user, secret = token_for(db_session, "admin")
    omitted = _stored(db_session, post(client, "/api/v1/opinions", opinion(), secret, 201))
    assert (omitted.notify, omitted.language) == (False, "zh")
    body = opinion(contact="赵先生，临洮县城关镇", notify=False)
    refused_not = _stored(db_session, post(client, "/api/v1/opinions", body, secret, 201))
    assert refused_not.notify is False
    assert refused_not.contact == "赵先生，临洮县城关镇"  # any contact, without a notice


def test_a_notice_without_a_usable_contact_is_refused_on_its_field(
    client: FlaskClient, db_session: Session, world: Scenario
) -> None:
    _user, secret = token_for(db_session, "admin")
    before = count(db_session)
    body = opinion(contact="zhao@@example", notify=True)
    bad = post(client, "/api/v1/opinions" + IN_ENGLISH, body, secret, 422)["error"]
    assert bad["code"] == "validation_failed"
    assert set(bad["details"]["fields"]) == {"contact"}
    assert "e-mail address is not valid" in bad["details"]["fields"]["contact"]
    assert "e-mail address is not valid" in bad["message"]
    missing = post(client, "/api/v1/opinions", opinion(notify=True), secret, 422)["error"]
    assert set(missing["details"]["fields"]) == {"notify"}
    no_address = post(
        client, "/api/v1/opinions", opinion(contact="临洮县城关镇", notify=True), secret, 422
    )["error"]
    assert set(no_address["details"]["fields"]) == {"contact"}
    assert count(db_session) == before


def test_types_and_languages_are_checked_strictly(
    client: FlaskClient, db_session: Session, world: Scenario
) -> None:
    _user, secret = token_for(db_session, "admin")
    before = count(db_session)
    body = opinion(contact="a@example.org", notify="yes")
    as_text = post(client, "/api/v1/opinions" + IN_ENGLISH, body, secret, 422)
    assert as_text["error"]["details"]["fields"] == {"notify": "Must be true or false."}
    french = post(client, "/api/v1/opinions", opinion(language="fr"), secret, 422)["error"]
    assert set(french["details"]["fields"]) == {"language"}
    number = post(client, "/api/v1/opinions" + IN_ENGLISH, opinion(language=1), secret, 422)[
        "error"
    ]
    assert number["details"]["fields"] == {"language": "Must be a string."}
    assert count(db_session) == before


def test_a_batch_row_with_a_bad_contact_saves_none(
    client: FlaskClient, db_session: Session, world: Scenario
) -> None:
    _user, secret = token_for(db_session, "admin")
    before = count(db_session)
    batch = {"opinions": [opinion(contact="a@example.org", notify=True), opinion(notify=True)]}
    body = post(client, "/api/v1/opinions/batch" + IN_ENGLISH, batch, secret, 422)
    assert body["error"]["details"]["rows"] == [
        {
            "index": 1,
            "fields": {
                "notify": "To be told the outcome, leave an e-mail address or a mobile number."
            },
        }
    ]
    assert count(db_session) == before


def test_the_document_describes_both_fields(client: FlaskClient) -> None:
    schema = client.get("/api/v1/openapi.json").get_json()
    fields = schema["components"]["schemas"]["OpinionInput"]["properties"]
    assert fields["notify"]["type"] == "boolean"
    assert fields["notify"]["default"] is False
    assert fields["language"]["enum"] == ["zh", "en"]
    assert fields["language"]["default"] == "zh"
    assert "notify" not in schema["components"]["schemas"]["OpinionInput"]["required"]
