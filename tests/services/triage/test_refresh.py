"""The matching job: a law's new opinions grouped into campaigns and matched to the
changes that answer them, batch by batch, and again when its versions change."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from noticeboard.models import (
    Job,
    JobState,
    Opinion,
    OpinionCluster,
    OpinionMatch,
    OpinionTriage,
)
from noticeboard.services.jobs.queue import QUEUE_EXTENSION, JobQueue
from noticeboard.services.laws.comparisons import comparison_between
from noticeboard.services.triage import refresh
from noticeboard.services.triage.staleness import (
    laws_needing_triage,
    queue_triage,
    rematch_versions,
)
from tests.factories import DRAFT_V2, make_opinion, make_version

LETTER = (
    "尊敬的立法机关：我们是社区的家长志愿者，经过讨论一致认为，建议在本法第一条之后"
    "增加一条，写明“未成年人保护工作应当坚持中国共产党的领导”，这样方向更明确，"
    "基层执行起来也更有依据。此致敬礼！"
)
SIGNATURES = ("王芳", "李强", "张敏", "刘洋", "陈静", "杨磊")


@pytest.fixture
def queue(app: Flask) -> JobQueue:
    found: JobQueue = app.extensions[QUEUE_EXTENSION]
    return found


def _story(session: Session) -> tuple[int, list[int], int]:
    first = make_version(session)
    second = make_version(session, first.law, text=DRAFT_V2)
    copies = [make_opinion(session, first, text=f"{LETTER}{name}").id for name in SIGNATURES]
    other = make_opinion(session, first, text="希望加强宣传，让更多家长了解孩子的权利。").id
    added = next(
        c for c in comparison_between(session, first, second).changes if c.kind.value == "added"
    )
    session.commit()
    return first.law_id, [*copies, other], added.id


def test_the_job_groups_the_copies_and_matches_the_request(
    app: Flask, db_session: Session, queue: JobQueue
) -> None:
    law_id, ids, added = _story(db_session)
    assert laws_needing_triage(db_session) == [law_id]

    job = queue_triage(db_session, queue, law_id)
    assert job is not None
    db_session.commit()  # the queue runs it as this commits (immediate mode in tests)
    db_session.expire_all()
    finished = db_session.get(Job, job.id)
    assert finished is not None
    assert finished.state is JobState.DONE, finished.message
    assert finished.result["clustered"] == len(ids)

    triaged = {t.opinion_id: t for t in db_session.scalars(select(OpinionTriage))}
    assert set(triaged) == set(ids)
    assert all(t.matched_at for t in triaged.values())
    clusters = db_session.scalars(select(OpinionCluster)).all()
    assert [c.size for c in clusters] == [len(SIGNATURES)]
    assert {triaged[i].cluster_id for i in ids[:-1]} == {clusters[0].id}
    assert triaged[ids[-1]].cluster_id is None

    best = db_session.scalar(
        select(OpinionMatch).where(OpinionMatch.opinion_id == ids[0], OpinionMatch.rank == 1)
    )
    assert best is not None
    assert best.change_id == added
    assert best.score >= 0.5
    assert laws_needing_triage(db_session) == []


def test_a_second_run_finds_nothing_and_a_changed_version_is_matched_again(
    db_session: Session,
) -> None:
    law_id, ids, added = _story(db_session)
    first = refresh.triage_law(db_session, law_id, db_session.commit)
    assert (first["clustered"], first["matched"]) == (len(ids), len(ids))
    assert first["clusters"] == 1
    assert first["pairs"] > 0
    again = refresh.triage_law(db_session, law_id, db_session.commit)
    assert (again["clustered"], again["matched"]) == (0, 0)

    v1 = db_session.scalar(select(Opinion.version_id).where(Opinion.id == ids[0]))
    assert rematch_versions(db_session, [v1]) == len(ids)
    db_session.commit()
    third = refresh.triage_law(db_session, law_id, db_session.commit)
    assert (third["clustered"], third["matched"]) == (0, len(ids))
    best = db_session.scalar(
        select(OpinionMatch.change_id).where(
            OpinionMatch.opinion_id == ids[0], OpinionMatch.rank == 1
        )
    )
    assert best == added


def test_an_opinion_committed_late_below_the_last_batch_is_still_clustered(
    db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches go on from the last id they took; one pass from the start catches an
    opinion whose lower id committed after they passed it (a long import)."""
    law_id, ids, _ = _story(db_session)
    late = ids[-1]  # short: it holds no LSH bucket, so it can be unseen again cleanly
    real = refresh.cluster_pending
    starts: list[int] = []

    def with_a_late_commit(session: Session, law: int, *, limit: int, after: int) -> Any:
        starts.append(after)
        batch = real(session, law, limit=limit, after=after)
        if batch.processed < limit and len(starts) == 4:
            # As if ``late`` had committed only now: its triage row is not there yet.
            session.execute(delete(OpinionTriage).where(OpinionTriage.opinion_id == late))
        return batch

    monkeypatch.setattr(refresh, "BATCH", 2)
    monkeypatch.setattr(refresh, "cluster_pending", with_a_late_commit)
    refresh.triage_law(db_session, law_id, db_session.commit)
    assert starts[:4] == [0, ids[1], ids[3], ids[5]]
    assert starts[4:] == [0]  # one pass from the start, and it found the opinion
    assert db_session.get(OpinionTriage, late) is not None
