"""triage: group and match a law's opinions now, then write the triage report (JSON)."""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.extensions import db
from noticeboard.models import DraftVersion, Law
from noticeboard.services.errors import ServiceError
from noticeboard.services.laws.comparisons import comparison_between
from noticeboard.services.triage.report import ScoredPair, TriageReport, triage_report


@click.command("triage")
@click.argument("law_slug", metavar="LAW")
@click.option("--from", "from_sequence", type=click.IntRange(min=1), help="Version (sequence).")
@click.option("--to", "to_sequence", type=click.IntRange(min=1), help="Later version (sequence).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the report here instead of to standard output.",
)
@with_appcontext
def triage_command(
    law_slug: str, from_sequence: int | None, to_sequence: int | None, out: Path | None
) -> None:
    """Cluster the opinions of LAW and match them to the changes between two versions
    (default: the last two), now, then write the triage report as JSON. Progress goes to
    standard error; the clustering and matching are kept (committed batch by batch)."""
    # Imported here: the engines load their libraries (MinHash, the tokenizer) only for
    # the commands that use them, not for every `noticeboard` call.
    from noticeboard.services.triage.matching import match_against
    from noticeboard.services.triage.refresh import triage_law

    session = db.session()
    started = time.perf_counter()
    try:
        law, old, new = _versions(session, law_slug, from_sequence, to_sequence)
        law_id = law.id
        comparison_between(session, old, new)  # stored already for consecutive versions
        session.commit()

        def progress(done: int, total: int, phase: str) -> None:
            click.echo(f"{phase}: {done:,} of {total:,}", err=True)

        counts = triage_law(session, law_id, session.commit, progress)
        click.echo(
            f"Clustered {counts['clustered']:,} and matched {counts['matched']:,} opinions "
            f"in {time.perf_counter() - started:.1f} s.",
            err=True,
        )
        comparison = comparison_between(session, old, new)

        def matcher(ids: Sequence[int]) -> Mapping[int, Sequence[ScoredPair]]:
            return match_against(session, comparison, ids)

        report = triage_report(session, law, old, new, matcher=matcher)
        session.rollback()  # the report only read
    except ServiceError as exc:
        session.rollback()
        raise click.ClickException(exc.message) from None
    _write(report, out)
    click.echo(
        f"{report.opinions:,} opinions, {len(report.clusters):,} clusters, "
        f"{len(report.changes):,} changes; {time.perf_counter() - started:.1f} s in all.",
        err=True,
    )


def _versions(
    session: Session, slug: str, from_sequence: int | None, to_sequence: int | None
) -> tuple[Law, DraftVersion, DraftVersion]:
    law = session.scalar(select(Law).where(Law.slug == slug.strip().lower()))
    if law is None:
        raise click.ClickException(f"No law with the slug {slug}.")
    sequences = list(
        session.scalars(
            select(DraftVersion.sequence)
            .where(DraftVersion.law_id == law.id)
            .order_by(DraftVersion.sequence)
        )
    )
    if len(sequences) < 2:
        raise click.ClickException(f"The law {law.slug} has fewer than two versions.")
    to_sequence = to_sequence if to_sequence is not None else sequences[-1]
    if from_sequence is None:
        earlier = [s for s in sequences if s < to_sequence]
        if not earlier:
            raise click.ClickException(f"No version comes before version {to_sequence}.")
        from_sequence = earlier[-1]
    for sequence in (from_sequence, to_sequence):
        if sequence not in sequences:
            raise click.ClickException(f"The law {law.slug} has no version {sequence}.")
    if from_sequence >= to_sequence:
        raise click.ClickException("--from must be an earlier version than --to.")
    by_sequence = {
        v.sequence: v
        for v in session.scalars(
            select(DraftVersion).where(
                DraftVersion.law_id == law.id,
                DraftVersion.sequence.in_([from_sequence, to_sequence]),
            )
        )
    }
    return law, by_sequence[from_sequence], by_sequence[to_sequence]


def _write(report: TriageReport, out: Path | None) -> None:
    if out is None:
        report.write_json(sys.stdout)
        return
    try:
        with out.open("w", encoding="utf-8") as stream:
            report.write_json(stream)
    except OSError as error:
        raise click.ClickException(f"Cannot write {out}: {error.strerror or error}.") from None
    click.echo(f"Wrote the triage report to {out}.", err=True)
