"""demo: load the demo data."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from noticeboard.extensions import db
from noticeboard.services.demo.loader import load_demo
from noticeboard.services.demo.scale import generate_opinions
from noticeboard.services.permissions import SYSTEM

LOGINS_FILE = "demo-logins.json"


def load_demo_data() -> list[tuple[str, str, str]]:
    """Load the demo once; return the demo logins (kept in the instance folder, mode 0600,
    because the passwords are random and shown only to whoever runs the demo)."""
    report = load_demo(db.session(), current_app.extensions["noticeboard.hasher"])
    db.session.commit()
    path = Path(current_app.instance_path) / LOGINS_FILE
    if report.logins:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(report.logins, fh)
        return report.logins
    if path.exists():
        return [tuple(row) for row in json.loads(path.read_text(encoding="utf-8"))]  # type: ignore[misc]
    return []


def print_logins(logins: list[tuple[str, str, str]]) -> None:
    if not logins:
        click.echo("Demo data was loaded earlier; its logins are not known to this instance.")
        return
    click.echo("Demo staff logins (sign in at /staff/login):")
    for email, role, password in logins:
        click.echo(f"  {role:<11} {email:<38} password: {password}")


@click.command("demo")
@click.option(
    "--scale", type=click.IntRange(min=0), default=0, help="Also add N generated opinions."
)
@with_appcontext
def demo_command(scale: int) -> None:
    """Load the demo data (idempotent)."""
    from noticeboard.commands.database import upgrade_database

    upgrade_database()
    print_logins(load_demo_data())
    if scale:
        add_generated_opinions(scale)


def add_generated_opinions(count: int) -> None:
    """Generated opinions for benchmarks, committed chunk by chunk with a progress bar."""
    session = db.session()
    started = time.perf_counter()
    with click.progressbar(
        length=count, label=f"Adding {count:,} opinions", file=sys.stderr
    ) as bar:
        for chunk in generate_opinions(session, SYSTEM, count):
            session.commit()
            bar.update(chunk)
    session.commit()
    elapsed = time.perf_counter() - started
    click.echo(f"Added {count:,} opinions in {elapsed:.1f} s ({count / elapsed:,.0f} per second).")
    _refresh_statistics()


def _refresh_statistics() -> None:
    """Fresh planner statistics and visibility map after a bulk load, as autovacuum would
    give some minutes later: without them PostgreSQL guesses a few thousand rows where
    there are a million and cannot count from the indexes alone (0.2 s, not 0.01 s)."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM (ANALYZE) opinion, opinion_article")
    else:
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
