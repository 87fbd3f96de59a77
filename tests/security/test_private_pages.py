"""Private answers stay out of every cache (issue 20, finding 3): staff pages, the staff
exports (names and contacts), the printable slip, the public receipt and the lookup result
carry ``Cache-Control: no-store`` and ``Pragma: no-cache``; public pages keep theirs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import Opinion
from tests import factories
from tests.web.public.test_comment import FORM, _law


def _private(response: object) -> bool:
    headers = response.headers  # type: ignore[attr-defined]
    return headers.get("Cache-Control") == "no-store" and headers.get("Pragma") == "no-cache"


def test_every_staff_answer_is_kept_out_of_caches(
    staff_client: Callable[..., FlaskClient], db_session: Session, client: FlaskClient
) -> None:
    version = factories.make_version(db_session, factories.make_law(db_session))
    opinion = factories.make_opinion(
        db_session, version, contributor_name="李华", contact="li@example.org"
    )
    db_session.commit()
    assert _private(client.get("/staff/login"))
    staff = staff_client("admin")
    for path in (
        "/staff/",
        "/staff/opinions",
        f"/staff/opinions/{opinion.id}",
        f"/staff/opinions/{opinion.id}/receipt",
        "/staff/opinions/export.csv",
        "/staff/opinions/export.xlsx",
        "/staff/jobs",
    ):
        response = staff.get(path)
        assert response.status_code == 200, path
        assert _private(response), (path, dict(response.headers))


def test_the_public_receipt_and_the_lookup_answer_are_private(
    client: FlaskClient, db_session: Session
) -> None:
    _law(db_session, opens=-timedelta(days=1), closes=timedelta(days=10))
    submitted = client.post("/laws/minors/comment", data=FORM)
    assert submitted.status_code == 302
    receipt = client.get("/laws/minors/comment/receipt")
    assert receipt.status_code == 200
    assert _private(receipt)
    code = db_session.scalar(select(Opinion.receipt_code))
    assert code is not None
    found = client.post("/track", data={"code": code})
    assert "status-timeline" in found.get_data(as_text=True)  # the opinion itself
    assert _private(found)
    assert _private(client.post("/track", data={"code": "7K3M-Q9PX-2X"}))


@pytest.mark.parametrize("path", ["/", "/laws", "/track"])
def test_public_pages_keep_their_cache_headers(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" not in (response.headers.get("Cache-Control") or "")
