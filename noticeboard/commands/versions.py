"""add-version: store a draft file as a law's next version, for scripts and evaluation."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from noticeboard.diffing import DraftDecodeError, decode_bytes
from noticeboard.extensions import db
from noticeboard.models import Law
from noticeboard.services.decisions.links import completeness
from noticeboard.services.errors import ServiceError
from noticeboard.services.laws.creation import create_law
from noticeboard.services.laws.uploads import read_draft_upload
from noticeboard.services.laws.versions import add_version, publish_version
from noticeboard.services.permissions import SYSTEM


@click.command("add-version")
@click.argument("law_slug", metavar="LAW")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--title", required=True, help="The law's title, used when the law is new.")
@click.option("--title-en", help="Its English title, used when the law is new.")
@click.option("--label", default="", help="The version's name; default 'Version N'.")
@click.option("--publish", is_flag=True, help="Publish it (the completeness check is reported).")
@with_appcontext
def add_version_command(
    law_slug: str, file: Path, title: str, title_en: str | None, label: str, publish: bool
) -> None:
    """Store FILE (text in UTF-8, UTF-16 or GB18030, or a .docx) as the next version of
    the law LAW, created if new, and compare it with the previous version. Prints the new
    version's sequence number alone on the last line. All or nothing."""
    session = db.session()
    try:
        source_text = _read(file)
        law = session.scalar(select(Law).where(Law.slug == law_slug.strip().lower()))
        if law is None:
            law = create_law(session, SYSTEM, slug=law_slug, title=title, title_en=title_en)
            click.echo(f"Created the law {law.slug}.", err=True)
        elif title.strip() != law.title:
            click.echo(f"The law {law.slug} exists; its title stays {law.title}.", err=True)
        version = add_version(session, SYSTEM, law, label=label, source_text=source_text)
        click.echo(
            f"Stored {version.label} ({version.article_count} articles) of {law.slug}.", err=True
        )
        if publish:
            report = completeness(session, version)
            if not report.complete:
                click.echo(
                    f"Published although {len(report.uncredited)} changed articles have no "
                    f"linked opinion or editorial mark and {report.pending} opinions on the "
                    "previous version are pending.",
                    err=True,
                )
            # Completeness is reported, not a reason to stop: scripts load finished histories.
            publish_version(session, SYSTEM, version, force=True)
        sequence = version.sequence
        session.commit()
    except ServiceError as exc:
        session.rollback()
        raise click.ClickException(f"{exc.message} Nothing was saved.") from None
    except Exception:
        session.rollback()
        raise
    click.echo(sequence)


def _read(path: Path) -> str:
    """The file's text; encoding detected as the diff command and the staff upload do."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise click.ClickException(f"Cannot read {path}: {error.strerror or error}.") from None
    if path.suffix.lower() == ".docx":
        return read_draft_upload(path.name, data)
    try:
        return decode_bytes(data)
    except DraftDecodeError as error:
        raise click.ClickException(f"{path.name}: {error}. Nothing was saved.") from None
