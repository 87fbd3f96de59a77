"""The triage report of a law between two versions (``noticeboard triage``), from stored data.

The changes are those of the stored comparison ``from``→``to``; the opinions those on
version ``from`` or earlier. An opinion on ``from`` has its matches against that
comparison stored when ``to`` is the version right after ``from``; any other opinion (an
earlier version, or a comparison that skips versions) is scored by the ``matcher`` given,
in memory, batch by batch. Opinions are read in keyset batches, so a law of 300,000
opinions costs a few hundred index-driven queries and holds only the compact result.

Opinions are named by their sender's ``reference``, else by their receipt code as every
other interface hands it out (``XXXX-XXXX-XX``, the ``receipt_code`` of the write API).
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TextIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from noticeboard.models import (
    Change,
    ChangeKind,
    DraftVersion,
    Law,
    Opinion,
    OpinionMatch,
    OpinionTriage,
    VersionComparison,
)
from noticeboard.services.errors import NotFound
from noticeboard.services.opinions.receipts import format_receipt_code

BATCH = 5000  # opinions per keyset page
SUGGESTED_PER_CHANGE = 100
SUGGESTED_PER_OPINION = 3
# What matching stores of an opinion's ranked changes (``triage.matching``): every pair
# scoring this or more, and the best three whatever their score. Scores computed here
# for older opinions are kept by the same rule, so both kinds of opinion weigh alike.
STORED_SCORE = 0.2
BEST_KEPT = 3
QUIET_KINDS = (ChangeKind.UNCHANGED, ChangeKind.RENUMBERED)


class ScoredPair(Protocol):
    """One change's score for an opinion (``triage.scoring.ScoredChange`` is one)."""

    @property
    def change_id(self) -> int: ...

    @property
    def score(self) -> float: ...


# Opinion ids -> each one's scored changes, best first: how opinions whose stored
# matches are not against this comparison get theirs.
Matcher = Callable[[Sequence[int]], Mapping[int, Sequence[ScoredPair]]]
Suggestion = tuple[int, float]  # (change id, score)


@dataclass
class TriageReport:
    """The report, held compactly; ``to_dict`` or ``write_json`` give the JSON."""

    law: str
    from_sequence: int
    to_sequence: int
    opinions: int = 0
    clusters: list[tuple[int, list[str]]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    # One per opinion considered, in id order: its name and up to three suggestions.
    opinion_suggestions: list[tuple[str, tuple[Suggestion, ...]]] = field(default_factory=list)

    def head(self) -> dict[str, Any]:
        return {
            "law": self.law,
            "from": self.from_sequence,
            "to": self.to_sequence,
            "opinions": self.opinions,
            "clusters": [
                {"id": cluster_id, "size": len(members), "members": members}
                for cluster_id, members in self.clusters
            ],
            "changes": self.changes,
        }

    def suggestion_dicts(self) -> Iterator[dict[str, Any]]:
        for name, suggestions in self.opinion_suggestions:
            yield {
                "opinion": name,
                "changes": [{"id": change_id, "score": score} for change_id, score in suggestions],
            }

    def to_dict(self) -> dict[str, Any]:
        return self.head() | {"opinion_suggestions": list(self.suggestion_dicts())}

    def write_json(self, stream: TextIO) -> None:
        """The JSON, one opinion at a time: never the whole document as one string."""
        head = json.dumps(self.head(), ensure_ascii=False)
        stream.write(head[:-1] + ', "opinion_suggestions": [')
        for index, entry in enumerate(self.suggestion_dicts()):
            stream.write(("," if index else "") + "\n" + json.dumps(entry, ensure_ascii=False))
        stream.write("\n]}\n")


def stored_comparison(session: Session, old: DraftVersion, new: DraftVersion) -> VersionComparison:
    found = session.scalar(
        select(VersionComparison).where(
            VersionComparison.from_version_id == old.id,
            VersionComparison.to_version_id == new.id,
        )
    )
    if found is None:
        raise NotFound(
            "No comparison of version %(old)d with version %(new)d is stored.",
            old=old.sequence,
            new=new.sequence,
        )
    return found


def triage_report(
    session: Session,
    law: Law,
    old: DraftVersion,
    new: DraftVersion,
    *,
    matcher: Matcher | None = None,
) -> TriageReport:
    """The report for ``law`` between versions ``old`` and ``new`` (``from`` and ``to``).

    ``matcher`` scores the opinions whose stored matches are not against this comparison
    (see the module); without one they get no suggestions. Reads only; writes nothing."""
    comparison = stored_comparison(session, old, new)
    report = TriageReport(law=law.slug, from_sequence=old.sequence, to_sequence=new.sequence)
    changes = _reported_changes(session, comparison.id)
    best: dict[int, list[tuple[float, int, str]]] = {change_id: [] for change_id in changes}
    members: dict[int, list[str]] = {}
    following = session.scalar(
        select(func.min(DraftVersion.sequence)).where(
            DraftVersion.law_id == law.id, DraftVersion.sequence > old.sequence
        )
    )
    # Matching stores an opinion's matches against its version's next comparison only.
    stored_fits = following == new.sequence
    versions = list(
        session.scalars(
            select(DraftVersion.id).where(
                DraftVersion.law_id == law.id, DraftVersion.sequence <= old.sequence
            )
        )
    )
    for page in _opinion_pages(session, law.id, versions):
        scored = _page_scores(
            session, page, old.id, comparison.id if stored_fits else None, matcher
        )
        for opinion_id, _version_id, name, cluster_id, _matched in page:
            report.opinions += 1
            if cluster_id is not None:
                members.setdefault(cluster_id, []).append(name)
            kept = _kept(scored.get(opinion_id, ()), changes)
            report.opinion_suggestions.append((name, tuple(kept[:SUGGESTED_PER_OPINION])))
            for change_id, score in kept:
                _push(best[change_id], (score, -opinion_id, name))
    report.clusters = [(cid, names) for cid, names in sorted(members.items()) if len(names) > 1]
    for change_id, row in changes.items():
        ranked = sorted(best[change_id], reverse=True)
        row["suggested"] = [{"opinion": name, "score": score} for score, _, name in ranked]
        report.changes.append(row)
    return report


def opinion_name(reference: str | None, receipt_code: str) -> str:
    return reference if reference else format_receipt_code(receipt_code)


def rounded(score: float) -> float:
    """In [0, 1], three decimals: finer than any difference a reader could act on."""
    return round(min(1.0, max(0.0, float(score))), 3)


def _reported_changes(session: Session, comparison_id: int) -> dict[int, dict[str, Any]]:
    """Change id -> its entry, in new-document order, without the quiet kinds."""
    rows = session.execute(
        select(Change.id, Change.kind, Change.old_labels, Change.new_labels)
        .where(Change.comparison_id == comparison_id, Change.kind.not_in(QUIET_KINDS))
        .order_by(Change.ordinal)
    )
    return {
        change_id: {
            "id": change_id,
            "kind": ChangeKind(kind).value,
            "old": list(old_labels),
            "new": list(new_labels),
        }
        for change_id, kind, old_labels, new_labels in rows
    }


OpinionRow = tuple[int, int, str, int | None, bool]  # id, version, name, cluster, matched


def _opinion_pages(
    session: Session, law_id: int, version_ids: Sequence[int]
) -> Iterator[list[OpinionRow]]:
    """The opinions on these versions in id order, a keyset page at a time."""
    if not version_ids:
        return
    after = 0
    while True:
        rows = (
            session.connection()
            .execute(
                select(
                    Opinion.id,
                    Opinion.version_id,
                    Opinion.reference,
                    Opinion.receipt_code,
                    OpinionTriage.cluster_id,
                    OpinionTriage.matched_at,
                )
                .outerjoin(OpinionTriage, OpinionTriage.opinion_id == Opinion.id)
                .where(
                    Opinion.law_id == law_id,
                    Opinion.version_id.in_(version_ids),
                    Opinion.id > after,
                )
                .order_by(Opinion.id)
                .limit(BATCH)
            )
            .all()
        )
        if not rows:
            return
        yield [
            (oid, vid, opinion_name(ref, code), cid, matched is not None)
            for oid, vid, ref, code, cid, matched in rows
        ]
        after = rows[-1][0]


def _page_scores(
    session: Session,
    page: list[OpinionRow],
    from_version_id: int,
    comparison_id: int | None,
    matcher: Matcher | None,
) -> dict[int, list[Suggestion]]:
    """Each opinion's scored changes, best first: stored where they fit, else computed."""
    stored = [
        oid
        for oid, vid, _, _, matched in page
        if comparison_id is not None and vid == from_version_id and matched
    ]
    taken = set(stored)
    computed = [row[0] for row in page if row[0] not in taken] if matcher else []
    scores: dict[int, list[Suggestion]] = {}
    if stored:
        # One range over the primary key of opinion_match per page (the page is a run
        # of ids), joined to this comparison's changes: no list of a thousand ids to
        # send and parse, and no other comparison's matches.
        rows = session.connection().execute(
            select(OpinionMatch.opinion_id, OpinionMatch.change_id, OpinionMatch.score)
            .join(Change, Change.id == OpinionMatch.change_id)
            .where(
                OpinionMatch.opinion_id.between(stored[0], stored[-1]),
                Change.comparison_id == comparison_id,
            )
            .order_by(OpinionMatch.opinion_id, OpinionMatch.rank)
        )
        for opinion_id, change_id, score in rows.all():  # one fetch, not one per row
            if opinion_id in taken:
                scores.setdefault(opinion_id, []).append((change_id, score))
    if computed and matcher is not None:
        for opinion_id, pairs in matcher(computed).items():
            ranked = sorted(pairs, key=lambda pair: -pair.score)
            scores[opinion_id] = [
                (pair.change_id, pair.score)
                for rank, pair in enumerate(ranked, 1)
                if pair.score >= STORED_SCORE or rank <= BEST_KEPT
            ]
    return scores


def _kept(scored: Sequence[Suggestion], changes: Mapping[int, Any]) -> list[Suggestion]:
    """The opinion's suggestions among the reported changes, best first: a score of 0
    means nothing speaks for the change, so it is no suggestion."""
    kept = [(cid, rounded(score)) for cid, score in scored if cid in changes and score > 0]
    return sorted(kept, key=lambda pair: (-pair[1], pair[0]))


def _push(heap: list[tuple[float, int, str]], item: tuple[float, int, str]) -> None:
    """Keep a change's best ``SUGGESTED_PER_CHANGE``: ties go to the earlier opinion."""
    if len(heap) < SUGGESTED_PER_CHANGE:
        heapq.heappush(heap, item)
    elif item > heap[0]:
        heapq.heapreplace(heap, item)
