"""The triage queue of a law (``groups``), what it shows beside each group
(``details``), and its counts kept ahead for large laws (``summary``)."""

from noticeboard.services.triage.queue.details import (
    ARTICLE,
    CLUSTER,
    LIKELY,
    NO_ARTICLE,
    GroupRef,
    QueueGroup,
)
from noticeboard.services.triage.queue.groups import (
    QueueCounts,
    QueueFilters,
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
