"""init-db: create or upgrade the database schema."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade


def upgrade_database() -> None:
    """Bring the database to the latest migration (creates it when empty)."""
    upgrade(directory=current_app.extensions["migrate"].directory)


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or upgrade the database to the latest migration."""
    upgrade_database()
    click.echo(f"Database ready: {_safe_url()}")


def _safe_url() -> str:
    from sqlalchemy.engine import make_url

    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).render_as_string(
        hide_password=True
    )
