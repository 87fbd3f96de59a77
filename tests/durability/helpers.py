"""Seeding a small but complete database, and reading every table row by row."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, MetaData, Table, select
from sqlalchemy.orm import Session

from noticeboard.extensions import db
from noticeboard.services.offices import create_collection_point
from noticeboard.services.permissions import SYSTEM
from tests import factories

Snapshot = dict[str, list[tuple[Any, ...]]]


def seed_world(session: Session) -> dict[str, Any]:
    """Every kind of row the site stores: offices, users, laws, two versions with their
    articles and comparison, opinions linked to articles, audit events."""
    office = factories.make_office(session, slug="hongqiao")
    create_collection_point(session, SYSTEM, office, slug="teahouse", name="社区茶馆")
    factories.make_user(session, role="office", office=office)
    law = factories.make_law(session, slug="minors", title="未成年人保护法")
    first = factories.make_version(session, law, label="一审稿")
    second = factories.make_version(session, law, factories.DRAFT_V2, label="二审稿")
    for n in range(3):
        factories.make_opinion(
            session,
            second,
            office=office,
            articles=second.articles[n : n + 2],
            text=f"第{n + 1}条意见：建议增加学校保护的内容。",
            contributor_name="王芳" if n == 0 else "",
        )
    session.commit()
    return {"law": law, "first": first, "second": second, "office": office}


def _tables(engine: Engine) -> list[Table]:
    """The models' tables and Alembic's version table, reflected so nothing is missed."""
    reflected = MetaData()
    reflected.reflect(engine)
    names = set(reflected.tables)
    assert set(db.metadata.tables) <= names, set(db.metadata.tables) - names
    return [reflected.tables[name] for name in sorted(names)]


def snapshot(engine: Engine) -> Snapshot:
    """Every row of every table, in primary-key order."""
    result: Snapshot = {}
    with engine.connect() as conn:
        for table in _tables(engine):
            order = list(table.primary_key.columns) or list(table.columns)
            rows = conn.execute(select(table).order_by(*order))
            result[table.name] = [tuple(row) for row in rows]
    return result
