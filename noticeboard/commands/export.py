"""export [--out DIR]: write the open-data files, as /open-data serves them."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from noticeboard.extensions import db
from noticeboard.services.errors import ServiceError
from noticeboard.services.open_data import datasets as open_data
from noticeboard.services.open_data.export_job import queue_export, write_open_data
from noticeboard.services.permissions import SYSTEM
from noticeboard.worker.queue import job_queue


@click.command("export")
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("open-data"),
    show_default=True,
    help="Folder to write into (created when missing).",
)
@click.option(
    "--background",
    is_flag=True,
    help="Queue the export as a job; a worker writes the folder. Prints the job id last.",
)
@with_appcontext
def export_command(out: Path, background: bool) -> None:
    """Write every open-data file (CSV, JSON and datapackage.json) into a folder.

    The same files as /open-data: laws, versions, articles, changes and public opinion
    outcomes, streamed to disk so a large database never sits in memory whole. Each file
    is written beside its final name and renamed at the end, so a reader never sees half
    a file."""
    session = db.session()
    if background:
        try:
            job = queue_export(session, SYSTEM, job_queue(current_app), out.resolve())
            session.commit()
        except ServiceError as exc:
            session.rollback()
            raise click.ClickException(exc.message) from None
        click.echo(f"Queued the export to {out.resolve()}.", err=True)
        click.echo(job.id)
        return
    open_data.prepare(session)
    session.commit()
    counts = write_open_data(session, out)
    for dataset, rows in counts.items():
        click.echo(f"{dataset}: {rows} rows")
    click.echo(f"Wrote {len(counts) * 2 + 1} files to {out}.")
