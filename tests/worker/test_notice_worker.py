"""Outcome notices on a real worker process and a real SMTP server: a worker killed in
the middle of sending loses no notice, and the server never receives two messages with
the same Message-ID."""

from __future__ import annotations

import os
import signal
import time
from collections import Counter

from sqlalchemy import select

from noticeboard.extensions import db
from noticeboard.models import Job, JobKind, JobState, Notice, NoticeState, Outcome
from noticeboard.services.decisions.outcomes import DecisionInput, decide_many
from tests import factories
from tests.smtp import SmtpServer
from tests.worker.conftest import LEASE_SECONDS, WorkerSite

COUNT = 40


def _decide_all(site: WorkerSite) -> None:
    """Forty contributors who asked to be told, decided at once: one notices job."""
    with site.app.app_context():
        session = db.session()
        law = factories.make_law(session, slug="minors")
        version = factories.make_version(session, law, label="一审稿")
        opinions = [
            factories.make_opinion(
                session, version, contact=f"reader{n}@example.org", notify=True, text=f"意见{n}"
            )
            for n in range(COUNT)
        ]
        staff = factories.make_user(session, role="commission")
        decide_many(session, staff, opinions, DecisionInput(Outcome.ADOPTED))
        session.commit()
        db.session.remove()


def _notices(site: WorkerSite) -> list[Notice]:
    with site.session() as session:
        return list(session.scalars(select(Notice).order_by(Notice.id)))


def _running_notices_job(site: WorkerSite) -> Job:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with site.session() as session:
            job = session.scalar(
                select(Job).where(Job.kind == JobKind.NOTICES, Job.state == JobState.RUNNING)
            )
            if job is not None and job.worker:
                return job
        time.sleep(0.02)
    raise AssertionError("no notices job started\n" + site.logs())


def test_a_worker_killed_mid_send_loses_nothing_and_sends_nothing_twice(
    worker_site: WorkerSite,
) -> None:
    smtp = SmtpServer().start()
    smtp.recorder.delay = 0.02
    # The eighth message is held unanswered: the worker is killed while it waits for the
    # server's answer, its notice recorded as being sent (the server has it).
    smtp.recorder.hold_at = 8
    try:
        worker_site.env.update(
            NOTICEBOARD_MAIL_SERVER="127.0.0.1",
            NOTICEBOARD_MAIL_PORT=str(smtp.port),
            NOTICEBOARD_NOTICE_RATE="0",
            NOTICEBOARD_PUBLIC_BASE_URL="https://noticeboard.example.org",
        )
        _decide_all(worker_site)
        worker_site.start_worker()
        job = _running_notices_job(worker_site)
        assert smtp.recorder.holding.wait(30), worker_site.logs()
        os.kill(int(job.worker.rsplit(":", 1)[1]), signal.SIGKILL)
        killed_at = len(smtp.received)
        assert killed_at < COUNT
        with worker_site.session() as session:
            caught = Counter(session.scalars(select(Notice.state)))
        assert caught[NoticeState.SENDING] >= 1
        assert caught[NoticeState.CLAIMED] > 0

        # The sweep queues the job again after its lease; the new run takes up the rest.
        deadline = time.monotonic() + LEASE_SECONDS * 15 + 30
        while time.monotonic() < deadline:
            if all(not n.state.open for n in _notices(worker_site)):
                break
            time.sleep(0.1)
        notices = _notices(worker_site)
        assert Counter(n.state for n in notices) == {NoticeState.SENT: COUNT}, worker_site.logs()

        received = smtp.wait_for(COUNT, timeout=5)
        ids = Counter(r.message_id for r in received)
        assert max(ids.values()) == 1  # never two messages with one Message-ID
        lost = [(n.id, n.last_error) for n in notices if n.message_id not in ids]
        assert lost == [], (killed_at, worker_site.logs())  # and none lost
        assert len(received) == COUNT
        with worker_site.session() as session:
            jobs = session.scalars(select(Job).where(Job.kind == JobKind.NOTICES)).all()
        assert any(j.attempts >= 2 for j in jobs)  # the killed run was started again
    finally:
        smtp.stop()
