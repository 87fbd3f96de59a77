"""The reference on the staff entry form, the opinion page, the list and its export."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import Opinion
from tests.web.staff.test_opinions import _entry, _world


def test_staff_enter_see_and_export_the_reference(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    world = _world(db_session)
    client = staff_client("office", "hongqiao")
    form = client.get("/staff/opinions/new?lang=en").get_data(as_text=True)
    assert 'id="reference"' in form
    response = client.post("/staff/opinions/new", data=_entry(world, reference=" 信-2024-17 "))
    assert response.status_code == 302
    opinion = db_session.scalar(select(Opinion))
    assert opinion is not None
    assert opinion.reference == "信-2024-17"
    page = client.get(f"/staff/opinions/{opinion.id}?lang=en").get_data(as_text=True)
    assert "Reference" in page
    assert "信-2024-17" in page
    assert "信-2024-17" in client.get("/staff/opinions?lang=en").get_data(as_text=True)
    exported = client.get("/staff/opinions/export.csv?lang=en").get_data(as_text=True)
    assert exported.splitlines()[0].rstrip().endswith("Reference")
    assert "信-2024-17" in exported


def test_a_duplicate_or_long_reference_is_shown_on_its_field(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    world = _world(db_session)
    client = staff_client("office", "hongqiao")
    assert (
        client.post("/staff/opinions/new", data=_entry(world, reference="R-1")).status_code == 302
    )
    again = client.post("/staff/opinions/new?lang=en", data=_entry(world, reference="R-1"))
    assert again.status_code == 422
    assert "Another opinion on this law has the reference R-1 already." in again.get_data(
        as_text=True
    )
    long = client.post("/staff/opinions/new?lang=en", data=_entry(world, reference="x" * 65))
    assert long.status_code == 422
    db_session.expire_all()
    assert len(db_session.scalars(select(Opinion)).all()) == 1
