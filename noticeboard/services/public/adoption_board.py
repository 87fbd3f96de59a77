"""A law's adoption board: every adopted or partially adopted opinion on the law with the
change it shaped, grouped by article in the order of the text."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from noticeboard.models import Law
from noticeboard.services.errors import NotFound
from noticeboard.services.public.adoptions import AdoptedItem, ShapedChange, adopted_items
from noticeboard.services.public.boards import opinion_counters
from noticeboard.services.public.law_pages import get_law, visible_versions

# A page, not an export: beyond this many opinions the newest are shown and the page says so.
PAGE_LIMIT = 500


@dataclass(frozen=True)
class ChangeEntry:
    change: ShapedChange
    opinions: list[AdoptedItem] = field(default_factory=list)


@dataclass(frozen=True)
class ArticleGroup:
    key: str | None
    labels: tuple[str, ...]
    position: int
    entries: list[ChangeEntry] = field(default_factory=list)

    @property
    def opinion_count(self) -> int:
        return len({o.opinion_id for e in self.entries for o in e.opinions})


@dataclass(frozen=True)
class LawAdoptions:
    law: Law
    groups: list[ArticleGroup]
    without_change: list[AdoptedItem]  # decided adopted, no published change credited yet
    shown: int  # opinions on this page
    total: int  # adopted or partially adopted opinions on the law

    @property
    def truncated(self) -> bool:
        return self.shown < self.total


def law_adoptions(session: Session, slug: str, *, limit: int = PAGE_LIMIT) -> LawAdoptions:
    law = get_law(session, slug)
    if not visible_versions(session, law, staff=False):
        raise NotFound("No law at this address.")
    items = adopted_items(session, law_id=law.id, limit=limit)
    groups: dict[str, ArticleGroup] = {}
    entries: dict[int, ChangeEntry] = {}
    without_change: list[AdoptedItem] = []
    for item in items:
        change = item.change
        if change is None:
            without_change.append(item)
            continue
        entry = entries.get(change.id)
        if entry is None:
            entry = entries[change.id] = ChangeEntry(change=change)
            group_key = change.key or "|".join(change.labels)
            group = groups.get(group_key)
            if group is None:
                group = groups[group_key] = ArticleGroup(
                    key=change.key, labels=change.labels, position=change.position
                )
            group.entries.append(entry)
        entry.opinions.append(item)
    for group in groups.values():
        group.entries.sort(key=lambda e: e.change.id)
    return LawAdoptions(
        law=law,
        groups=sorted(groups.values(), key=lambda g: (g.position, g.labels)),
        without_change=without_change,
        shown=len({i.opinion_id for i in items}),
        total=opinion_counters(session, law_id=law.id).adopted,
    )
