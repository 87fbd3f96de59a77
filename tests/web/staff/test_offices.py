"""Admin screens: offices, collection points and staff accounts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import CollectionPoint, Office, User
from tests import factories


@pytest.mark.parametrize("role", ["commission", "office"])
def test_only_admins_open_the_admin_screens(
    staff_client: Callable[..., FlaskClient], role: str
) -> None:
    client = staff_client(role)
    assert client.get("/staff/offices").status_code == 403
    assert client.get("/staff/accounts").status_code == 403
    assert client.post("/staff/offices", data={"slug": "x"}).status_code == 403


def test_create_offices_in_tiers_and_a_collection_point(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    client = staff_client("admin")
    national = {
        "name": "虹桥",
        "slug": "hongqiao",
        "tier": "national",
        "parent": "",
        "timezone": "Asia/Shanghai",
    }
    assert client.post("/staff/offices", data=national).status_code == 302
    provincial = national | {
        "name": "长宁",
        "slug": "changning",
        "tier": "provincial",
        "parent": "hongqiao",
    }
    assert client.post("/staff/offices", data=provincial).status_code == 302
    wrong = national | {"slug": "bad", "tier": "national", "parent": "changning"}
    refused = client.post("/staff/offices?lang=en", data=wrong)
    assert refused.status_code == 422
    assert "A national office has no office above it." in refused.get_data(as_text=True)

    listing = client.get("/staff/offices?lang=en").get_data(as_text=True)
    assert listing.index("虹桥") < listing.index("长宁")
    assert "Provincial office" in listing

    point = {"name": "社区茶馆", "slug": "teahouse", "address": "虹桥路1号"}
    assert client.post("/staff/offices/changning/points", data=point).status_code == 302
    again = client.post("/staff/offices/changning/points?lang=en", data=point)
    assert again.status_code == 422
    stored = db_session.scalar(select(CollectionPoint))
    assert stored is not None
    assert stored.office.slug == "changning"

    assert (
        client.post(
            f"/staff/offices/changning/points/{stored.id}/active", data={"active": "0"}
        ).status_code
        == 302
    )
    assert (
        client.post("/staff/offices/changning/active", data={"active": "0", "back": "list"})
        .headers["Location"]
        .endswith("/staff/offices")
    )
    db_session.expire_all()
    assert not stored.is_active
    office = db_session.scalar(select(Office).where(Office.slug == "changning"))
    assert office is not None
    assert not office.is_active
    page = client.get("/staff/offices/changning?lang=en").get_data(as_text=True)
    assert "Reopen the office" in page


def test_accounts_are_created_and_deactivated(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    factories.make_office(db_session, slug="lintao", name="临洮")
    db_session.commit()
    client = staff_client("admin")
    data = {
        "email": "liu@example.org",
        "role": "office",
        "office": "lintao",
        "password": "a long enough password",
    }
    assert client.post("/staff/accounts", data=data).status_code == 302
    missing_office = data | {"email": "x@example.org", "office": ""}
    refused = client.post("/staff/accounts?lang=en", data=missing_office)
    assert refused.status_code == 422
    assert "An office account needs" in refused.get_data(as_text=True)
    user = db_session.scalar(select(User).where(User.email == "liu@example.org"))
    assert user is not None
    assert user.office is not None
    assert user.office.slug == "lintao"
    assert client.post(f"/staff/accounts/{user.id}/active", data={"active": "0"}).status_code == 302
    db_session.expire_all()
    assert not user.is_active
    page = client.get("/staff/accounts?lang=en").get_data(as_text=True)
    assert "Reactivate" in page
    # A deactivated account cannot sign in.
    other = client.application.test_client()
    login = other.post(
        "/staff/login", data={"email": "liu@example.org", "password": "a long enough password"}
    )
    assert login.status_code == 401


def test_admin_cannot_lock_themselves_out(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    client = staff_client("admin")
    me = db_session.scalar(select(User))
    assert me is not None
    response = client.post(f"/staff/accounts/{me.id}/active?lang=en", data={"active": "0"})
    assert response.status_code == 302
    db_session.expire_all()
    assert me.is_active


def test_dashboard_links_by_role(staff_client: Callable[..., FlaskClient]) -> None:
    admin = staff_client("admin").get("/staff/?lang=en").get_data(as_text=True)
    assert "Offices and staff" in admin
    assert "Record opinions" in admin
    office = staff_client("office", "hongqiao").get("/staff/?lang=en").get_data(as_text=True)
    assert "Record opinions" in office
    assert "Offices and staff" not in office
