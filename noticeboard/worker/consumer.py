"""Workers: ``noticeboard worker`` runs Huey consumers; ``serve --demo`` runs one in its
own process so the one-command demo needs nothing else."""

from __future__ import annotations

import logging
import threading

from flask import Flask
from huey.consumer import Consumer
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from noticeboard.extensions import db
from noticeboard.services.errors import QueueUnavailable
from noticeboard.worker.notices import queue_due_notices
from noticeboard.worker.queue import job_queue
from noticeboard.worker.tasks import backfill_in_app, sweep_in_app

log = logging.getLogger(__name__)


class Sweeper:
    """A thread in each worker process that sweeps for jobs whose worker died, three
    times per lease, so a killed worker's job is interrupted (or queued again) within
    about a lease and a third. Sweeps are compare-and-set: several workers may sweep."""

    def __init__(self, app: Flask) -> None:
        self._app = app
        self._every = max(app.config["JOB_LEASE_SECONDS"] / 3, 0.5)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="job-sweeper", daemon=True)

    def start(self) -> Sweeper:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            try:
                sweep_in_app(self._app, job_queue(self._app))
                queue_due_notices(self._app)
            except Exception:  # the next sweep tries again; a sweeper must not die
                log.exception("sweep for stopped jobs failed")


class WorkerCannotStart(RuntimeError):
    """The database or the queue cannot be reached; the message is one line."""


def check_reachable(app: Flask) -> None:
    """Raise WorkerCannotStart unless the database and the queue both answer."""
    queue = job_queue(app)
    with app.app_context():
        try:
            with db.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
            raise WorkerCannotStart(f"cannot reach the database: {reason}") from None
        finally:
            db.engine.dispose()
    try:
        queue.check()
    except QueueUnavailable as exc:
        raise WorkerCannotStart(
            f"cannot reach the job queue at {queue.where}: {exc.__cause__}"
        ) from None


def build_consumer(app: Flask, workers: int) -> Consumer:
    """Consumers in processes of their own (a job's memory goes back when its process
    is replaced, and a crash takes one job down, not the others)."""
    queue = job_queue(app)
    huey = queue.huey

    @huey.on_startup(name="noticeboard.worker_start")
    def worker_start() -> None:
        # A forked worker must not reuse the parent's pooled database connections.
        with app.app_context():
            db.engine.dispose(close=False)
        Sweeper(app).start()

    return huey.create_consumer(
        workers=workers,
        worker_type="process",
        periodic=False,
        check_worker_health=True,
        health_check_interval=5,
        max_delay=0.5,  # an idle SQLite worker looks for work twice a second
    )


def run_worker(app: Flask, workers: int) -> None:
    """Check the database and the queue, sweep once for jobs whose worker died, then
    consume until SIGINT or SIGTERM (gracefully: the running job finishes). Each worker
    process sweeps again three times per lease."""
    check_reachable(app)
    sweep_in_app(app, job_queue(app))
    backfill_in_app(app, job_queue(app))
    with app.app_context():
        db.engine.dispose()  # before the workers fork
    build_consumer(app, workers).run()


class _InProcessConsumer(Consumer):  # type: ignore[misc]
    """A consumer inside the web server's process: the server owns the signals."""

    def _set_signal_handlers(self) -> None:
        pass


def start_in_process(app: Flask) -> _InProcessConsumer | None:
    """One worker thread and the scheduler inside this process (``serve --demo``).
    None, with a warning, when the queue cannot be reached."""
    try:
        check_reachable(app)
    except WorkerCannotStart as exc:
        log.warning("no worker started: %s", exc)
        return None
    queue = job_queue(app)
    sweep_in_app(app, queue)
    backfill_in_app(app, queue)
    consumer = _InProcessConsumer(queue.huey, workers=1, worker_type="thread", periodic=False)
    consumer.start()
    Sweeper(app).start()
    log.info("a job worker runs in this process (%s)", threading.current_thread().name)
    return consumer
