"""Demo decisions: what the commission answered to the demo opinions on every version
that has been followed by a newer one.

An opinion whose targeted article really changed in the next version is, often, adopted
(or partially adopted) and linked to that stored change; most others get "not adopted"
with a public reason; a few stay pending. Seeded, so every demo tells the same story:
about a fifth of the opinions on superseded versions end up adopted wholly or partly,
as in the offices' own figures (2,300 of 11,360).
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta
from itertools import pairwise
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import (
    Change,
    ChangeArticle,
    ChangeKind,
    DraftVersion,
    Law,
    LinkDegree,
    Opinion,
    Outcome,
    ReasonCode,
    VersionArticle,
    opinion_article,
    utcnow,
)
from noticeboard.services.decisions.links import QUIET_KINDS, link_opinion
from noticeboard.services.decisions.outcomes import DecisionInput, decide_opinion
from noticeboard.services.laws.comparisons import stored_between
from noticeboard.services.permissions import Actor, Permission, require
from noticeboard.services.public.visibility import is_public_version

ADOPT_WHEN_CHANGED = 0.4  # of opinions whose article changed: the change answers them
FULLY = 0.6  # of those, adopted wholly (else partly)
NOT_ADOPTED = 0.85  # of the rest: answered "not adopted"; the others stay pending

REASONS_ZH = {
    ReasonCode.ALREADY_COVERED: "现行法律和有关规定已有相应内容，本法不再重复规定。",
    ReasonCode.LEFT_TO_REGULATIONS: "该建议涉及具体操作，更适合在配套法规和实施细则中规定。",
    ReasonCode.NOT_FEASIBLE: "经研究，目前条件尚不具备，将在今后修法时继续研究。",
    ReasonCode.OTHER_OPINIONS_PREVAILED: "与其他方面的意见综合权衡后，暂不作修改。",
    ReasonCode.OUT_OF_SCOPE: "该建议不属于本法调整的范围，已转交有关部门研究。",
}
REASONS_EN = {
    ReasonCode.ALREADY_COVERED: "Existing provisions already cover this.",
    ReasonCode.LEFT_TO_REGULATIONS: "This is a matter of practice, better settled in regulations.",
    ReasonCode.NOT_FEASIBLE: "Not feasible at present; to be studied again at the next revision.",
    ReasonCode.OTHER_OPINIONS_PREVAILED: "Weighed against other opinions, the text stays as it is.",
    ReasonCode.OUT_OF_SCOPE: "Outside this law's scope; passed on to the body responsible.",
}


def add_demo_decisions(session: Session, actor: Actor, *, seed: int = 8) -> int:
    """Decide the demo opinions on superseded versions; returns how many were decided."""
    require(actor, Permission.DECIDE_OPINIONS)
    rng = random.Random(seed)  # noqa: S311 - demo data
    decided = 0
    boards: set[int | None] = set()  # offices with an adoption on their board
    for law in session.scalars(select(Law).order_by(Law.slug)):
        # The public timeline's pairs: each adoption's change then shows on the boards.
        versions = list(
            session.scalars(
                select(DraftVersion)
                .where(DraftVersion.law_id == law.id, is_public_version())
                .order_by(DraftVersion.sequence)
            )
        )
        for old, new in pairwise(versions):
            decided += _decide_version(session, actor, rng, old, new, boards)
    return decided


def _decide_version(
    session: Session,
    actor: Actor,
    rng: random.Random,
    old: DraftVersion,
    new: DraftVersion,
    boards: set[int | None],
) -> int:
    stored = stored_between(session, old, new)
    if stored is None:
        return 0
    # Changes that reworded an article of the old version, by that article.
    by_article: dict[int, Change] = {}
    for change, article_id in session.execute(
        select(Change, ChangeArticle.article_id)
        .join(ChangeArticle, ChangeArticle.change_id == Change.id)
        .where(
            Change.comparison_id == stored.id,
            Change.kind.not_in(QUIET_KINDS),
            Change.reference_only.is_(False),
            ChangeArticle.side == "old",
        )
    ):
        by_article.setdefault(article_id, change)
    opinions = list(
        session.scalars(
            select(Opinion)
            .where(Opinion.version_id == old.id, Opinion.outcome == Outcome.PENDING)
            .order_by(Opinion.id)
        )
    )
    targets: dict[int, list[int]] = {}
    for opinion_id, article_id in session.execute(
        select(opinion_article.c.opinion_id, opinion_article.c.article_id).where(
            opinion_article.c.opinion_id.in_([o.id for o in opinions])
        )
    ):
        targets.setdefault(opinion_id, []).append(article_id)
    first_label = session.scalar(
        select(VersionArticle.label).where(VersionArticle.version_id == old.id).limit(1)
    )
    english = (first_label or "").isascii()
    reasons = REASONS_EN if english else REASONS_ZH
    decided = 0
    for opinion in opinions:
        changes = _unique(by_article[a] for a in targets.get(opinion.id, []) if a in by_article)
        moment = _moment(rng, opinion, new)
        # The stories (opinions that came with a public summary) are adopted when their
        # article changed, and so is each office's first candidate: the demo is there to
        # show them on every board.
        story = bool(opinion.summary)
        first = opinion.office_id not in boards
        if changes and (story or first or rng.random() < ADOPT_WHEN_CHANGED):
            boards.add(opinion.office_id)
            degree = LinkDegree.FULL if story or rng.random() < FULLY else LinkDegree.PARTIAL
            for change in changes:
                link_opinion(session, actor, change, opinion, degree=degree)
            if not opinion.summary:
                opinion.summary = _summary(changes[0], english)
            outcome = Outcome.ADOPTED if degree is LinkDegree.FULL else Outcome.PARTIALLY_ADOPTED
            data = DecisionInput(outcome=outcome)
        elif rng.random() < NOT_ADOPTED:
            code = rng.choice(list(reasons))
            data = DecisionInput(Outcome.NOT_ADOPTED, code, reasons[code])
        else:
            continue
        decide_opinion(session, actor, opinion, data, lock_version=None, decided_at=moment)
        decided += 1
    return decided


def _unique(changes: Iterable[Change]) -> list[Change]:
    seen: dict[int, Change] = {}
    for change in changes:
        seen.setdefault(change.id, change)
    return list(seen.values())


def _moment(rng: random.Random, opinion: Opinion, new: DraftVersion) -> datetime:
    """Some weeks before the next version came out, and after the opinion came in."""
    received = datetime.combine(opinion.received_on, time(9), tzinfo=UTC)
    latest = min(new.published_at or utcnow(), utcnow())
    moment = latest - timedelta(days=rng.randint(3, 40), hours=rng.randint(0, 8))
    return max(moment, received + timedelta(days=1))


def _summary(change: Change, english: bool) -> str:
    """What staff would write as the public summary of an adopted opinion."""
    label = "、".join(change.old_labels or change.new_labels)
    old, new = edit_phrases(change.diff or [], english)
    if english:
        if change.kind is ChangeKind.DELETED:
            return f"Delete {label}."
        if old and new:
            return f"In {label}, write “{new}” instead of “{old}”."
        return f"Add “{new}” to {label}." if new else f"Make the wording of {label} clearer."
    if change.kind is ChangeKind.DELETED:
        return f"建议删除{label}。"
    if old and new:
        return f"建议将{label}中的“{old}”修改为“{new}”。"
    return f"建议在{label}中增加“{new}”。" if new else f"建议修改{label}。"


_STOPS = " ，。；：、,.;:\n[]()（）"


def edit_phrases(diff: list[Any], english: bool, reach: int = 8) -> tuple[str, str]:
    """The main edit of a diff as (old phrase, new phrase), each with a little unchanged
    text around it (whole words in English): ("食品药品监督管理部门", "食品安全监督管理部门").
    Added catchlines ("[Citizenship]") are not what anyone asked for, so they are skipped."""
    ops = [(int(op), str(text)) for op, text in diff]
    groups: list[tuple[int, int]] = []
    index = 0
    while index < len(ops):
        if ops[index][0] == 0:
            index += 1
            continue
        start = index
        while index < len(ops) and ops[index][0] != 0:
            index += 1
        changed = "".join(text for _, text in ops[start:index])
        if "]" not in changed and "[" not in changed and changed.strip(_STOPS):
            groups.append((start, index))
    if not groups:
        return "", ""
    start, end = max(groups, key=lambda g: sum(len(t) for _, t in ops[g[0] : g[1]]))
    before = _edge(ops[start - 1][1] if start > 0 else "", reach, tail=True, words=english)
    after = _edge(ops[end][1] if end < len(ops) else "", reach, tail=False, words=english)
    deleted = "".join(text for op, text in ops[start:end] if op == -1)
    inserted = "".join(text for op, text in ops[start:end] if op == 1)
    old = (before + deleted + after).strip(_STOPS)
    new = (before + inserted + after).strip(_STOPS)
    return _clip(old, english), _clip(new, english)


# Where a Chinese phrase may start or end: punctuation, or a small function word.
_ZH_BOUNDARIES = "的了和与及或等应向对在将由并"


def _edge(text: str, reach: int, *, tail: bool, words: bool) -> str:
    """Up to `reach` characters (or words) of unchanged text next to an edit, stopping
    at punctuation, or at a function word in Chinese."""
    if words:
        parts = text.split(" ")
        piece = " ".join(parts[-reach // 2 :] if tail else parts[: reach // 2])
        stops = _STOPS.replace(" ", "")
    else:
        piece = text[-reach:] if tail else text[:reach]
        stops = _STOPS + _ZH_BOUNDARIES
    cut = [piece.rfind(c) for c in stops] if tail else [piece.find(c) for c in stops]
    cut = [c for c in cut if c >= 0]
    if cut:
        piece = piece[max(cut) + 1 :] if tail else piece[: min(cut)]
    return piece


def _clip(text: str, english: bool) -> str:
    size = 60 if english else 24
    return text if len(text) <= size else text[:size] + "…"
