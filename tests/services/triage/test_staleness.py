"""What makes triage out of date, and the one matching job per law it queues."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import Job, JobKind, JobState, OpinionTriage, utcnow
from noticeboard.services.errors import QueueUnavailable
from noticeboard.services.jobs.queue import JobQueue
from noticeboard.services.triage import staleness
from tests.factories import DRAFT_V2, make_opinion, make_version
from tests.queues import NoWorkerQueue


class _DownQueue(NoWorkerQueue):
    def check(self) -> None:
        raise QueueUnavailable("the queue is away")


@pytest.fixture
def provided() -> Iterator[list[JobQueue | None]]:
    """The queue that committing sessions find (a list, so a test can swap it)."""
    box: list[JobQueue | None] = [NoWorkerQueue()]
    staleness.set_queue_provider(lambda recorded: box[0])
    yield box
    staleness.set_queue_provider(lambda recorded: None)


def _matching_jobs(session: Session) -> list[Job]:
    return list(session.scalars(select(Job).where(Job.kind == JobKind.MATCHING)))


def test_noted_laws_get_one_waiting_job_at_commit(
    db_session: Session, provided: list[JobQueue | None]
) -> None:
    version = make_version(db_session)
    make_opinion(db_session, version)
    staleness.note_triage_needed(db_session, version.law_id)
    staleness.note_triage_needed(db_session, version.law_id)
    db_session.commit()
    jobs = _matching_jobs(db_session)
    assert [(j.state, j.params, j.user_id) for j in jobs] == [
        (JobState.QUEUED, {"law_id": version.law_id}, None)
    ]
    queue = provided[0]
    assert isinstance(queue, NoWorkerQueue)
    assert queue.held == [jobs[0].id]

    # A job still waiting takes the next opinions too.
    make_opinion(db_session, version)
    staleness.note_triage_needed(db_session, version.law_id)
    db_session.commit()
    assert len(_matching_jobs(db_session)) == 1


def test_a_rollback_forgets_what_was_noted(
    db_session: Session, provided: list[JobQueue | None]
) -> None:
    provided[0] = None
    version = make_version(db_session)
    db_session.commit()
    provided[0] = NoWorkerQueue()
    staleness.note_triage_needed(db_session, version.law_id)
    db_session.rollback()
    db_session.commit()
    assert _matching_jobs(db_session) == []


def test_a_queue_that_is_away_never_fails_the_recording(
    db_session: Session, provided: list[JobQueue | None]
) -> None:
    provided[0] = _DownQueue()
    version = make_version(db_session)  # a new version notes its law too
    opinion = make_opinion(db_session, version)
    staleness.note_triage_needed(db_session, version.law_id)
    db_session.commit()  # no error: the backfill finds the opinion later
    assert _matching_jobs(db_session) == []
    assert staleness.laws_needing_triage(db_session) == [version.law_id]
    assert opinion.id is not None


def test_a_new_version_marks_the_opinions_before_it_for_matching_again(
    db_session: Session,
) -> None:
    first = make_version(db_session)
    opinion = make_opinion(db_session, first)
    db_session.add(OpinionTriage(opinion_id=opinion.id, law_id=first.law_id, matched_at=utcnow()))
    db_session.flush()
    assert staleness.laws_needing_triage(db_session) == []

    make_version(db_session, first.law, text=DRAFT_V2)
    triage = db_session.get(OpinionTriage, opinion.id, populate_existing=True)
    assert triage is not None
    assert triage.matched_at is None
    assert staleness.laws_needing_triage(db_session) == [first.law_id]
