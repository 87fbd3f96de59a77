"""Recomputing a law's stored comparisons as a job: after the engine improved, or to
repair them. Staff's alignment corrections hold, and their opinion links and editorial
marks move to the new changes (``carry_over``).

The worker computes every pair first, reading only and reporting progress, then stores
them all at the end with no progress report: on SQLite the writes hold the only write
lock, which a progress commit would wait for.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from noticeboard.diffing import Comparison
from noticeboard.models import DraftVersion, Job, JobKind, Law, VersionComparison
from noticeboard.services.audit import record_event
from noticeboard.services.jobs.messages import COMPUTING, SAVING, job_message
from noticeboard.services.jobs.queue import JobQueue
from noticeboard.services.jobs.records import create_job
from noticeboard.services.jobs.running import JobContext, JobFailed, JobResult
from noticeboard.services.laws.carry_over import CarriedOver
from noticeboard.services.laws.comparisons import (
    Pin,
    assign_keys,
    compute,
    pins_for,
    replace_comparison,
    stored_between,
)
from noticeboard.services.permissions import Actor, Permission, require
from noticeboard.services.triage.staleness import note_triage_needed, rematch_versions

LAW_GONE = job_message("the law is gone: nothing was changed")
RECOMPUTED = job_message("comparisons recomputed")


def queue_recompute(session: Session, actor: Actor, queue: JobQueue, law: Law) -> Job:
    """A job recomputing every stored comparison of ``law``, queued once this commits."""
    require(actor, Permission.MANAGE_VERSIONS)
    job = create_job(
        session, actor, queue, JobKind.RECOMPUTE, params={"law_id": law.id, "law_slug": law.slug}
    )
    record_event(session, actor, "law.recompute", "law", law.id, job=job.id)
    return job


@dataclass(frozen=True)
class _Computed:
    old_id: int
    new_id: int
    basis: tuple[str, str, tuple[Pin, ...]]  # what it was computed from
    comparison: Comparison


def run_recompute(context: JobContext) -> JobResult:
    work = context.work
    law_id = int(context.params["law_id"])
    if work.get(Law, law_id) is None:
        raise JobFailed(LAW_GONE)
    pairs = _stored_pairs(work, law_id)
    context.progress(0, len(pairs), COMPUTING)
    computed: list[_Computed] = []
    for done, (old, new) in enumerate(pairs, start=1):
        computed.append(_Computed(old.id, new.id, _basis(work, old, new), compute(work, old, new)))
        context.progress(done, len(pairs))
    # End the reading transaction (SQLite writes only from a current snapshot, and the
    # progress commits moved it on); from here to the commit nothing but the work writes.
    work.rollback()
    context.progress(len(pairs), len(pairs), SAVING)
    carried, stored = CarriedOver(), 0
    for item in computed:
        earlier, later = work.get(DraftVersion, item.old_id), work.get(DraftVersion, item.new_id)
        if earlier is None or later is None or stored_between(work, earlier, later) is None:
            continue  # no longer stored (a cached pair dropped since): leave it so
        comparison = item.comparison
        if _basis(work, earlier, later) != item.basis:  # changed meanwhile: compute again
            comparison = compute(work, earlier, later)
        carried.add(replace_comparison(work, earlier, later, comparison)[1])
        stored += 1
    assign_keys(work, law_id)
    # New changes, new ids: every opinion of the law is matched again.
    rematch_versions(work, [version.id for pair in pairs for version in pair])
    note_triage_needed(work, law_id)
    result = {
        "comparisons": stored,
        "links_kept": carried.kept,
        "links_moved": carried.moved,
        "links_merged": carried.merged,
        "links_dropped": carried.dropped,
        "marks_moved": carried.marks_moved,
    }
    return JobResult(result, RECOMPUTED, stored)


def _stored_pairs(session: Session, law_id: int) -> list[tuple[DraftVersion, DraftVersion]]:
    """The pairs with a stored comparison, both versions of the law, in version order."""
    old, new = aliased(DraftVersion), aliased(DraftVersion)
    rows = session.execute(
        select(old, new)
        .join(VersionComparison, VersionComparison.from_version_id == old.id)
        .join(new, VersionComparison.to_version_id == new.id)
        .where(old.law_id == law_id, new.law_id == law_id)
        .order_by(old.sequence, new.sequence)
    )
    return [(earlier, later) for earlier, later in rows]


def _basis(
    session: Session, old: DraftVersion, new: DraftVersion
) -> tuple[str, str, tuple[Pin, ...]]:
    return old.content_hash, new.content_hash, tuple(pins_for(session, old, new))
