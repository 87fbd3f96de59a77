"""Seeding a small but complete database, and reading every table row by row."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, MetaData, Table, event, select, text
from sqlalchemy.orm import Session

from noticeboard.extensions import db
from noticeboard.services.accounts.offices import create_collection_point
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
            if table.name == RowFault.TABLE:
                continue
            order = list(table.primary_key.columns) or list(table.columns)
            rows = conn.execute(select(table).order_by(*order))
            result[table.name] = [tuple(row) for row in rows]
    return result


class InjectedFailure(RuntimeError):
    """Raised by ``FailOnInsert``: a fault in the middle of a write."""


class FailOnInsert:
    """A ``before_cursor_execute`` hook that lets ``nth - 1`` INSERT statements through
    (into ``table`` when given; an executemany counts once per row) and raises on the
    next, with ``error`` (an InjectedFailure by default)."""

    def __init__(self, nth: int, table: str | None = None, error: Exception | None = None) -> None:
        self.nth, self.table, self.error = nth, table, error
        self.seen = 0
        self.fired = False

    def matches(self, statement: str) -> bool:
        head = statement.lstrip()[:200].upper()
        if not head.startswith("INSERT"):
            return False
        if self.table is None:
            return True
        return head.startswith(
            (f"INSERT INTO {self.table.upper()} ", f'INSERT INTO "{self.table.upper()}" ')
        )

    def __call__(
        self, _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool
    ) -> None:
        if self.fired or not self.matches(statement):
            return
        rows = len(parameters) if many else 1
        if self.seen < self.nth <= self.seen + rows:
            self.fired = True
            raise self.error or InjectedFailure(f"injected at insert {self.nth}")
        self.seen += rows


@contextmanager
def failing_inserts(engine: Engine, hook: FailOnInsert) -> Iterator[FailOnInsert]:
    event.listen(engine, "before_cursor_execute", hook)
    try:
        yield hook
    finally:
        event.remove(engine, "before_cursor_execute", hook)


class RowFault:
    """A real fault inside the database: triggers on every table count the rows
    inserted and abort the statement that inserts row ``nth`` (counted from ``arm``).

    Server-side, so it catches every way of writing (ORM, executemany, COPY), and the
    counter lives in a table of its own: a transaction that is rolled back takes its
    counts back with it.
    """

    TABLE = "nb_fault"

    def __init__(self, engine: Engine, tables: list[str]) -> None:
        self.engine, self.tables = engine, tables
        self.postgres = engine.dialect.name == "postgresql"

    def install(self) -> None:
        with self.engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE nb_fault (nth INTEGER, seen INTEGER)")
            conn.exec_driver_sql("INSERT INTO nb_fault VALUES (0, 0)")
            if self.postgres:
                conn.exec_driver_sql(
                    "CREATE FUNCTION nb_fault_fire() RETURNS trigger AS $$ BEGIN "
                    "UPDATE nb_fault SET seen = seen + 1; "
                    "IF (SELECT nth > 0 AND seen >= nth FROM nb_fault) THEN "
                    "RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END $$ "
                    "LANGUAGE plpgsql"
                )
            for table in self.tables:
                if self.postgres:
                    conn.exec_driver_sql(
                        f'CREATE TRIGGER nb_fault_{table} BEFORE INSERT ON "{table}" '
                        "FOR EACH ROW EXECUTE FUNCTION nb_fault_fire()"
                    )
                else:
                    conn.exec_driver_sql(
                        f'CREATE TRIGGER nb_fault_{table} BEFORE INSERT ON "{table}" BEGIN '  # noqa: S608 - names from the models
                        "UPDATE nb_fault SET seen = seen + 1; "
                        "SELECT RAISE(ABORT, 'injected fault') WHERE "
                        "(SELECT nth > 0 AND seen >= nth FROM nb_fault); END"
                    )

    def arm(self, nth: int) -> None:
        """Fail at the ``nth`` inserted row from now on (0: never)."""
        with self.engine.begin() as conn:
            conn.execute(text("UPDATE nb_fault SET nth = :n, seen = 0"), {"n": nth})

    @property
    def seen(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.exec_driver_sql("SELECT seen FROM nb_fault").scalar_one())

    def remove(self) -> None:
        with self.engine.begin() as conn:
            for table in self.tables:
                trigger = f"nb_fault_{table}"
                if self.postgres:
                    conn.exec_driver_sql(f'DROP TRIGGER IF EXISTS {trigger} ON "{table}"')
                else:
                    conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
            if self.postgres:
                conn.exec_driver_sql("DROP FUNCTION IF EXISTS nb_fault_fire()")
            conn.exec_driver_sql("DROP TABLE IF EXISTS nb_fault")


@contextmanager
def row_fault(engine: Engine) -> Iterator[RowFault]:
    """Fault triggers on every table of the models, removed afterwards."""
    fault = RowFault(engine, sorted(db.metadata.tables))
    fault.install()
    try:
        yield fault
    finally:
        fault.remove()
