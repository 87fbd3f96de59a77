"""import-opinions and erase-contacts: opinion housekeeping from the command line."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from noticeboard.extensions import db
from noticeboard.services.errors import ServiceError
from noticeboard.services.imports.files import open_table
from noticeboard.services.imports.jobs import start_import
from noticeboard.services.imports.opinion_import import ImportReport, check_import, save_import
from noticeboard.services.opinions.contributors import sweep_closed_contacts
from noticeboard.services.permissions import SYSTEM
from noticeboard.worker.queue import job_queue

SHOWN_ERRORS = 200


@click.command("import-opinions")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--law", "law_slug", help="Law slug for files without a law column.")
@click.option("--dry-run", is_flag=True, help="Check every row; save nothing.")
@click.option(
    "--background",
    is_flag=True,
    help="Queue the import as a job for a worker; print its id alone on the last line.",
)
@with_appcontext
def import_opinions_command(
    file: Path, law_slug: str | None, dry_run: bool, background: bool
) -> None:
    """Import opinions from a CSV or XLSX file: every row is checked, then all are saved
    or none. Problems are listed by row number; the exit status is 1 when there are any.
    With --background a worker does it; `noticeboard jobs` shows how it went."""
    session = db.session()
    if background:
        _queue_import(file, law_slug, dry_run)
        return
    started = time.perf_counter()
    try:
        with file.open("rb") as stream:
            table = open_table(stream)
            with click.progressbar(
                length=max(table.estimated_rows or 0, 1),
                label=f"Checking {file.name}",
                show_pos=True,
                file=sys.stderr,
            ) as bar:

                def progress(rows: int) -> None:
                    bar.update(max(0, min(rows, bar.length) - bar.pos))

                report = check_import(session, SYSTEM, table, law_slug=law_slug, progress=progress)
        if not report.ok:
            session.rollback()
            _print_problems(report)
            raise click.ClickException(
                f"{report.error_count} problem(s) in {report.rows} rows; nothing was saved."
            )
        if dry_run:
            session.rollback()
            click.echo(f"All {report.rows} rows are good; nothing was saved (--dry-run).")
            return
        click.echo(f"All {report.rows} rows are good; saving…", err=True)
        created = save_import(session, SYSTEM, report, source_name=file.name, law_slug=law_slug)
        session.commit()
    except ServiceError as exc:
        session.rollback()
        raise click.ClickException(f"{exc.message} Nothing was saved.") from None
    except (OSError, UnicodeError, ValueError) as exc:
        session.rollback()
        raise click.ClickException(f"Cannot read {file.name}: {exc}. Nothing was saved.") from None
    elapsed = time.perf_counter() - started
    click.echo(
        f"Imported {created} opinions from {file.name} in {elapsed:.1f} s; "
        "each has its receipt code."
    )


def _queue_import(file: Path, law_slug: str | None, dry_run: bool) -> None:
    session = db.session()
    try:
        job = start_import(
            session,
            SYSTEM,
            job_queue(current_app),
            filename=file.name,
            law_slug=law_slug,
            dry_run=dry_run,
            payload=file.read_bytes(),
        )
        session.commit()
    except ServiceError as exc:
        session.rollback()
        raise click.ClickException(exc.message) from None
    session.refresh(job)
    if job.state.finished:  # the queue refused it after the commit (or, immediate, ran it)
        click.echo(f"The import job {job.id} is {job.state.value}: {job.message}", err=True)
    click.echo(
        f"Queued the import of {file.name}; `noticeboard jobs` shows its progress.", err=True
    )
    click.echo(job.id)


def _print_problems(report: ImportReport) -> None:
    for error in report.errors[:SHOWN_ERRORS]:
        click.echo(f"  {error}", err=True)
    if report.error_count > SHOWN_ERRORS:
        click.echo(f"  … and {report.error_count - SHOWN_ERRORS} more.", err=True)


@click.command("erase-contacts")
@with_appcontext
def erase_contacts_command() -> None:
    """Erase the contact details still kept on closed opinions (the contact rule); those
    kept for an outcome notice not yet sent stay, up to NOTICEBOARD_CONTACT_RETENTION_DAYS."""
    days = int(current_app.config["CONTACT_RETENTION_DAYS"])
    count = sweep_closed_contacts(db.session(), SYSTEM, retention_days=days)
    db.session.commit()
    click.echo(f"Erased the contact of {count} closed opinion(s).")
