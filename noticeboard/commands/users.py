"""create-user and create-token: add a staff account, or an API token for one, from the
command line."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from noticeboard.extensions import db
from noticeboard.models import Role
from noticeboard.services.accounts.command_tokens import DEFAULT_NAME, token_for_account
from noticeboard.services.accounts.users import create_user
from noticeboard.services.errors import ServiceError
from noticeboard.services.permissions import SYSTEM


@click.command("create-user")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--office", "office_slug", help="Office slug (required for the office role).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user_command(
    email: str, role: str, office_slug: str | None, password_stdin: bool
) -> None:
    """Create a staff account; prompts for the password unless --password-stdin."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(
            db.session(),
            SYSTEM,
            email=email,
            role=role,
            password=password,
            hasher=current_app.extensions["noticeboard.hasher"],
            office_slug=office_slug,
        )
        db.session.commit()
    except ServiceError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    click.echo(f"Created {user.role.value} account {user.email}.")


@click.command("create-token")
@click.argument("email")
@click.option(
    "--name",
    default=DEFAULT_NAME,
    show_default=True,
    help="What the token is for, as the tokens screen lists it.",
)
@with_appcontext
def create_token_command(email: str, name: str) -> None:
    """Make an API token for the staff account EMAIL, as its tokens screen does; the
    token is printed alone on the last line, and shown only this once."""
    try:
        made = token_for_account(db.session(), SYSTEM, email, name)
        db.session.commit()
    except ServiceError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    click.echo(f"Made token “{made.token.name}” for {email.strip().lower()}; it is shown once.")
    click.echo(made.secret)
