"""PostgreSQL backups: ``pg_dump -Fc`` of the app's schema, ``pg_restore`` into an empty one.

The app's schema is the first entry of its search_path (``public`` unless the URL says
``options=-csearch_path=...``). The dump is one repeatable-read snapshot, taken while the
site runs. A restore goes into the target URL's schema, which must be empty (``force``
drops and recreates it); when the dump came from a schema of another name, it is restored
under that name and then renamed, so a backup of ``public`` can land in any schema and
back. pg_restore runs in a single transaction: a failed restore writes nothing.

The client tools must be at least the server's major version: the ones in
``/usr/lib/postgresql/<major>/bin`` are preferred, then those on ``PATH``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from noticeboard.services.ops.backup import BackupError, partial_file

_TOOL_VERSION = re.compile(r"\(PostgreSQL\) (\d+)")
_TABLE_ENTRY = re.compile(r"^\d+; \d+ \d+ TABLE (?!DATA )(\S+) (\S+) ")
_SCHEMA_ENTRY = re.compile(r"^\d+; \d+ \d+ (?:SCHEMA - (\S+)|COMMENT - SCHEMA (\S+)) ")


@contextmanager
def _connect(url: URL) -> Iterator[Connection]:
    engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            yield conn
    except SQLAlchemyError as exc:
        raise BackupError(f"Cannot use the database: {getattr(exc, 'orig', exc)}") from exc
    finally:
        engine.dispose()


def app_schema(conn: Connection) -> str:
    """The schema the app's tables live in: the first usable entry of its search_path."""
    for entry in str(conn.scalar(text("SHOW search_path"))).split(","):
        name = entry.strip().strip('"')
        if name == "$user":
            user = str(conn.scalar(text("SELECT current_user")))
            if _schema_exists(conn, user):
                return user
            continue
        if name:
            return name
    return "public"


def _schema_exists(conn: Connection, name: str) -> bool:
    found = conn.scalar(text("SELECT 1 FROM pg_namespace WHERE nspname = :n"), {"n": name})
    return found is not None


def _relation_count(conn: Connection, schema: str) -> int:
    query = text(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = :s AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
    )
    return int(conn.scalar(query, {"s": schema}) or 0)


def _conninfo(url: URL) -> str:
    """A libpq connection string without the password (that goes in PGPASSWORD)."""
    params: dict[str, str] = {
        "host": url.host or "",
        "port": str(url.port or ""),
        "user": url.username or "",
        "dbname": url.database or "",
    }
    for key, value in url.query.items():
        params[key] = value if isinstance(value, str) else value[-1]

    def quoted(value: str) -> str:
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"

    return " ".join(f"{key}={quoted(value)}" for key, value in params.items() if value)


def _environment(url: URL) -> dict[str, str]:
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return env


def find_tool(name: str, server_major: int) -> str:
    """The path of ``pg_dump``/``pg_restore`` no older than the server, or BackupError."""
    candidates = [Path(f"/usr/lib/postgresql/{server_major}/bin/{name}")]
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    found_versions: list[str] = []
    for candidate in candidates:
        if not candidate.is_file():
            continue
        output = subprocess.run(  # noqa: S603 - a fixed tool name, no shell
            [str(candidate), "--version"], capture_output=True, text=True, check=False
        ).stdout
        match = _TOOL_VERSION.search(output)
        if match and int(match.group(1)) >= server_major:
            return str(candidate)
        found_versions.append(f"{candidate} is version {match.group(1) if match else '?'}")
    detail = f" ({'; '.join(found_versions)})" if found_versions else ""
    raise BackupError(
        f"{name} for PostgreSQL {server_major} or later was not found{detail}. Install the "
        f"client tools of the server's version (Debian: apt-get install "
        f"postgresql-client-{server_major}) or put them on PATH."
    )


def _run(command: list[str], url: URL, what: str) -> str:
    result = subprocess.run(  # noqa: S603 - arguments are a list, never a shell line
        command, capture_output=True, text=True, env=_environment(url), check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip() or result.returncode}")
    return result.stdout


def _server_major(conn: Connection) -> int:
    return int(str(conn.scalar(text("SHOW server_version_num")))) // 10000


def dump(url: URL, target: Path) -> int:
    """``pg_dump -Fc`` the app's schema to ``target``; returns the number of tables."""
    with _connect(url) as conn:
        schema = app_schema(conn)
        major = _server_major(conn)
        if not _schema_exists(conn, schema):
            raise BackupError(f"The schema {schema} does not exist: nothing to back up.")
    pg_dump = find_tool("pg_dump", major)
    with partial_file(target) as temporary:
        _run(
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f'--schema="{schema}"',
                f"--file={temporary}",
                f"--dbname={_conninfo(url)}",
            ],
            url,
            "pg_dump",
        )
        return sum(1 for line in _listing(temporary, major).splitlines() if _is_table(line))


def _is_table(line: str) -> bool:
    return _TABLE_ENTRY.match(line) is not None


def _listing(archive: Path, major: int) -> str:
    pg_restore = find_tool("pg_restore", major)
    result = subprocess.run(  # noqa: S603
        [pg_restore, "--list", str(archive)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{archive} cannot be read: {result.stderr.strip()}")
    return result.stdout


def restore(url: URL, source: Path, *, force: bool) -> None:
    """Restore the dump ``source`` into the (empty) schema of ``url``."""
    with _connect(url) as conn:
        major = _server_major(conn)
        listing = _listing(source, major)
        tables = [m.group(1) for m in map(_TABLE_ENTRY.match, listing.splitlines()) if m]
        if not tables:
            raise BackupError(f"{source} holds no tables: not a Noticeboard backup.")
        dumped = tables[0]
        schema = app_schema(conn)
        if _schema_exists(conn, schema) and _relation_count(conn, schema):
            if not force:
                raise BackupError(
                    f"The schema {schema} is not empty ({_relation_count(conn, schema)} "
                    "tables, sequences and views). Restore into an empty database, or pass "
                    "--force to replace its content."
                )
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        if dumped != schema and _schema_exists(conn, dumped):
            raise BackupError(
                f"The backup holds the schema {dumped}, which exists in the target database "
                f"already; restore into a database without it."
            )
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}"'))  # empty by now
        conn.execute(text(f'CREATE SCHEMA "{dumped}"'))
        # The schema is made here, so its own entries in the dump are left out.
        kept = [line for line in listing.splitlines() if not _SCHEMA_ENTRY.match(line)]
        with tempfile.NamedTemporaryFile("w", suffix=".list", delete=False) as fh:
            fh.write("\n".join(kept) + "\n")
        try:
            _run(
                [
                    find_tool("pg_restore", major),
                    "--single-transaction",
                    "--exit-on-error",
                    "--no-owner",
                    "--no-privileges",
                    f"--use-list={fh.name}",
                    f"--dbname={_conninfo(url)}",
                    str(source),
                ],
                url,
                "pg_restore",
            )
        except BackupError:
            conn.execute(text(f'DROP SCHEMA "{dumped}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
            raise
        finally:
            os.unlink(fh.name)
        if dumped != schema:
            conn.execute(text(f'ALTER SCHEMA "{dumped}" RENAME TO "{schema}"'))
