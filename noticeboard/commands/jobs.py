"""worker and jobs: run the job queue's consumers, and list what they are doing."""

from __future__ import annotations

import json
import logging

import click
from flask import current_app
from flask.cli import with_appcontext

from noticeboard.extensions import db
from noticeboard.services.jobs.records import recent_jobs, view_job
from noticeboard.services.permissions import SYSTEM
from noticeboard.worker.consumer import WorkerCannotStart, run_worker
from noticeboard.worker.queue import job_queue


@click.command("worker")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes, each running one job at a time.",
)
@with_appcontext
def worker_command(workers: int) -> None:
    """Run job-queue consumers (imports, matching, notices, exports) until stopped.

    Several may run, on one machine or several sharing the database and
    NOTICEBOARD_REDIS_URL; each job runs once. SIGINT or SIGTERM stops them after the
    job in hand."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(process)d %(name)s: %(message)s")
    try:
        click.echo(f"noticeboard worker: {workers} process(es) on {job_queue(app).where}", err=True)
        run_worker(app, workers)
    except WorkerCannotStart as exc:
        raise click.ClickException(f"worker not started: {exc}") from None


@click.command("jobs")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see INTERFACES.md).")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 1000))
@with_appcontext
def jobs_command(as_json: bool, limit: int) -> None:
    """Recent jobs, newest first: id, kind, state, progress and message."""
    queue = job_queue(current_app)
    lease = current_app.config["JOB_LEASE_SECONDS"]
    views = [view_job(job, queue, lease) for job in recent_jobs(db.session(), SYSTEM, limit)]
    if as_json:
        click.echo(json.dumps([v.as_json() for v in views], ensure_ascii=False, indent=2))
        return
    if not views:
        click.echo("No jobs yet.")
        return
    for view in views:
        shown = view.as_json()
        started = view.job.created_at.strftime("%Y-%m-%d %H:%M")
        click.echo(
            f"{shown['id']}  {shown['kind']:<9} {shown['state']:<11} "
            f"{shown['progress']:>4.0%}  {started}  {shown['message']}"
        )
