"""`reference` in POST /api/v1/opinions: stored, answered 409 when the law has it already."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import Opinion
from tests.web.adoption_scenario import Scenario
from tests.web.api.test_write import count, opinion, post, token_for
from tests.web.api.test_write import world as world  # the fixture


def test_a_reference_is_stored_and_a_duplicate_is_a_conflict(
    client: FlaskClient, db_session: Session, world: Scenario
) -> None:
    _user, secret = token_for(db_session, "admin")
    created = post(client, "/api/v1/opinions", opinion(reference=" MSG-1 "), secret, 201)
    stored = db_session.get(Opinion, created["id"])
    assert stored is not None
    assert stored.reference == "MSG-1"
    before = count(db_session)
    error = post(client, "/api/v1/opinions", opinion(reference="MSG-1"), secret, 409)["error"]
    assert error["code"] == "conflict"
    assert "reference" in error["details"]["fields"]
    assert "MSG-1" in error["message"]
    too_long = post(client, "/api/v1/opinions", opinion(reference="x" * 65), secret, 422)
    assert "reference" in too_long["error"]["details"]["fields"]
    wrong_type = post(client, "/api/v1/opinions", opinion(reference=17), secret, 422)
    assert set(wrong_type["error"]["details"]["fields"]) == {"reference"}
    # None and empty are no reference, and never clash with each other.
    post(client, "/api/v1/opinions", opinion(reference=None), secret, 201)
    post(client, "/api/v1/opinions", opinion(reference=""), secret, 201)
    assert count(db_session) == before + 2


def test_a_batch_with_a_reference_twice_saves_none(
    client: FlaskClient, db_session: Session, world: Scenario
) -> None:
    _user, secret = token_for(db_session, "admin")
    before = count(db_session)
    batch = {"opinions": [opinion(reference="B-1"), opinion(), opinion(reference="B-1")]}
    body = post(client, "/api/v1/opinions/batch", batch, secret, 422)
    assert [row["index"] for row in body["error"]["details"]["rows"]] == [2]
    assert "reference" in body["error"]["details"]["rows"][0]["fields"]
    assert count(db_session) == before
    post(client, "/api/v1/opinions", opinion(reference="B-1"), secret, 201)
    stored = post(
        client, "/api/v1/opinions/batch", {"opinions": [opinion(reference="B-1")]}, secret, 422
    )
    assert "reference" in stored["error"]["details"]["rows"][0]["fields"]
    assert db_session.scalars(
        select(Opinion.reference).where(Opinion.reference == "B-1")
    ).all() == ["B-1"]
