"""The triage queue of a law (``groups``), what it shows beside each group
(``details``), and its counts kept ahead for large laws (``summary``)."""

from noticeboard.services.triage.queue.groups import (
    ARTICLE,
    CLUSTER,
    LIKELY,
    NO_ARTICLE,
    GroupRef,
    QueueCounts,
    QueueFilters,
    QueueGroup,
    TriageQueue,
    counts,
    group_members,
    member_conditions,
    triage_queue,
)

__all__ = [
    "ARTICLE",
    "CLUSTER",
    "LIKELY",
    "NO_ARTICLE",
    "GroupRef",
    "QueueCounts",
    "QueueFilters",
    "QueueGroup",
    "TriageQueue",
    "counts",
    "group_members",
    "member_conditions",
    "triage_queue",
]
