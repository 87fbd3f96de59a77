"""No template runs a query, and no view builds SQL.

Every page the security crawl opens, as every role, renders from what its view handed
over, and the view got it from a service.

The test app loads every relationship with raiseload (RAISELOAD_RELATIONSHIPS), so a lazy
load raises and the crawl sees a 500; and a ``before_cursor_execute`` listener counts the
statements sent between Flask's ``before_render_template`` and ``template_rendered``
signals, which catches what raiseload cannot: an attribute refreshed after a commit, or
a query a template helper runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, before_render_template, request, request_started, template_rendered
from sqlalchemy import event, select
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.orm import Session, selectinload

from noticeboard.extensions import cache, db
from noticeboard.models import Law
from tests import factories
from tests.security import crawl
from tests.security import world as world_module
from tests.security.world import ROLES


class TemplateQueries:
    """The statements sent while a template renders, by page and template."""

    def __init__(self) -> None:
        self.role = ""
        self.rendering: list[str] = []
        self.found: dict[str, list[str]] = {}
        self.templates: set[str] = set()

    def started(self, _app: Flask, template: Any, **_extra: Any) -> None:
        self.rendering.append(template.name or "?")

    def finished(self, _app: Flask, template: Any, **_extra: Any) -> None:
        self.templates.add(self.rendering.pop())

    def statement(self, *args: Any) -> None:
        if self.rendering:
            where = f"{self.role} {request.full_path.rstrip('?')} ({self.rendering[-1]})"
            self.found.setdefault(where, []).append(" ".join(str(args[2]).split())[:160])


def _fresh_cache(app: Flask, **_extra: Any) -> None:
    cache.clear()  # every page built from the database, never from an earlier answer


@contextmanager
def counting_template_queries(app: Flask) -> Iterator[TemplateQueries]:
    seen = TemplateQueries()
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", seen.statement)
    before_render_template.connect(seen.started, app)
    template_rendered.connect(seen.finished, app)
    request_started.connect(_fresh_cache, app)
    try:
        yield seen
    finally:
        request_started.disconnect(_fresh_cache, app)
        template_rendered.disconnect(seen.finished, app)
        before_render_template.disconnect(seen.started, app)
        event.remove(engine, "before_cursor_execute", seen.statement)


def test_raiseload_is_on_for_the_test_app(app: Flask) -> None:
    assert app.config["RAISELOAD_RELATIONSHIPS"] is True


def test_a_lazy_load_raises_in_a_request_only(
    app: Flask, make_app: Callable[..., Flask], db_session: Session
) -> None:
    factories.make_version(db_session, factories.make_law(db_session, slug="minors"))
    db_session.commit()
    with app.test_request_context():
        law = db.session.scalars(select(Law)).one()
        with pytest.raises(InvalidRequestError, match="lazy='raise'"):
            _ = law.versions
        eager = db.session.scalars(select(Law).options(selectinload(Law.versions))).one()
        assert len(eager.versions) == 1
        with pytest.raises(InvalidRequestError, match="lazy='raise'"):
            _ = eager.versions[0].articles  # nested: what the query did not load raises too
    with app.app_context():  # a console command or a job: no request, lazy loads work
        assert len(db.session.scalars(select(Law)).one().versions) == 1
    with make_app(RAISELOAD_RELATIONSHIPS=False).test_request_context():  # production
        assert len(db.session.scalars(select(Law)).one().versions) == 1


def test_no_page_queries_while_its_template_renders(app: Flask, db_session: Session) -> None:
    world = world_module.build(db_session)
    groups = crawl.groups_from_db(db_session)
    urls = crawl.urls_for(app, crawl.get_rules(app, staff=True), groups) + crawl.urls_for(
        app, crawl.get_rules(app, staff=False), groups
    )
    clients = world_module.clients(app, world)
    found = crawl.Crawl()
    with counting_template_queries(app) as seen:
        for role in ROLES:
            seen.role = role
            crawl.crawl(clients[role], urls, found=found)
    # Lazy loads raise under raiseload: a page that still needs one is a 500 here.
    assert not found.problems, "\n".join(found.problems)
    assert seen.found == {}, "\n".join(f"{page}: {len(q)} {q}" for page, q in seen.found.items())
    # The walk did render the site, the staff screens that used to query included.
    assert len(urls) > 80
    assert len(seen.templates) > 30, sorted(seen.templates)
    assert {
        "staff/laws/show.html",
        "staff/opinions/show.html",
        "staff/decisions/opinion.html",
        "staff/offices/show.html",
        "staff/dashboard.html",
        "core/error.html",
    } <= seen.templates


WEB = Path(__file__).resolve().parents[3] / "noticeboard" / "web"
# What builds or runs SQL. The exceptions a view catches (sqlalchemy.exc, and
# sqlalchemy.orm.exc) are not SQL, and neither is Flask's own `session.get`.
BUILDS_SQL = re.compile(
    r"\bselect\(|\.scalars?\(|\.execute\(|db\.session\.get\(|\.query\("
    r"|^from sqlalchemy(?:\.orm)? import (?!.*Error)|^import sqlalchemy",
    re.MULTILINE,
)


def test_no_view_builds_sql() -> None:
    found = [
        f"{path.relative_to(WEB.parent)}:{text[: m.start()].count(chr(10)) + 1}: {m.group()}"
        for path in sorted(WEB.rglob("*.py"))
        for text in [path.read_text(encoding="utf-8")]
        for m in BUILDS_SQL.finditer(text)
    ]
    # The commit-once handler listens to the session's events; the background import
    # opens its own sessions on the app's engine. Neither builds a query.
    allowed = {"web/core/transaction.py", "web/staff/imports.py"}
    assert [f for f in found if f.split(":")[0] not in allowed] == []
    assert len(list(WEB.rglob("*.py"))) > 30  # looking in the right place
