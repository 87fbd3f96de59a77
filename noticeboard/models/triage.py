"""Triage at scale: campaigns of near-identical letters, and the stored match between
each opinion and the changes that may answer it.

Everything here is derived from the opinions and the comparisons and can be computed
again (by a matching job); the commission's own work (links and decisions) lives in
``models.decision`` and is never derived. Bulk actions keep one item per opinion, so an
action can be undone opinion by opinion.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, Index, SmallInteger, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from noticeboard.models.base import Base, enum_column, utcnow
from noticeboard.models.opinion import Opinion
from noticeboard.models.user import User


class OpinionCluster(Base):
    """Two or more opinions on one law that are copies of one letter (a campaign)."""

    __tablename__ = "opinion_cluster"
    __table_args__ = (Index("ix_opinion_cluster_law_size", "law_id", "size"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    law_id: Mapped[int] = mapped_column(ForeignKey("law.id", ondelete="CASCADE"))
    # The first letter of the campaign: its text stands for the others.
    representative_id: Mapped[int | None] = mapped_column(
        ForeignKey("opinion.id", ondelete="SET NULL")
    )
    size: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    representative: Mapped[Opinion | None] = relationship()


class OpinionTriage(Base):
    """Where one opinion stands in triage: fingerprinted, in which cluster, matched."""

    __tablename__ = "opinion_triage"
    __table_args__ = (
        Index("ix_opinion_triage_law_cluster", "law_id", "cluster_id"),
        # Opinions still to match, found without reading the matched ones.
        Index("ix_opinion_triage_law_matched", "law_id", "matched_at"),
    )

    opinion_id: Mapped[int] = mapped_column(
        ForeignKey("opinion.id", ondelete="CASCADE"), primary_key=True
    )
    law_id: Mapped[int] = mapped_column(ForeignKey("law.id", ondelete="CASCADE"))
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey("opinion_cluster.id", ondelete="SET NULL"), index=True
    )
    # Shingles in the text: 0 means nothing to compare (empty, or punctuation only), and
    # such an opinion never joins a cluster.
    shingles: Mapped[int] = mapped_column(default=0)
    # Taken out of its cluster by staff: clustering never puts it back.
    kept_apart: Mapped[bool] = mapped_column(default=False, server_default=false())
    clustered_at: Mapped[datetime] = mapped_column(default=utcnow)
    matched_at: Mapped[datetime | None]

    cluster: Mapped[OpinionCluster | None] = relationship()


class ClusterBand(Base):
    """One LSH band bucket of a law: the MinHash band ``key`` and the first opinion in it.

    Kept in the database so that every worker and web instance clusters against the same
    state; an opinion adds only the buckets that no earlier opinion holds.
    """

    __tablename__ = "cluster_band"

    law_id: Mapped[int] = mapped_column(ForeignKey("law.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    opinion_id: Mapped[int] = mapped_column(
        ForeignKey("opinion.id", ondelete="CASCADE"), index=True
    )


class OpinionMatch(Base):
    """How well a change answers an opinion, with the parts of the score (its reasons).

    Stored for every pair scoring 0.2 or more and for each opinion's best three.
    """

    __tablename__ = "opinion_match"
    __table_args__ = (
        # A change's matches by score, read from the index alone on PostgreSQL (the
        # opinion included), so counting a busy change's 60,000 matches stays cheap.
        Index(
            "ix_opinion_match_change_score",
            "change_id",
            "score",
            postgresql_include=["opinion_id"],
        ),
    )

    opinion_id: Mapped[int] = mapped_column(
        ForeignKey("opinion.id", ondelete="CASCADE"), primary_key=True
    )
    change_id: Mapped[int] = mapped_column(
        ForeignKey("change.id", ondelete="CASCADE"), primary_key=True
    )
    score: Mapped[float] = mapped_column(Float)
    rank: Mapped[int] = mapped_column(SmallInteger)  # 1 = the opinion's best change
    article: Mapped[float] = mapped_column(Float, default=0.0)  # it cited the changed article
    quoted: Mapped[float] = mapped_column(Float, default=0.0)  # the edit has wording it quotes
    similar: Mapped[float] = mapped_column(Float, default=0.0)  # rarity-weighted text similarity
    against: Mapped[float] = mapped_column(
        Float, default=0.0
    )  # the next version still does not do it


class QueueSummary(Base):
    """A law's triage queue, counted ahead: how many opinions fall in each group under
    each filter the queue offers (office, pending, matched, linked) and best-matched
    change, and the first of them. ``group_kind`` "law" rows count every opinion once,
    for the queue's counters; the others count an opinion in each group it stands in
    (two cited articles, two groups).

    Derived, like the rest of this module: the matching job builds a new ``generation``
    beside the one being read, then switches ``QueueSummaryBuild`` to it, so readers
    never see half a build. Only grouping a law's half a million rows is slow (1.7 s),
    so the queue reads these few thousand rows instead.
    """

    __tablename__ = "queue_summary"
    __table_args__ = (
        Index("ix_queue_summary_law_generation", "law_id", "generation", "cited_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    law_id: Mapped[int] = mapped_column(ForeignKey("law.id", ondelete="CASCADE"))
    generation: Mapped[int]
    group_kind: Mapped[str] = mapped_column(String(8))  # "law", "cluster", "article", "none"
    # No foreign key: a cluster dissolved since the build only drops out at the next one.
    cluster_id: Mapped[int | None]
    article_key: Mapped[str] = mapped_column(String(32), default="")
    # "" in the rows of the queue as it opens; an article's key in the rows of the queue
    # filtered to the opinions citing it (each opinion counted once per article it cites).
    cited_key: Mapped[str] = mapped_column(String(32), default="")
    office_id: Mapped[int | None]
    pending: Mapped[bool]
    matched: Mapped[bool]
    linked: Mapped[bool]
    # The change of the members' best stored match (rank 1), None when they have none.
    best_change_id: Mapped[int | None]
    size: Mapped[int]
    first_id: Mapped[int]
    score_sum: Mapped[float] = mapped_column(Float, default=0.0)  # of those best matches
    score_max: Mapped[float] = mapped_column(Float, default=0.0)


class QueueSummaryBuild(Base):
    """Which generation of a law's ``QueueSummary`` is the one to read, built when."""

    __tablename__ = "queue_summary_build"

    law_id: Mapped[int] = mapped_column(ForeignKey("law.id", ondelete="CASCADE"), primary_key=True)
    generation: Mapped[int]
    built_at: Mapped[datetime] = mapped_column(default=utcnow)


class BulkKind(enum.StrEnum):
    LINK_MATCHED = "link_matched"  # link the opinions matched to a change above a score
    LINK_CLUSTER = "link_cluster"  # link a campaign's opinions to a change
    DECIDE_LINKED = "decide_linked"  # decide every opinion linked to a change
    DECIDE_CLUSTER = "decide_cluster"  # decide a whole campaign
    DECIDE_UNMATCHED = "decide_unmatched"  # answered with no change


class BulkAction(Base):
    """One bulk action by one staff member; its items say what it did to each opinion."""

    __tablename__ = "bulk_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[BulkKind] = mapped_column(enum_column(BulkKind))
    law_id: Mapped[int] = mapped_column(ForeignKey("law.id", ondelete="CASCADE"), index=True)
    change_id: Mapped[int | None] = mapped_column(ForeignKey("change.id", ondelete="SET NULL"))
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey("opinion_cluster.id", ondelete="SET NULL")
    )
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    count: Mapped[int] = mapped_column(default=0)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    undone_at: Mapped[datetime | None]
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


class BulkActionItem(Base):
    """What a bulk action did to one opinion, so that undoing it restores exactly that."""

    __tablename__ = "bulk_action_item"

    action_id: Mapped[int] = mapped_column(
        ForeignKey("bulk_action.id", ondelete="CASCADE"), primary_key=True
    )
    opinion_id: Mapped[int] = mapped_column(
        ForeignKey("opinion.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    # Indexed: removing a link or a decision finds the items naming it (SET NULL).
    link_id: Mapped[int | None] = mapped_column(
        ForeignKey("change_link.id", ondelete="SET NULL"), index=True
    )
    decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("decision.id", ondelete="SET NULL"), index=True
    )
    # The outcome before the action, put back by an undo.
    previous_outcome: Mapped[str | None] = mapped_column(String(32))
