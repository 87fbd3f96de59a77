"""Campaigns: opinions of one law that are copies of one letter, grouped incrementally.

Each batch takes the law's opinions that no clustering has seen (in id order),
fingerprints them (``fingerprints``), looks up every band key of the batch in the law's
stored LSH buckets (``ClusterBand``, shared by every worker) in one query, and checks
each candidate with the exact Jaccard similarity of the shingle sets. An opinion joins
the cluster of its most similar earlier opinion, or starts a cluster with it. Existing
clusters are never merged: one borderline letter must not glue two campaigns together,
because staff decide a cluster as one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import BigInteger, Integer, any_, bindparam, insert, select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key
from sqlalchemy.types import ARRAY

from noticeboard.models import ClusterBand, Opinion, OpinionCluster, OpinionTriage
from noticeboard.models.base import utcnow
from noticeboard.services.triage.fingerprints import (
    fingerprints,
    normalise,
    same_letter,
    shingle_hashes,
)
from noticeboard.services.triage.staleness import unclustered

# SQLite allows 32,766 bound values in one statement; PostgreSQL takes one array.
_SQLITE_CHUNK = 30_000
_PG_KEYS = 2_000


@dataclass(frozen=True)
class ClusteringBatch:
    processed: int  # opinions fingerprinted (each now has its triage row)
    joined: int  # of them, how many joined a cluster (new or existing)
    clusters_created: int
    last_id: int = 0  # the highest opinion id taken: where the next batch may start


@dataclass(eq=False)
class _Group:
    """A cluster as this batch sees it: an existing one, or one it creates."""

    existing_id: int | None = None
    added: int = 0
    created: OpinionCluster | None = None

    @property
    def id(self) -> int:
        if self.created is not None:
            return self.created.id
        assert self.existing_id is not None
        return self.existing_id


@dataclass(eq=False)
class _Member:
    shingles: np.ndarray
    group: _Group | None = None
    kept_apart: bool = False
    stored: bool = True  # it has a triage row already (an earlier batch saw it)
    changed: bool = False  # a stored singleton this batch put in a cluster


@dataclass
class _Batch:
    law_id: int
    members: dict[int, _Member] = field(default_factory=dict)
    groups: dict[int, _Group] = field(default_factory=dict)  # existing clusters by id
    new_keys: list[tuple[int, int]] = field(default_factory=list)  # (key, opinion)
    joined: int = 0
    created: list[_Group] = field(default_factory=list)


def cluster_pending(
    session: Session, law_id: int, *, limit: int = 2000, after: int = 0
) -> ClusteringBatch:
    """Fingerprint and cluster up to ``limit`` opinions of the law not seen yet, with
    ids above ``after``.

    Each call leaves a consistent state (every opinion it took has its triage row, each
    cluster its size), so a caller can commit between calls; loop until ``processed``
    is 0, passing the last batch's ``last_id`` as ``after``: without it each batch would
    probe every opinion clustered before it (quadratic: the anti-join walks the law's
    ids from the start). Flushes, never commits."""
    rows = session.execute(
        select(Opinion.id, Opinion.text)
        .where(unclustered(law_id), Opinion.id > after)
        .order_by(Opinion.id)
        .limit(limit)
    ).all()
    if not rows:
        return ClusteringBatch(0, 0, 0)
    prints = fingerprints([text for _, text in rows])
    batch = _Batch(law_id)
    held = _held_keys(session, law_id, {k for p in prints for k in p.band_keys})
    _load_candidates(session, batch, set(held.values()))
    bucket: dict[int, int] = {}  # band keys first taken in this batch
    for (opinion_id, _), print_ in zip(rows, prints, strict=True):
        member = batch.members[opinion_id] = _Member(print_.shingles, stored=False)
        candidates: set[int] = set()
        for key in print_.band_keys:
            owner = held.get(key, bucket.get(key))
            if owner is None:
                bucket[key] = opinion_id
                batch.new_keys.append((key, opinion_id))
            else:
                candidates.add(owner)
        best = _most_similar(batch, member, candidates)
        if best is not None:
            _join(batch, member, best)
    _write(session, batch, [opinion_id for opinion_id, _ in rows])
    return ClusteringBatch(len(rows), batch.joined, len(batch.created), rows[-1][0])


def _most_similar(batch: _Batch, member: _Member, candidates: set[int]) -> int | None:
    """The candidate to join: the most similar copy already in a campaign, else the most
    similar lone copy. Preferring a campaign keeps one from splitting when its first
    copies happened to share no bucket with each other (two seeds, never merged)."""
    best: tuple[bool, float, int] | None = None
    for candidate in sorted(candidates):  # ties go to the earliest opinion
        other = batch.members.get(candidate)
        if other is None or other.kept_apart:
            continue
        score = same_letter(member.shingles, other.shingles)
        if score <= 0:
            continue
        ranked = (other.group is not None, score, -candidate)
        if best is None or ranked > best:
            best = ranked
    return -best[2] if best is not None else None


def _join(batch: _Batch, member: _Member, candidate_id: int) -> None:
    other = batch.members[candidate_id]
    if other.group is None:
        # The earlier opinion stands for the campaign it starts.
        group = _Group(created=OpinionCluster(law_id=batch.law_id, representative_id=candidate_id))
        batch.created.append(group)
        other.group, other.changed = group, other.stored
        group.added += 1
        if not other.stored:
            batch.joined += 1
    member.group = other.group
    other.group.added += 1
    batch.joined += 1


def _write(session: Session, batch: _Batch, opinion_ids: list[int]) -> None:
    for group in batch.created:
        assert group.created is not None
        group.created.size = group.added
    session.add_all([g.created for g in batch.created])
    session.flush()
    _insert_triage(session, batch, opinion_ids)
    paired = [(i, m) for i, m in batch.members.items() if m.changed and m.group]
    if paired:
        session.execute(
            update(OpinionTriage),
            [{"opinion_id": i, "cluster_id": m.group.id} for i, m in paired if m.group],
        )
        _expire(session, OpinionTriage, [i for i, _ in paired], "cluster_id")
    grown = [g for g in batch.groups.values() if g.added]
    if grown:
        table: Any = OpinionCluster.__table__
        session.execute(
            update(table)
            .where(table.c.id == bindparam("cluster"))
            .values(size=table.c.size + bindparam("added")),
            [{"cluster": g.id, "added": g.added} for g in grown],
        )
        _expire(session, OpinionCluster, [g.id for g in grown], "size")
    if batch.new_keys:
        _insert_keys(session, batch.law_id, batch.new_keys)
    session.flush()


_TRIAGE: Any = OpinionTriage.__table__
_BANDS: Any = ClusterBand.__table__
# PostgreSQL takes a batch as arrays unnested in one statement: an executemany sends
# a statement per row, and a multi-row VALUES costs seconds to compile at this size.
_PG_TRIAGE = text(
    "INSERT INTO opinion_triage (opinion_id, law_id, cluster_id, shingles, kept_apart,"
    " clustered_at) SELECT o, :law, c, s, false, :now FROM unnest(CAST(:opinions AS INTEGER[]),"
    " CAST(:clusters AS INTEGER[]), CAST(:shingles AS INTEGER[])) AS t(o, c, s)"
)
_PG_BANDS = text(
    "INSERT INTO cluster_band (law_id, key, opinion_id) SELECT :law, k, o"
    " FROM unnest(CAST(:keys AS BIGINT[]), CAST(:opinions AS INTEGER[])) AS t(k, o)"
    " ON CONFLICT DO NOTHING"
)


def _insert_triage(session: Session, batch: _Batch, opinion_ids: list[int]) -> None:
    members = [batch.members[i] for i in opinion_ids]
    clusters = [m.group.id if m.group else None for m in members]
    shingles = [int(m.shingles.size) for m in members]
    now = utcnow()
    if _dialect(session) == "postgresql":
        session.execute(
            _PG_TRIAGE,
            {"law": batch.law_id, "now": now, "opinions": opinion_ids, "clusters": clusters,
             "shingles": shingles},
        )  # fmt: skip
        return
    session.execute(
        insert(_TRIAGE),
        [
            {"opinion_id": i, "law_id": batch.law_id, "cluster_id": c, "shingles": n,
             "kept_apart": False, "clustered_at": now}
            for i, c, n in zip(opinion_ids, clusters, shingles, strict=True)
        ],
    )  # fmt: skip


def _insert_keys(session: Session, law_id: int, keys: list[tuple[int, int]]) -> None:
    """Add the buckets no one held; one another worker just took stays theirs."""
    if _dialect(session) == "postgresql":
        # A batch brings some 30,000 keys, each a random place in a unique index of
        # millions that outgrows PostgreSQL's default buffers: in parts, so no statement
        # nears a second (all at once: 0.75 s, and 2 s when pages must be written out).
        for part in _chunks(keys, _PG_KEYS):
            session.execute(
                _PG_BANDS,
                {"law": law_id, "keys": [k for k, _ in part], "opinions": [o for _, o in part]},
            )
        return
    session.execute(
        insert(_BANDS).prefix_with("OR IGNORE"),
        [{"law_id": law_id, "key": k, "opinion_id": o} for k, o in keys],
    )


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _held_keys(session: Session, law_id: int, keys: set[int]) -> dict[int, int]:
    """Which of ``keys`` the law's earlier opinions hold, and who: one query on
    PostgreSQL (an array), chunked under SQLite's limit on bound values."""
    found: dict[int, int] = {}
    for chunk in _id_chunks(session, sorted(keys)):
        condition = _column_in(session, ClusterBand.key, chunk, BigInteger())
        for key, opinion_id in session.execute(
            select(ClusterBand.key, ClusterBand.opinion_id).where(
                ClusterBand.law_id == law_id, condition
            )
        ):
            found[key] = opinion_id
    return found


def _load_candidates(session: Session, batch: _Batch, opinion_ids: set[int]) -> None:
    """The earlier opinions named by the buckets: text, cluster, kept apart."""
    for chunk in _id_chunks(session, sorted(opinion_ids)):
        rows = session.execute(
            select(Opinion.id, Opinion.text, OpinionTriage.cluster_id, OpinionTriage.kept_apart)
            .join(OpinionTriage, OpinionTriage.opinion_id == Opinion.id)
            .where(_column_in(session, Opinion.id, chunk, Integer()))
        )
        for opinion_id, body, cluster_id, kept_apart in rows:
            group = None
            if cluster_id is not None:
                group = batch.groups.setdefault(cluster_id, _Group(existing_id=cluster_id))
            shingles = shingle_hashes(normalise(body or ""))
            batch.members[opinion_id] = _Member(shingles, group, kept_apart)


def _column_in(session: Session, column: Any, values: list[int], type_: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, values, type_=ARRAY(type_)))
    return column.in_(values)


def _id_chunks(session: Session, values: list[int]) -> Iterator[list[int]]:
    if session.get_bind().dialect.name == "postgresql":
        if values:
            yield values
        return
    yield from _chunks(values, _SQLITE_CHUNK)


def _chunks(values: Sequence[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


def _expire(session: Session, model: Any, ids: Iterable[int], attribute: str) -> None:
    """Objects of the session that the bulk statements changed behind its back."""
    for ident in ids:
        loaded = session.identity_map.get(identity_key(model, ident))
        if loaded is not None:
            session.expire(loaded, [attribute])
