"""Recomputing stored comparisons keeps staff's credits: the recompute job, and every
other replacement of a comparison (an alignment correction)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from noticeboard.models import (
    AlignmentCorrection,
    AuditEvent,
    Change,
    ChangeKind,
    ChangeLink,
    DraftVersion,
    EditorialMark,
    Job,
    JobKind,
    JobState,
    LinkDegree,
    VersionArticle,
    VersionComparison,
)
from noticeboard.services.decisions.links import link_opinion, mark_editorial
from noticeboard.services.errors import PermissionDenied
from noticeboard.services.jobs.messages import SAVING
from noticeboard.services.jobs.queue import QUEUE_EXTENSION, JobQueue
from noticeboard.services.jobs.running import JobContext
from noticeboard.services.laws.comparisons import comparison_between, correct_alignment
from noticeboard.services.laws.recompute import LAW_GONE, RECOMPUTED, queue_recompute
from noticeboard.services.laws.versions import replace_draft
from noticeboard.services.permissions import SYSTEM
from tests import factories

V1 = (
    "第一章 总则\n第一条 为了保护环境，制定本法。\n第二条 国家保护环境。\n"
    "第三条 由县级人民政府负责。\n第四条 依照本法第三条执行。\n"
)
# The engine sees 第二条 deleted and 第四条 added; 第三条 changes and moves up.
V2 = (
    "第一章 总则\n第一条 为了保护环境，制定本法。\n第二条 由省级人民政府负责。\n"
    "第三条 依照本法第二条执行。\n第四条 新增的一条。\n"
)
V3 = V2.replace("新增的一条。", "新增的一条，另有规定的除外。")
WHEN = datetime(2024, 6, 1, 9, 30, tzinfo=UTC)
Place = tuple[list[int], list[int]]


@pytest.fixture
def queue(app: Flask) -> JobQueue:
    found: JobQueue = app.extensions[QUEUE_EXTENSION]
    return found


def _change(session: Session, old: DraftVersion, new: DraftVersion, place: Place) -> Change:
    stored = comparison_between(session, old, new)
    found = [c for c in stored.changes if (c.old_positions, c.new_positions) == place]
    assert len(found) == 1, [(c.old_positions, c.new_positions) for c in stored.changes]
    return found[0]


@pytest.fixture
def story(db_session: Session) -> dict[str, Any]:
    """Three versions (the last an unpublished draft), the first and last compared too;
    staff credited the changes of the first pair."""
    law = factories.make_law(db_session, slug="environment")
    first = factories.make_version(db_session, law, V1)
    second = factories.make_version(db_session, law, V2)
    third = factories.make_version(db_session, law, V3, publish=False)
    comparison_between(db_session, first, third)  # a cached pair, stored too
    staff = factories.make_user(db_session, role="commission")
    asked, other = (factories.make_opinion(db_session, first) for _ in range(2))
    modified = _change(db_session, first, second, ([2], [1]))
    deleted = _change(db_session, first, second, ([1], []))
    added = _change(db_session, first, second, ([], [3]))
    assert (deleted.kind, added.kind) == (ChangeKind.DELETED, ChangeKind.ADDED)
    kept = link_opinion(db_session, staff, modified, asked, degree="full", note="县级改省级")
    link_opinion(db_session, staff, deleted, asked, degree="partial", note="删去第二条")
    link_opinion(db_session, staff, added, asked, degree="full")
    link_opinion(db_session, staff, added, other, degree="partial", note="新增")
    mark_editorial(db_session, staff, deleted, note="文字调整")
    db_session.execute(update(ChangeLink).values(created_at=WHEN))
    db_session.commit()
    return {
        "law": law,
        "versions": (first, second, third),
        "staff": staff,
        "asked": asked.id,
        "other": other.id,
        "kept_link": kept.id,
    }


def _after_correction(story: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The links once staff said the old 第二条 became the new 第四条."""
    asked, other, staff = story["asked"], story["other"], story["staff"].id
    return [
        ([2], [1], asked, LinkDegree.FULL, "县级改省级", staff, WHEN),
        # The deletion's and the addition's links of one opinion are one link on 1 → 3.
        ([1], [3], asked, LinkDegree.FULL, "删去第二条", staff, WHEN),
        ([1], [3], other, LinkDegree.PARTIAL, "新增", staff, WHEN),
    ]


def _links(session: Session) -> list[tuple[Any, ...]]:
    """Every link as staff see it: on which articles, for which opinion, what they wrote."""
    session.expire_all()
    rows = session.execute(
        select(ChangeLink, Change.old_positions, Change.new_positions)
        .join(Change, Change.id == ChangeLink.change_id)
        .order_by(ChangeLink.id)
    )
    return [
        (old, new, link.opinion_id, link.degree, link.note, link.created_by_id, link.created_at)
        for link, old, new in rows
    ]


def _marks(session: Session) -> list[tuple[Any, ...]]:
    rows = session.execute(
        select(EditorialMark, Change.old_positions, Change.new_positions).join(
            Change, Change.id == EditorialMark.change_id
        )
    )
    return [(old, new, mark.note, mark.marked_by_id) for mark, old, new in rows]


def _stored(session: Session) -> list[tuple[Any, ...]]:
    """The stored comparisons and the article keys, as pages read them, without row ids."""
    session.expire_all()
    pairs = session.execute(
        select(VersionComparison).order_by(
            VersionComparison.from_version_id, VersionComparison.to_version_id
        )
    ).scalars()
    shown: list[tuple[Any, ...]] = [
        (
            pair.from_version_id,
            pair.to_version_id,
            pair.counts,
            [(c.kind, c.old_positions, c.new_positions, c.diff, c.corrected) for c in pair.changes],
        )
        for pair in pairs
    ]
    keys = session.scalars(select(VersionArticle.key).order_by(VersionArticle.id)).all()
    return [*shown, tuple(keys)]


def _recompute(session: Session, queue: JobQueue, story: dict[str, Any]) -> Job:
    """Queue the job and commit: in the tests it runs as the transaction commits."""
    job_id = queue_recompute(session, story["staff"], queue, story["law"]).id
    session.commit()
    session.expire_all()
    job = session.get(Job, job_id)
    assert job is not None
    return job


def test_correcting_the_alignment_keeps_the_links_and_marks(
    db_session: Session, story: dict[str, Any]
) -> None:
    first, second, _ = story["versions"]
    staff = story["staff"]
    correct_alignment(db_session, staff, first, second, old_positions=[1], new_positions=[3])
    db_session.commit()
    assert _links(db_session) == _after_correction(story)
    assert db_session.get(ChangeLink, story["kept_link"]) is not None  # the same row
    assert _marks(db_session) == [([1], [3], "文字调整", staff.id)]


def test_the_job_recomputes_every_stored_comparison_and_keeps_the_links(
    db_session: Session, queue: JobQueue, story: dict[str, Any]
) -> None:
    before, links = _stored(db_session), _links(db_session)
    assert len(before) == 4  # three stored pairs, and the keys
    # Spoil what was stored: the job puts back what the engine says.
    db_session.execute(update(Change).values(diff=None, kind=ChangeKind.UNCHANGED))
    db_session.execute(update(VersionComparison).values(counts={}))
    db_session.execute(update(VersionArticle).values(key="stale"))
    db_session.commit()
    assert _stored(db_session) != before
    job = _recompute(db_session, queue, story)
    assert (job.kind, job.state, job.message) == (JobKind.RECOMPUTE, JobState.DONE, RECOMPUTED)
    assert job.params == {"law_id": story["law"].id, "law_slug": "environment"}
    assert job.result == {
        "comparisons": 3,
        "links_kept": 4,
        "links_moved": 0,
        "links_merged": 0,
        "links_dropped": 0,
        "marks_moved": 0,
    }
    assert (job.processed, job.total) == (3, 3)
    assert _stored(db_session) == before
    assert _links(db_session) == links
    assert len(_marks(db_session)) == 1
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "law.recompute"))
    assert event is not None
    assert (event.actor_id, event.subject_id, event.details) == (
        story["staff"].id,
        story["law"].id,
        {"job": job.id},
    )


def test_the_job_honours_new_corrections_and_moves_the_links_once(
    db_session: Session, queue: JobQueue, story: dict[str, Any]
) -> None:
    first, second, _ = story["versions"]
    # A correction the stored comparison does not know yet (saved by an older release).
    db_session.add(
        AlignmentCorrection(
            from_version_id=first.id, to_version_id=second.id, old_positions=[1], new_positions=[3]
        )
    )
    db_session.commit()
    job = _recompute(db_session, queue, story)
    assert job.state is JobState.DONE
    assert (job.result["links_kept"], job.result["links_moved"]) == (1, 3)
    assert (job.result["links_merged"], job.result["marks_moved"]) == (1, 1)
    assert _links(db_session) == _after_correction(story)
    corrected = _change(db_session, first, second, ([1], [3]))
    assert corrected.corrected
    stored, links = _stored(db_session), _links(db_session)
    # Idempotent: again, and nothing moves.
    again = _recompute(db_session, queue, story)
    assert again.state is JobState.DONE
    assert (again.result["links_kept"], again.result["links_moved"]) == (3, 0)
    assert _stored(db_session) == stored
    assert _links(db_session) == links
    assert _marks(db_session) == [([1], [3], "文字调整", story["staff"].id)]


def test_a_draft_replaced_while_the_job_computes_is_computed_again(
    db_session: Session,
    queue: JobQueue,
    story: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, _, third = story["versions"]
    engine = db_session.get_bind()
    progress: Callable[..., None] = JobContext.progress

    def meanwhile(context: JobContext, *args: Any, **kwargs: Any) -> None:
        progress(context, *args, **kwargs)
        if SAVING in (*args, kwargs.get("message")):  # computed, not yet stored
            with Session(engine) as other:
                draft = other.get(DraftVersion, third.id)
                assert draft is not None
                replace_draft(
                    other, SYSTEM, draft, source_text=V2.replace("一条。", "一条，但书除外。")
                )
                other.commit()

    monkeypatch.setattr(JobContext, "progress", meanwhile)
    job = _recompute(db_session, queue, story)
    assert job.state is JobState.DONE, job.message
    # The cached pair 1 → 3 went with the old text; 2 → 3 is stored for the new one.
    assert job.result["comparisons"] == 2
    into_third = select(VersionComparison.id).where(VersionComparison.to_version_id == third.id)
    assert len(db_session.scalars(into_third).all()) == 1
    diffs = str(
        db_session.scalars(select(Change.diff).where(Change.comparison_id.in_(into_third))).all()
    )
    assert "但书" in diffs
    assert "另有规定的除外" not in diffs


def test_a_recompute_of_a_deleted_law_fails_and_changes_nothing(
    db_session: Session, queue: JobQueue, story: dict[str, Any]
) -> None:
    gone = factories.make_law(db_session, slug="repealed")
    job_id = queue_recompute(db_session, story["staff"], queue, gone).id
    db_session.delete(gone)
    before = _stored(db_session)
    db_session.commit()
    db_session.expire_all()
    job = db_session.get(Job, job_id)
    assert job is not None
    assert (job.state, job.message) == (JobState.FAILED, LAW_GONE)
    assert job.result == {}
    assert _stored(db_session) == before


def test_office_staff_may_not_recompute(
    db_session: Session, queue: JobQueue, story: dict[str, Any]
) -> None:
    office = factories.make_office(db_session, slug="hongqiao")
    clerk = factories.make_user(db_session, role="office", office=office)
    with pytest.raises(PermissionDenied):
        queue_recompute(db_session, clerk, queue, story["law"])
    db_session.commit()
    assert db_session.scalar(select(func.count()).select_from(Job)) == 0
