"""backup FILE / restore FILE: a consistent snapshot of the database, and its restore."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from noticeboard.extensions import db
from noticeboard.services.ops.backup import BackupError, backup_database, restore_database


def _url() -> str:
    return str(current_app.config["SQLALCHEMY_DATABASE_URI"])


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(file: Path) -> None:
    """Write a consistent snapshot of the database to FILE (safe while the site runs)."""
    try:
        result = backup_database(_url(), file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"Backed up {result.tables} tables ({result.engine}) to {result.path} "
        f"({result.size / 1_048_576:.1f} MiB)."
    )


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace the content of a database that is not empty.")
@with_appcontext
def restore_command(file: Path, force: bool) -> None:
    """Restore the backup FILE into the configured database, which must be empty."""
    if force and sys.stdin.isatty():
        click.confirm(
            "Everything in the configured database will be replaced by the backup. Go on?",
            abort=True,
            err=True,
        )
    db.engine.dispose()  # no pooled connection may hold the old database open
    try:
        engine = restore_database(_url(), file, force=force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"Restored {file} into the {engine} database. Run `noticeboard init-db` if the "
        "backup comes from an older release, to bring its schema up to date."
    )
