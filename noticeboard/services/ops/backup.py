"""Consistent snapshots of the database and their restore.

SQLite: the online backup API copies every page under one read lock while the site runs,
into a temporary file beside the target that is renamed into place once complete (a
crash never leaves half a backup under the final name). The backup is itself a SQLite
database. PostgreSQL: ``pg_dump -Fc`` of the app's schema (one repeatable-read snapshot),
restored with ``pg_restore`` in a single transaction into an empty schema (see
``backup_postgres``).

Restoring never mixes data: the target must be empty unless ``force`` is given, in which
case its content is replaced whole.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class BackupError(RuntimeError):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    engine: str  # "sqlite" or "postgresql"
    size: int  # bytes
    tables: int


def backup_database(url: str | URL, target: str | Path) -> BackupResult:
    """Write a consistent snapshot of the database at ``url`` to ``target``."""
    parsed = make_url(url)
    path = Path(target)
    if path.is_dir():
        raise BackupError(f"{path} is a folder; give the name of the backup file to write.")
    path.parent.mkdir(parents=True, exist_ok=True)
    if parsed.get_backend_name() == "sqlite":
        tables = _backup_sqlite(_sqlite_path(parsed), path)
        return BackupResult(path, "sqlite", path.stat().st_size, tables)
    if parsed.get_backend_name() == "postgresql":
        from noticeboard.services.ops.backup_postgres import dump

        tables = dump(parsed, path)
        return BackupResult(path, "postgresql", path.stat().st_size, tables)
    raise BackupError(f"Backups of {parsed.get_backend_name()} databases are not supported.")


def restore_database(url: str | URL, source: str | Path, *, force: bool = False) -> str:
    """Restore the backup file ``source`` into the database at ``url``; returns the engine.

    The database must be empty (no tables) unless ``force``: then everything in it is
    replaced by the backup.
    """
    parsed = make_url(url)
    path = Path(source)
    kind = backup_kind(path)
    backend = parsed.get_backend_name()
    if kind != backend:
        raise BackupError(
            f"{path} is a {kind} backup but the database is {backend}: "
            "restore it into a database of the same engine."
        )
    if backend == "sqlite":
        _restore_sqlite(path, _sqlite_path(parsed), force=force)
    else:
        from noticeboard.services.ops.backup_postgres import restore

        restore(parsed, path, force=force)
    return backend


def backup_kind(path: Path) -> str:
    """``sqlite`` or ``postgresql``, from the file's first bytes."""
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise BackupError(f"No backup file at {path}.") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is not a Noticeboard backup (neither SQLite nor pg_dump -Fc).")


@contextmanager
def partial_file(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` that becomes ``target`` only on success."""
    temporary = target.with_name(f".{target.name}.partial-{os.getpid()}")
    temporary.unlink(missing_ok=True)
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(url.database)


def _table_names(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return [str(name) for (name,) in rows]


def _backup_sqlite(database: Path, target: Path) -> int:
    if not database.is_file():
        raise BackupError(f"No SQLite database at {database}.")
    with (
        partial_file(target) as temporary,
        closing(sqlite3.connect(database)) as source,
        closing(sqlite3.connect(temporary)) as copy,
    ):
        source.execute("PRAGMA busy_timeout = 5000")
        source.backup(copy)  # all pages in one step: one consistent snapshot
        # A self-contained file: no -wal beside it to forget when copying it away.
        copy.execute("PRAGMA journal_mode = DELETE")
        tables = len(_table_names(copy))
        if copy.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise BackupError("The copy failed its integrity check; nothing was written.")
    return tables


def _restore_sqlite(backup: Path, database: Path, *, force: bool) -> None:
    with closing(sqlite3.connect(backup.resolve().as_uri() + "?mode=ro", uri=True)) as source:
        if source.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise BackupError(f"{backup} is damaged (integrity check failed); nothing restored.")
        if "alembic_version" not in _table_names(source):
            raise BackupError(f"{backup} is not a Noticeboard database (no alembic_version).")
        database.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(database)) as target:
            target.execute("PRAGMA busy_timeout = 5000")
            existing = _table_names(target)
            if existing and not force:
                raise BackupError(
                    f"The database {database} is not empty ({len(existing)} tables). "
                    "Restore into an empty database, or pass --force to replace its content."
                )
            # The backup API replaces the target's pages whole, under its write lock.
            source.backup(target)
