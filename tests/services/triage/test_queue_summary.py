"""The triage queue counted ahead (``queue.summary``): the same page as counting live,
whatever the filters, the actor or how many chunks the count took; as fresh as the last
matching job, and saying so."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from noticeboard.models import (
    ChangeLink,
    Job,
    JobKind,
    JobState,
    Opinion,
    Outcome,
    QueueSummary,
    QueueSummaryBuild,
)
from noticeboard.services.decisions.outcomes import DecisionInput, decide_opinion
from noticeboard.services.permissions import SYSTEM
from noticeboard.services.triage import staleness
from noticeboard.services.triage.queue import (
    ARTICLE,
    CLUSTER,
    QueueFilters,
    TriageQueue,
    triage_queue,
)
from noticeboard.services.triage.queue import recount as recount_module
from noticeboard.services.triage.queue.recount import build_summary
from tests import factories
from tests.services.triage.seeding import TriageLaw, opinion, queue_setting

FILTERS = [
    QueueFilters(),
    QueueFilters(pending_only=False),
    QueueFilters(match="matched"),
    QueueFilters(match="unmatched"),
    QueueFilters(match="unmatched", pending_only=False),
    QueueFilters(min_size=2),
    QueueFilters(min_size=4),
]


def page(queue: TriageQueue) -> tuple[Any, ...]:
    """Everything the page shows, to compare the two ways of counting it."""
    groups = [(g.ref, g.size, g.label, g.sample, g.best, g.unmatched) for g in queue.groups]
    return queue.counts, queue.total_groups, groups


@pytest.fixture
def setting(db_session: Session) -> TriageLaw:
    s = queue_setting(db_session)
    # Another office, one more article group, and a link: every flag takes both values.
    office = factories.make_office(db_session, slug="north")
    linked = opinion(db_session, s, office=office, articles=["第二条", "第一条"], text="两条")
    db_session.add(ChangeLink(change_id=s.changes[0].id, opinion_id=linked.id))
    db_session.commit()
    return s


@pytest.mark.parametrize("filters", FILTERS, ids=repr)
def test_the_summary_shows_what_counting_live_shows(
    db_session: Session, setting: TriageLaw, filters: QueueFilters
) -> None:
    live = triage_queue(db_session, SYSTEM, setting.law, filters, per_page=2)
    assert live.counted is None
    assert build_summary(db_session, setting.law.id) > 0
    db_session.commit()
    counted = triage_queue(db_session, SYSTEM, setting.law, filters, per_page=2)
    assert counted.counted is not None
    assert page(counted) == page(live)
    second = triage_queue(db_session, SYSTEM, setting.law, filters, page=2, per_page=2)
    assert page(second) == page(triage_queue_live(db_session, setting, filters))


def triage_queue_live(session: Session, setting: TriageLaw, filters: QueueFilters) -> TriageQueue:
    session.execute(delete(QueueSummaryBuild))
    live = triage_queue(session, SYSTEM, setting.law, filters, page=2, per_page=2)
    session.rollback()
    return live


def test_office_filter_and_office_staff_scope(db_session: Session, setting: TriageLaw) -> None:
    north = factories.make_office(db_session, slug="north-child")  # an office with nothing
    commission = factories.make_user(db_session, role="commission")
    db_session.commit()
    office = db_session.scalar(
        select(Opinion.office_id).where(Opinion.law_id == setting.law.id, Opinion.text == "两条")
    )
    cases = [QueueFilters(office_id=office), QueueFilters(office_id=north.id)]
    live = [page(triage_queue(db_session, commission, setting.law, f)) for f in cases]
    build_summary(db_session, setting.law.id)
    db_session.commit()
    assert [page(triage_queue(db_session, commission, setting.law, f)) for f in cases] == live
    assert live[1][0].total == 0


def test_a_count_in_many_chunks_sums_to_the_same(
    db_session: Session, setting: TriageLaw, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = page(triage_queue(db_session, SYSTEM, setting.law, QueueFilters(pending_only=False)))
    monkeypatch.setattr(recount_module, "CHUNK", 2)
    build_summary(db_session, setting.law.id)
    db_session.commit()
    counted = triage_queue(db_session, SYSTEM, setting.law, QueueFilters(pending_only=False))
    assert page(counted) == live


def _decide_the_linked_one(session: Session) -> None:
    pending = session.scalars(select(Opinion).where(Opinion.text == "两条")).one()
    decide_opinion(session, SYSTEM, pending, DecisionInput(Outcome.ADOPTED), lock_version=None)
    session.commit()


def test_a_decision_queues_the_job_whose_recount_replaces_the_count(
    app: Flask, db_session: Session, setting: TriageLaw
) -> None:
    build_summary(db_session, setting.law.id)
    db_session.commit()
    before = triage_queue(db_session, SYSTEM, setting.law, QueueFilters())
    with app.app_context():  # where the app's queue is found; it runs jobs at commit
        _decide_the_linked_one(db_session)
    jobs = db_session.scalars(select(Job).where(Job.kind == JobKind.MATCHING)).all()
    assert [(job.params["law_id"], job.state) for job in jobs] == [(setting.law.id, JobState.DONE)]
    fresh = triage_queue(db_session, SYSTEM, setting.law, QueueFilters())
    assert (fresh.counts.pending, fresh.counts.decided) == (
        before.counts.pending - 1,
        before.counts.decided + 1,
    )
    assert fresh.counted is not None
    assert before.counted is not None
    assert fresh.counted.built_at >= before.counted.built_at
    generations = db_session.scalars(
        select(func.count(func.distinct(QueueSummary.generation))).where(
            QueueSummary.law_id == setting.law.id
        )
    ).one()
    assert generations == 1  # the old count is gone


def test_until_the_recount_the_page_shows_the_count_it_has(
    app: Flask, db_session: Session, setting: TriageLaw, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_summary(db_session, setting.law.id)
    db_session.commit()
    before = triage_queue(db_session, SYSTEM, setting.law, QueueFilters())
    monkeypatch.setattr(staleness, "_providers", [lambda recorded: None])  # the recount waits
    with app.app_context():
        _decide_the_linked_one(db_session)
    stale = triage_queue(db_session, SYSTEM, setting.law, QueueFilters())
    assert stale.counts == before.counts
    assert stale.counted == before.counted
    db_session.add(Job(id="waiting", kind=JobKind.MATCHING, params={"law_id": setting.law.id}))
    db_session.commit()
    waiting = triage_queue(db_session, SYSTEM, setting.law, QueueFilters()).counted
    assert waiting is not None
    assert waiting.recounting


@pytest.mark.parametrize("label", ["第一条", "第二条", "第三条"])
@pytest.mark.parametrize("match", [None, "unmatched"])
def test_the_queue_filtered_to_a_cited_article_is_counted_too(
    db_session: Session, setting: TriageLaw, label: str, match: str | None
) -> None:
    filters = QueueFilters(article_key=setting.article(label).key, match=match)
    live = triage_queue(db_session, SYSTEM, setting.law, filters)
    assert live.counted is None
    build_summary(db_session, setting.law.id)
    db_session.commit()
    counted = triage_queue(db_session, SYSTEM, setting.law, filters)
    assert counted.counted is not None
    assert page(counted) == page(live)


def test_an_opinion_citing_two_articles_stands_in_both_groups_of_either_filter(
    db_session: Session, setting: TriageLaw
) -> None:
    build_summary(db_session, setting.law.id)
    db_session.commit()
    key = setting.article("第一条").key
    queue = triage_queue(db_session, SYSTEM, setting.law, QueueFilters(article_key=key))
    # A campaign member, and the linked opinion in the groups of both articles it cites.
    assert sorted((g.ref.kind, g.size) for g in queue.groups) == [
        (ARTICLE, 1),
        (ARTICLE, 1),
        (CLUSTER, 1),
    ]
