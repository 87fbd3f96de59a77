"""No N+1 queries: every public page and staff list runs as many SQL statements on a
database three times the size as on a small one.

The data grows where each page would feel it: more laws (home, laws, stats, search),
more opinions, decisions and links on the law and office being shown (law page,
change, adoption board, office, kiosk JSON, staff lists), more offices. The cache is
emptied before each request, so every page is built from the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from noticeboard.extensions import cache, db
from noticeboard.models import Change, ChangeLink, Law, Outcome, ReasonCode
from noticeboard.services.decisions.links import QUIET_KINDS, link_opinion
from noticeboard.services.decisions.outcomes import DecisionInput, decide_opinion
from noticeboard.services.laws.comparisons import stored_between
from noticeboard.services.permissions import SYSTEM
from tests import factories

V1 = (
    "第一条 为了保护未成年人，制定本法。\n"
    "第二条 本法所称未成年人是指未满十八周岁的公民。\n"
    "第三条 国家保障未成年人的生存权、发展权、受保护权、参与权等权利。\n"
    "第四条 保护未成年人，应当坚持最有利于未成年人的原则。\n"
    "第五条 学校应当建立学生欺凌防控工作制度。\n"
)
V2 = (
    "第一条 为了保护未成年人身心健康，保障未成年人合法权益，制定本法。\n"
    "第二条 未成年人保护工作应当坚持中国共产党的领导。\n"
    "第三条 本法所称未成年人是指未满十八周岁的公民。\n"
    "第四条 国家保障未成年人的生存权、发展权、受保护权、参与权等权利，不受歧视。\n"
    "第五条 保护未成年人，应当坚持最有利于未成年人的原则。\n"
    "第六条 学校应当建立学生欺凌防控工作制度，对教职员工、学生等开展培训。\n"
)


def _grow(session: Session, laws: range, opinions: int) -> None:
    """Add laws ``law-<n>`` (two versions each) and ``opinions`` opinions on every law
    from ``laws`` and on law-0: a third adopted and linked, a third not adopted."""
    offices = [factories.make_office(session, slug=s) for s in ("hongqiao", "lintao")]
    factories.make_office(session, slug=f"extra-{laws.start}")
    for n in laws:
        law = factories.make_law(session, slug=f"law-{n}", title=f"未成年人保护法{n}")
        factories.make_version(session, law, V1, label="一审稿")
        factories.make_version(session, law, V2, label="二审稿")
    for n in {0, *laws}:
        law = session.scalars(select(Law).where(Law.slug == f"law-{n}")).one()
        old, new = sorted(law.versions, key=lambda v: v.sequence)[:2]
        comparison = stored_between(session, old, new)
        assert comparison is not None
        changes = list(
            session.scalars(
                select(Change).where(
                    Change.comparison_id == comparison.id, Change.kind.not_in(QUIET_KINDS)
                )
            )
        )
        for i in range(opinions):
            opinion = factories.make_opinion(
                session,
                old,
                office=offices[i % 2],
                articles=[old.articles[i % len(old.articles)]],
                text=f"意见{i}：建议加强学校保护。",
                summary=f"建议{i}",
                contributor_name=f"王芳{i}",
                name_public=True,
            )
            if i % 3 == 0:
                link_opinion(session, SYSTEM, changes[i % len(changes)], opinion)
                decide_opinion(
                    session, SYSTEM, opinion, DecisionInput(Outcome.ADOPTED), lock_version=None
                )
            elif i % 3 == 1:
                data = DecisionInput(Outcome.NOT_ADOPTED, ReasonCode.ALREADY_COVERED, "已有规定")
                decide_opinion(session, SYSTEM, opinion, data, lock_version=None)
    session.commit()


@contextmanager
def _counting(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


PUBLIC = [
    "/",
    "/laws",
    "/laws/law-0",
    "/laws/law-0/compare",
    "/laws/law-0/articles/{article}",
    "/laws/law-0/changes/{change}",
    "/laws/law-0/adopted",
    "/offices",
    "/offices/hongqiao",
    "/stats",
    "/search?q=未成年人",
    "/api/v1/boards/hongqiao",
    "/board/hongqiao",
    "/feeds/adopted.atom",
    "/laws/law-0/adopted.atom",
    "/offices/hongqiao/adopted.atom",
    "/open-data",
]
STAFF = [
    "/staff/",
    "/staff/laws",
    "/staff/laws/law-0",
    "/staff/laws/law-0/report",
    "/staff/opinions",
    "/staff/opinions?law=law-0",
    "/staff/changes/{change}",
    "/staff/offices",
    "/staff/accounts",
]


def _measure(
    client: FlaskClient, staff: FlaskClient, engine: Engine, ids: dict[str, Any]
) -> dict[str, int]:
    counts: dict[str, int] = {}
    for pages, who in ((PUBLIC, client), (STAFF, staff)):
        for page in pages:
            path = page.format(**ids)
            with client.application.app_context():
                cache.clear()  # every page built from the database, not remembered
            with _counting(engine) as statements:
                response = who.get(path)
            assert response.status_code == 200, (path, response.status_code)
            counts[page] = len(statements)
    with _counting(engine) as statements:
        response = client.post("/track", data={"code": ids["code"]})
    assert response.status_code == 200
    assert ids["code"][:4] in response.get_data(as_text=True)  # the result, not the form
    counts["POST /track (found)"] = len(statements)
    return counts


@pytest.fixture
def quiet_app(make_app: Callable[..., Flask]) -> Flask:
    app: Flask = make_app()
    return app


def test_no_page_runs_more_queries_on_more_data(quiet_app: Flask, db_session: Session) -> None:
    from noticeboard.models import Opinion

    _grow(db_session, range(0, 1), opinions=6)
    admin = factories.make_user(db_session, role="admin")
    db_session.commit()
    client = quiet_app.test_client()
    staff = quiet_app.test_client()
    login = {"email": admin.email, "password": factories.PASSWORD}
    assert staff.post("/staff/login", data=login).status_code == 302
    adopted = db_session.scalars(
        select(Opinion).where(Opinion.outcome == Outcome.ADOPTED).order_by(Opinion.id)
    ).first()
    assert adopted is not None
    link = db_session.scalars(select(ChangeLink).order_by(ChangeLink.id)).first()
    assert link is not None
    ids = {
        # An article with an adopted opinion, so the small data shows every part of the page.
        "article": adopted.articles[0].key,
        "change": link.change_id,
        "code": adopted.receipt_code,
    }
    with quiet_app.app_context():
        engine = db.engine

    small = _measure(client, staff, engine, ids)
    _grow(db_session, range(1, 4), opinions=18)
    large = _measure(client, staff, engine, ids)

    grown = {page: (small[page], large[page]) for page in small if large[page] > small[page]}
    assert not grown, f"queries per page grew with the data (small, large): {grown}"
