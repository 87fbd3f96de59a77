"""Real worker processes (``noticeboard worker``) on a real queue: SqliteHuey in the
instance folder beside SQLite, and RedisHuey beside PostgreSQL, as a site runs them.

The test process queues jobs through an app built like a web instance's (not in
immediate mode) and reads their rows; the workers are separate processes it starts,
kills and stops.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from noticeboard.extensions import db
from noticeboard.models import Job, Opinion
from tests.conftest import TEST_REDIS_URL, redis_or_skip

LEASE_SECONDS = 2


@dataclass
class WorkerSite:
    """A database, a queue and the environment a worker process needs to reach both."""

    app: Flask
    env: dict[str, str]
    instance: Path
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    _logs: list[IO[bytes]] = field(default_factory=list)

    def start_worker(self, *args: str) -> subprocess.Popen[bytes]:
        log = (self.instance / f"worker-{len(self.workers)}.log").open("wb")
        self._logs.append(log)
        process = subprocess.Popen(
            [sys.executable, "-m", "noticeboard", "worker", *args],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.workers.append(process)
        return process

    def logs(self) -> str:
        return "\n".join(p.read_text() for p in sorted(self.instance.glob("worker-*.log")))

    def session(self) -> Session:
        with self.app.app_context():
            return Session(db.engine, expire_on_commit=False)

    def job(self, job_id: str) -> Job:
        with self.session() as session:
            found = session.get(Job, job_id)
            assert found is not None
            return found

    def wait_for(
        self, job_id: str, done: Callable[[Job], bool], timeout: float = 60, poll: float = 0.05
    ) -> Job:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.job(job_id)
            if done(job):
                return job
            time.sleep(poll)
        raise AssertionError(f"job {job_id} stuck as {job.state}: {job.message}\n{self.logs()}")

    def opinions(self) -> int:
        with self.session() as session:
            return int(session.scalar(select(func.count()).select_from(Opinion)) or 0)

    def stop(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in self.workers:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in self._logs:
            log.close()


@pytest.fixture
def worker_site(
    request: pytest.FixtureRequest,
    database_url: str,
    make_app: Callable[..., Flask],
    tmp_path: Path,
) -> Iterator[WorkerSite]:
    """SQLite with SqliteHuey, or PostgreSQL with RedisHuey (a queue name of its own)."""
    queue_name = f"nbtest{uuid.uuid4().hex[:12]}"
    config: dict[str, Any] = {
        "JOBS_IMMEDIATE": False,
        "QUEUE_NAME": queue_name,
        "JOB_LEASE_SECONDS": LEASE_SECONDS,
    }
    redis_client = None
    if database_url.startswith("postgresql"):
        request.applymarker(pytest.mark.redis)
        redis_client = redis_or_skip()
        config["TEST_REDIS_URL"] = TEST_REDIS_URL
    app = make_app(**config)
    env = {
        **os.environ,
        "NOTICEBOARD_DATABASE_URL": database_url,
        "NOTICEBOARD_INSTANCE_PATH": str(tmp_path),
        "NOTICEBOARD_QUEUE_NAME": queue_name,
        "NOTICEBOARD_JOB_LEASE_SECONDS": str(LEASE_SECONDS),
    }
    env.pop("NOTICEBOARD_TEST_REDIS_URL", None)
    if redis_client is not None:
        env["NOTICEBOARD_TEST_REDIS_URL"] = TEST_REDIS_URL
    site = WorkerSite(app, env, tmp_path)
    yield site
    site.stop()
    if redis_client is not None:
        for key in redis_client.scan_iter(match=f"*{queue_name}*", count=1000):
            redis_client.delete(key)
        redis_client.close()
