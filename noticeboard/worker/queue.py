"""Huey as the job queue: SqliteHuey in the instance folder with no service to run, or
RedisHuey when NOTICEBOARD_REDIS_URL is set, so instances on several machines share it.

Huey carries one task, ``noticeboard.run_job(job_id)``; what the job is lives in its row
(``models.job``). The queue's key-value store keeps each running job's lease.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import redis
from flask import Flask, current_app, has_app_context
from huey import MemoryHuey, RedisHuey, SqliteHuey
from huey.api import Huey, TaskWrapper

from noticeboard.services.errors import QueueUnavailable
from noticeboard.services.jobs.queue import QUEUE_EXTENSION, JobQueue, set_app_queue
from noticeboard.services.triage.staleness import set_queue_provider

# What a broken queue raises: a refused connection, Redis down, an unwritable SQLite file.
QUEUE_ERRORS = (OSError, redis.RedisError, sqlite3.Error)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class HueyQueue:
    """``services.jobs.queue.JobQueue`` on a Huey instance."""

    def __init__(self, huey: Huey, task: TaskWrapper, where: str) -> None:
        self.huey = huey
        self._task = task
        self.where = where  # for messages: "SQLite at …" or "Redis at …"

    def _guard(self, action: Callable[[], Any]) -> Any:
        try:
            return action()
        except QUEUE_ERRORS as exc:
            raise QueueUnavailable(
                "The job queue is unavailable (%(reason)s); nothing was started. Try again later.",
                reason=f"{self.where}: {exc}",
            ) from exc

    def check(self) -> None:
        self._guard(self.huey.storage.queue_size)

    def enqueue(self, job_id: str) -> None:
        self._guard(lambda: self._task(job_id))

    def beat(self, job_id: str) -> None:
        self._guard(lambda: self.huey.put(f"lease:{job_id}", time.time()))

    def last_beat(self, job_id: str) -> float | None:
        found = self._guard(lambda: self.huey.get(f"lease:{job_id}", peek=True))
        return float(found) if found is not None else None

    def forget(self, job_id: str) -> None:
        self._guard(lambda: self.huey.delete(f"lease:{job_id}"))


def make_huey(app: Flask) -> tuple[Huey, str]:
    name = app.config["QUEUE_NAME"]
    if app.config["JOBS_IMMEDIATE"]:
        return MemoryHuey(name, immediate=True, results=False), "this process"
    redis_url = app.config["REDIS_URL"]
    if redis_url:
        pool = redis.ConnectionPool.from_url(
            redis_url, socket_connect_timeout=3, socket_timeout=10, health_check_interval=30
        )
        # read_timeout: how long a worker's BRPOP waits before it looks at its stop flag.
        huey = RedisHuey(name, results=False, connection_pool=pool, read_timeout=2)
        return huey, f"Redis at {redact(redis_url)}"
    path = Path(app.instance_path) / "queue.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(name, filename=str(path), results=False, timeout=10), f"SQLite at {path}"


def redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.split("@")[-1]


def init_queue(app: Flask) -> HueyQueue:
    """Build the app's queue and register its tasks; ``job_queue(app)`` returns it."""
    huey, where = make_huey(app)

    @huey.task(name="noticeboard.run_job")
    def run_job(job_id: str) -> None:
        from noticeboard.worker.tasks import run_job_in_app

        run_job_in_app(app, queue, job_id)

    queue = HueyQueue(huey, run_job, where)
    app.extensions[QUEUE_EXTENSION] = queue
    set_queue_provider(_triage_queue)
    set_app_queue(_app_queue)
    return queue


def _triage_queue(recorded: bool) -> JobQueue | None:
    """The queue of the app whose session is committing: for opinions just recorded, if
    it matches as they come; to count the triage queue again, always."""
    if recorded and has_app_context() and not current_app.config["TRIAGE_ON_RECORD"]:
        return None
    return _app_queue()


def _app_queue() -> JobQueue | None:
    """The queue of the app whose context this is; None outside one."""
    if not has_app_context():
        return None
    queue: JobQueue | None = current_app.extensions.get(QUEUE_EXTENSION)
    return queue


def job_queue(app: Flask) -> HueyQueue:
    queue: HueyQueue = app.extensions[QUEUE_EXTENSION]
    return queue
