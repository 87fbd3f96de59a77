"""Writing through the API with tokens: the same checks and audit as the staff forms,
and each role's limits."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from noticeboard.models import ApiToken, AuditEvent, Opinion, User
from noticeboard.services.accounts.api_tokens import create_token, revoke_token
from tests import factories
from tests.web import adoption_scenario
from tests.web.adoption_scenario import Scenario


@pytest.fixture
def world(db_session: Session) -> Scenario:
    return adoption_scenario.build(db_session)


def token_for(db_session: Session, role: str, office: Any = None) -> tuple[User, str]:
    user = factories.make_user(db_session, role=role, office=office)
    secret = create_token(db_session, user, f"{role} system").secret
    db_session.commit()
    return user, secret


def post(client: FlaskClient, path: str, body: Any, secret: str | None, status: int) -> Any:
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    response = client.post(path, json=body, headers=headers)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_json()


def opinion(**fields: Any) -> dict[str, Any]:
    return {
        "law": "minors",
        "channel": "letter",
        "received_on": "2024-06-01",
        "text": "建议明确学校的报告义务。",
        "articles": ["第二条"],
        "office": "hongqiao",
    } | fields


def count(db_session: Session) -> int:
    db_session.expire_all()
    return db_session.scalar(select(func.count()).select_from(Opinion)) or 0


def test_writes_need_a_valid_live_token(
    client: FlaskClient, db_session: Session, world: Scenario
) -> None:
    response = client.post("/api/v1/opinions", json=opinion())
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["error"]["code"] == "unauthorized"
    post(client, "/api/v1/opinions", opinion(), "nbt_wrong", 401)
    user, secret = token_for(db_session, "admin")
    token = db_session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).one()
    revoke_token(db_session, user, token.id)
    db_session.commit()
    post(client, "/api/v1/opinions", opinion(), secret, 401)
    assert count(db_session) == 5


def test_a_signed_in_browser_cannot_write_without_a_token(
    staff_client: Any, world: Scenario
) -> None:
    browser = staff_client("admin")
    assert browser.post("/api/v1/opinions", json=opinion()).status_code == 401


def test_office_token_records_for_its_office_and_is_audited(
    client: FlaskClient, db_session: Session, world: Scenario
) -> None:
    user, secret = token_for(db_session, "office", world.changning)
    created = post(client, "/api/v1/opinions", opinion(office="gubei"), secret, 201)
    assert len(created["receipt_code"]) == 12
    assert (created["law"], created["version"], created["outcome"]) == ("minors", 2, "pending")
    stored = db_session.get(Opinion, created["id"])
    assert stored.recorded_by_id == user.id
    assert [a.label for a in stored.articles] == ["第二条"]
    event = db_session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "opinion.record")
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).one()
    assert (event.actor_id, event.subject_id) == (user.id, stored.id)

    refused = post(client, "/api/v1/opinions", opinion(office="lintao"), secret, 403)
    assert "office" in refused["error"]["details"]["fields"]
    missing = post(client, "/api/v1/opinions", opinion(office=None), secret, 422)
    assert "office" in missing["error"]["details"]["fields"]
    decision = {"outcome": "adopted", "lock_version": 1}
    post(client, f"/api/v1/opinions/{stored.id}/decisions", decision, secret, 403)


def test_validation_names_every_field(
    client: FlaskClient, db_session: Session, world: Scenario
) -> None:
    _, secret = token_for(db_session, "commission")
    body = opinion(
        law="nope", channel="fax", received_on="yesterday", text="", colour="red", name_public=1
    )
    fields = post(client, "/api/v1/opinions", body, secret, 422)["error"]["details"]["fields"]
    assert set(fields) == {"colour", "name_public"}  # types first
    del body["colour"], body["name_public"]
    fields = post(client, "/api/v1/opinions", body, secret, 422)["error"]["details"]["fields"]
    assert {"law", "channel", "received_on", "text"} <= set(fields)
    consent = opinion(name_public=True, contributor_name="")
    fields = post(client, "/api/v1/opinions", consent, secret, 422)["error"]["details"]["fields"]
    assert "name_public" in fields
    unknown = opinion(articles=["第九十九条"])
    fields = post(client, "/api/v1/opinions", unknown, secret, 422)["error"]["details"]["fields"]
    assert "articles" in fields
    post(client, "/api/v1/opinions", ["not", "an", "object"], secret, 422)
    response = client.post(
        "/api/v1/opinions", data="{oops", headers={"Authorization": f"Bearer {secret}"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 422
    assert count(db_session) == 5


def test_batch_is_all_or_nothing(client: FlaskClient, db_session: Session, world: Scenario) -> None:
    _, secret = token_for(db_session, "admin")
    rows = [opinion(), opinion(channel="fax"), opinion(), opinion(text="")]
    error = post(client, "/api/v1/opinions/batch", {"opinions": rows}, secret, 422)["error"]
    assert [row["index"] for row in error["details"]["rows"]] == [1, 3]
    assert "channel" in error["details"]["rows"][0]["fields"]
    assert count(db_session) == 5
    good = [opinion(), opinion(office="lintao", version=1, articles="第三条")]
    created = post(client, "/api/v1/opinions/batch", {"opinions": good}, secret, 201)
    assert created["count"] == 2
    assert [o["version"] for o in created["opinions"]] == [2, 1]
    assert count(db_session) == 7
    post(client, "/api/v1/opinions/batch", {"opinions": []}, secret, 422)
    post(client, "/api/v1/opinions/batch", {"opinions": [opinion()] * 501}, secret, 422)


def test_decisions_need_the_current_lock_version(
    client: FlaskClient, db_session: Session, world: Scenario
) -> None:
    user, secret = token_for(db_session, "commission")
    path = f"/api/v1/opinions/{world.pending.id}/decisions"
    current = client.get(f"/api/v1/opinions/{world.pending.id}").get_json()["lock_version"]
    stale = {"outcome": "adopted", "lock_version": current - 1}
    conflict = post(client, path, stale, secret, 409)["error"]
    assert conflict["code"] == "conflict"
    assert conflict["details"]["lock_version"] == current
    body = {
        "outcome": "not_adopted",
        "reason_code": "already_covered",
        "public_reason": "现行法律已有规定。",
        "lock_version": current,
    }
    decided = post(client, path, body, secret, 201)
    assert decided["opinion"]["outcome"] == "not_adopted"
    assert decided["opinion"]["lock_version"] > current
    assert decided["decision"]["reason_code"] == "already_covered"
    event = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "opinion.decide").order_by(AuditEvent.id)
    ).all()[-1]
    assert event.actor_id == user.id
    public = client.get(f"/api/v1/opinions/{world.pending.id}").get_json()
    assert public["public_reason"] == "现行法律已有规定。"
    again = post(client, path, body, secret, 409)["error"]  # the old lock_version again
    assert again["details"]["lock_version"] == decided["opinion"]["lock_version"]


def test_decision_rules_are_the_forms(
    client: FlaskClient, db_session: Session, world: Scenario
) -> None:
    _, secret = token_for(db_session, "admin")
    students = f"/api/v1/opinions/{world.students.id}/decisions"
    lock = db_session.get(Opinion, world.students.id).lock_version
    no_reason = {"outcome": "not_adopted", "lock_version": lock}
    assert post(client, students, no_reason, secret, 422)["error"]["code"] == "validation_failed"
    linked = no_reason | {"reason_code": "not_feasible"}
    needs = post(client, students, linked, secret, 409)["error"]
    assert needs["code"] == "needs_confirmation"
    post(client, students, linked | {"confirm": True}, secret, 201)
    fields = post(client, students, {"outcome": "maybe"}, secret, 422)["error"]["details"]
    assert {"outcome", "lock_version"} <= set(fields["fields"])
    post(client, "/api/v1/opinions/999999/decisions", linked, secret, 404)
