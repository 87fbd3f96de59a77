"""The ``noticeboard`` console script: a Flask CLI group with the project's commands."""

from __future__ import annotations

from typing import Any

import click
from flask import Flask
from flask.cli import FlaskGroup

from noticeboard.commands.backup import backup_command, restore_command
from noticeboard.commands.database import init_db_command
from noticeboard.commands.demo import demo_command
from noticeboard.commands.export import export_command
from noticeboard.commands.jobs import jobs_command, worker_command
from noticeboard.commands.opinions import erase_contacts_command, import_opinions_command
from noticeboard.commands.serve import serve_command
from noticeboard.commands.triage import triage_command
from noticeboard.commands.users import create_token_command, create_user_command
from noticeboard.commands.versions import add_version_command


def create_cli_app(**_: Any) -> Flask:
    from noticeboard.app import create_app

    # Commands such as init-db or diff serve no pages, so they need no secret key;
    # `serve` builds its own app and enforces it.
    return create_app({"REQUIRE_SECRET_KEY": False})


@click.group(cls=FlaskGroup, create_app=create_cli_app, add_version_option=False)
@click.version_option(package_name="noticeboard")
def main() -> None:
    """Noticeboard: drafts, diffs, adoption boards and receipt lookup."""


for command in (serve_command, init_db_command, demo_command, create_user_command):
    main.add_command(command)
main.add_command(backup_command)
main.add_command(restore_command)
main.add_command(export_command)
main.add_command(import_opinions_command)
main.add_command(erase_contacts_command)
main.add_command(worker_command)
main.add_command(jobs_command)
main.add_command(add_version_command)
main.add_command(triage_command)
main.add_command(create_token_command)

try:  # the diff command lives with the diff engine
    from noticeboard.commands.diff import diff_command
except ImportError:  # pragma: no cover - only while the engine is being written
    pass
else:
    main.add_command(diff_command)
