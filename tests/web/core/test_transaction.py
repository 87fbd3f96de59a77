"""One commit per request (web.core.transaction): committed once when the request
succeeded, rolled back in full when it failed, and never a write in a GET."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import flask_sqlalchemy.session
import pytest
from flask import Blueprint, Flask, jsonify, redirect
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from noticeboard.extensions import db
from noticeboard.models import Office, OfficeTier
from noticeboard.services.errors import Conflict
from noticeboard.web.core.transaction import (
    WriteInSafeRequest,
    after_commit,
    discard_request,
    form_failed,
)
from tests import factories
from tests.web.transactions import commits_counted

WEB = Path(__file__).resolve().parents[3] / "noticeboard" / "web"
ran: list[str] = []


def _office(slug: str) -> Office:
    office = Office(slug=slug, name=f"{slug} 联系点", tier=OfficeTier.NATIONAL)
    db.session.add(office)
    return office


def _probe_app(make_app: Callable[..., Flask], **config: Any) -> Flask:
    """The app with a few views that write, then succeed or fail in each way."""
    app = make_app(**config)
    probe = Blueprint("probe", __name__)

    @probe.post("/probe/saved")
    def saved() -> str:
        _office("saved")
        db.session.flush()
        after_commit(lambda: ran.append("saved"))
        return "saved"

    @probe.post("/probe/refused")
    def refused() -> str:
        _office("refused")
        db.session.flush()
        after_commit(lambda: ran.append("refused"))
        raise Conflict("Refused after a write.")

    @probe.post("/probe/reshown")
    def reshown() -> Any:
        _office("reshown")
        db.session.flush()
        form_failed(Conflict("Refused after a write."))
        return redirect("/")  # a redirect, yet the view said: nothing to keep

    @probe.post("/probe/discarded-then-written")
    def discarded_then_written() -> str:
        discard_request()
        _office("late")
        db.session.flush()
        return "ok"

    @probe.post("/probe/invalid")
    def invalid() -> tuple[str, int]:
        _office("invalid")
        db.session.flush()
        return "please correct the form", 422

    @probe.post("/probe/clash")
    @probe.post("/api/probe/clash")
    def clash() -> Any:
        _office("twin")
        _office("twin")  # the unique slug fails only when the commit flushes
        after_commit(lambda: ran.append("clash"))
        return jsonify(saved=True)

    @probe.get("/probe/flushes")
    def flushes() -> str:
        _office("from-a-get")
        db.session.flush()
        return "read"

    @probe.get("/probe/pending")
    def pending() -> str:
        _office("pending")
        return "read"

    @probe.get("/probe/updates")
    def updates() -> str:
        db.session.execute(update(Office).values(name="renamed by a GET"))
        return "read"

    @probe.get("/probe/reads")
    def reads() -> str:
        return str(db.session.scalar(select(func.count()).select_from(Office)))

    app.register_blueprint(probe)
    return app


def _offices(session: Session) -> list[str]:
    session.expire_all()
    return list(session.scalars(select(Office.slug).order_by(Office.slug)))


def test_a_successful_post_is_committed_exactly_once(
    make_app: Callable[..., Flask], db_session: Session
) -> None:
    client = _probe_app(make_app).test_client()
    ran.clear()
    with commits_counted() as commits:
        response = client.post("/probe/saved")
    assert response.status_code == 200
    assert commits == ["commit"]
    assert _offices(db_session) == ["saved"]
    assert ran == ["saved"]  # after-commit work ran, once the data was saved


def test_a_post_whose_service_raises_writes_nothing(
    make_app: Callable[..., Flask], db_session: Session
) -> None:
    client = _probe_app(make_app).test_client()
    ran.clear()
    with commits_counted() as commits:
        response = client.post("/probe/refused?lang=en")
    assert response.status_code == 409
    assert "Refused after a write." in response.get_data(as_text=True)
    assert commits == []
    assert _offices(db_session) == []
    assert ran == []  # after-commit work is dropped with the transaction


@pytest.mark.parametrize("path", ["/probe/reshown", "/probe/discarded-then-written"])
def test_a_view_that_discards_keeps_nothing_even_when_it_redirects(
    make_app: Callable[..., Flask], db_session: Session, path: str
) -> None:
    client = _probe_app(make_app).test_client()
    with commits_counted() as commits:
        response = client.post(path)
    assert response.status_code in (200, 302)
    assert commits == []
    assert _offices(db_session) == []


def test_an_error_status_rolls_back(make_app: Callable[..., Flask], db_session: Session) -> None:
    client = _probe_app(make_app).test_client()
    with commits_counted() as commits:
        assert client.post("/probe/invalid").status_code == 422
    assert commits == []
    assert _offices(db_session) == []


def test_a_commit_that_breaks_a_constraint_is_rolled_back_with_the_error_page(
    make_app: Callable[..., Flask], db_session: Session
) -> None:
    client = _probe_app(make_app).test_client()
    ran.clear()
    page = client.post("/probe/clash?lang=en")
    assert page.status_code == 500
    assert "Nothing you sent was half-saved" in page.get_data(as_text=True)
    api = client.post("/api/probe/clash")
    assert api.status_code == 500
    assert api.get_json()["error"]["code"] == "internal_error"
    assert _offices(db_session) == []
    assert ran == []
    # The session was rolled back: the next request works normally.
    assert client.post("/probe/saved").status_code == 200
    assert _offices(db_session) == ["saved"]


def test_a_commit_that_loses_the_database_is_a_503_and_writes_nothing(
    make_app: Callable[..., Flask], db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = _probe_app(make_app).test_client()

    def lost(self: Session) -> None:
        raise OperationalError("COMMIT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(flask_sqlalchemy.session.Session, "commit", lost, raising=False)
    ran.clear()
    response = client.post("/probe/saved?lang=en")
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert "cannot reach its database" in response.get_data(as_text=True)
    assert ran == []
    monkeypatch.undo()
    assert _offices(db_session) == []


@pytest.mark.parametrize("path", ["/probe/flushes", "/probe/pending", "/probe/updates"])
def test_a_get_that_writes_fails_loudly_under_testing(
    make_app: Callable[..., Flask], db_session: Session, path: str
) -> None:
    factories.make_office(db_session, slug="existing", name="原名")
    db_session.commit()
    client = _probe_app(make_app).test_client()
    with commits_counted() as commits, pytest.raises(WriteInSafeRequest, match="GET /probe/"):
        client.get(path)
    assert commits == []
    assert _offices(db_session) == ["existing"]
    assert db_session.scalar(select(Office.name)) == "原名"
    # HEAD is a GET without the body: refused all the same.
    with pytest.raises(WriteInSafeRequest, match="HEAD /probe/"):
        client.head(path)


def test_a_get_that_writes_is_rolled_back_and_logged_in_production(
    make_app: Callable[..., Flask], db_session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    client = _probe_app(make_app, TESTING=False).test_client()
    with caplog.at_level(logging.ERROR):
        response = client.get("/probe/flushes")
    assert response.status_code == 200  # the reader still gets the page
    assert _offices(db_session) == []
    assert any("safe requests never write" in r.getMessage() for r in caplog.records)


def test_a_get_that_only_reads_is_untouched(
    make_app: Callable[..., Flask], db_session: Session
) -> None:
    client = _probe_app(make_app).test_client()
    with commits_counted() as commits:
        response = client.get("/probe/reads")
    assert (response.status_code, response.get_data(as_text=True)) == (200, "0")
    assert commits == []


def test_a_real_form_refused_by_its_service_commits_nothing(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    factories.make_office(db_session, slug="hongqiao")
    db_session.commit()
    client = staff_client("admin")
    form = {"slug": "hongqiao", "name": "重名", "tier": "national", "region": "上海"}
    form |= {"timezone": "Asia/Shanghai"}
    with commits_counted() as commits:
        response = client.post("/staff/offices", data=form)
    assert response.status_code == 422
    assert commits == []
    assert _offices(db_session) == ["hongqiao"]


def test_views_never_commit_only_the_transaction_module_does() -> None:
    """Read the sources: ``.commit(`` appears in at most two places under web/, all of
    them in web/core/transaction.py."""
    places = [
        (path.relative_to(WEB).as_posix(), number)
        for path in sorted(WEB.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ".commit(" in line
    ]
    assert 1 <= len(places) <= 2, places
    assert {name for name, _ in places} == {"core/transaction.py"}
