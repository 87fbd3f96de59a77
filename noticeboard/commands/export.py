"""export [--out DIR]: write the open-data files, as /open-data serves them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from noticeboard.extensions import db
from noticeboard.services.open_data import datasets as open_data
from noticeboard.services.open_data.dictionary import datapackage
from noticeboard.services.open_data.files import csv_chunks, json_chunks


@click.command("export")
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("open-data"),
    show_default=True,
    help="Folder to write into (created when missing).",
)
@with_appcontext
def export_command(out: Path) -> None:
    """Write every open-data file (CSV, JSON and datapackage.json) into a folder.

    The same files as /open-data: laws, versions, articles, changes and public opinion
    outcomes, streamed to disk so a large database never sits in memory whole. Each file
    is written beside its final name and renamed at the end, so a reader never sees half
    a file."""
    out.mkdir(parents=True, exist_ok=True)
    session = db.session()
    open_data.prepare(session)
    session.commit()
    for dataset in open_data.DATASETS:
        counted = [0]

        def rows(dataset: str = dataset, counted: list[int] = counted) -> Iterator[list[Any]]:
            for row in open_data.rows(session, dataset):
                counted[0] += 1
                yield row

        _write(out / f"{dataset}.csv", csv_chunks(open_data.COLUMNS[dataset], rows()))
        _write(out / f"{dataset}.json", json_chunks(open_data.records(session, dataset)))
        click.echo(f"{dataset}: {counted[0]} rows")
    (out / "datapackage.json").write_text(
        json.dumps(datapackage(""), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    click.echo(f"Wrote {len(open_data.DATASETS) * 2 + 1} files to {out}.")


def _write(target: Path, chunks: Iterable[str]) -> None:
    partial = target.with_name(target.name + ".part")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        for chunk in chunks:
            handle.write(chunk)
    partial.replace(target)
