"""Writing the open-data files to a folder: ``noticeboard export``, at once or as a job.

Each file is written beside its final name and renamed at the end, so a reader (a web
server publishing the folder, a data portal harvesting it) never sees half a file; the
files are streamed, so a large database never sits in memory whole.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from noticeboard.models import Job, JobKind
from noticeboard.services.jobs.messages import WRITING, job_message
from noticeboard.services.jobs.queue import JobQueue
from noticeboard.services.jobs.records import create_job
from noticeboard.services.jobs.running import JobContext, JobFailed, JobResult
from noticeboard.services.open_data import datasets as open_data
from noticeboard.services.open_data.dictionary import datapackage
from noticeboard.services.open_data.files import csv_chunks, json_chunks
from noticeboard.services.permissions import Actor, Permission, require

WRITTEN = job_message("open-data files written")
NO_FOLDER = job_message("the folder for the open-data files cannot be written: nothing was changed")


def write_open_data(
    session: Session, out: Path, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Write every dataset as CSV and JSON, and datapackage.json, into ``out``; the rows
    of each dataset. Call ``open_data.prepare`` and commit first."""
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for index, dataset in enumerate(open_data.DATASETS):
        counted = [0]

        def rows(dataset: str = dataset, counted: list[int] = counted) -> Iterator[list[Any]]:
            for row in open_data.rows(session, dataset):
                counted[0] += 1
                yield row

        _write(out / f"{dataset}.csv", csv_chunks(open_data.COLUMNS[dataset], rows()))
        _write(out / f"{dataset}.json", json_chunks(open_data.records(session, dataset)))
        counts[dataset] = counted[0]
        if progress is not None:
            progress(dataset, index + 1)
    _write(
        out / "datapackage.json", [json.dumps(datapackage(""), ensure_ascii=False, indent=2) + "\n"]
    )
    return counts


def _write(target: Path, chunks: Iterable[str]) -> None:
    partial = target.with_name(target.name + ".part")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        for chunk in chunks:
            handle.write(chunk)
    partial.replace(target)


def queue_export(session: Session, actor: Actor, queue: JobQueue, out: Path) -> Job:
    """An export job writing into ``out`` (a folder on the worker's machine)."""
    require(actor, Permission.MANAGE_LAWS)
    return create_job(session, actor, queue, JobKind.EXPORT, params={"out": str(out)})


def run_export(context: JobContext) -> JobResult:
    out = Path(context.params["out"])
    total = len(open_data.DATASETS)
    # Missing comparisons are stored and committed first: they are right whatever happens
    # to the files, and on SQLite the progress commits must not wait behind them.
    open_data.prepare(context.work)
    context.work.commit()
    context.progress(0, total, WRITING)
    try:
        counts = write_open_data(
            context.work, out, lambda _dataset, done: context.progress(done, total)
        )
    except OSError as exc:
        raise JobFailed(NO_FOLDER, result={"reason": str(exc)}) from None
    return JobResult({"rows": counts, "out": str(out)}, WRITTEN, total)
