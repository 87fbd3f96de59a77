"""Staff make, see and revoke API tokens; the secret is shown once."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import ApiToken


def make(client: FlaskClient, name: str) -> str:
    response = client.post("/staff/tokens?lang=en", data={"name": name})
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    match = re.search(r'value="(nbt_[A-Za-z0-9_-]+)"', response.get_data(as_text=True))
    assert match
    return match.group(1)


def test_token_is_shown_once_then_only_its_prefix(
    staff_client: Any, client: FlaskClient, db_session: Session
) -> None:
    staff = staff_client("commission")
    secret = make(staff, "Provincial case system")
    page = staff.get("/staff/tokens?lang=en").get_data(as_text=True)
    assert "Provincial case system" in page
    assert secret not in page
    assert secret[:8] in page
    response = client.get("/api/v1/opinions/1")  # reads need no token
    assert response.status_code == 404
    used = client.post("/api/v1/opinions", json={}, headers={"Authorization": f"Bearer {secret}"})
    assert used.status_code == 422  # authenticated; the body is what is wrong


def test_staff_see_their_own_admins_everyones_and_revoke(
    staff_client: Any, client: FlaskClient, db_session: Session
) -> None:
    office = staff_client("office")
    secret = make(office, "kiosk uploader")
    admin = staff_client("admin")
    make(admin, "admin script")
    assert "kiosk uploader" not in staff_client("commission").get("/staff/tokens").get_data(
        as_text=True
    )
    listing = admin.get("/staff/tokens?lang=en").get_data(as_text=True)
    assert "kiosk uploader" in listing
    assert "Every token" in listing
    token = db_session.scalars(select(ApiToken).where(ApiToken.name == "kiosk uploader")).one()
    other = staff_client("commission")
    assert other.post(f"/staff/tokens/{token.id}/revoke").status_code == 404
    assert admin.post(f"/staff/tokens/{token.id}/revoke").status_code == 302
    refused = client.post(
        "/api/v1/opinions", json={}, headers={"Authorization": f"Bearer {secret}"}
    )
    assert refused.status_code == 401


def test_token_screens_need_sign_in_and_a_name(staff_client: Any, client: FlaskClient) -> None:
    assert client.get("/staff/tokens").status_code == 302
    response = staff_client("admin").post("/staff/tokens?lang=en", data={"name": "  "})
    assert response.status_code == 422
    assert "Name the token" in response.get_data(as_text=True)
