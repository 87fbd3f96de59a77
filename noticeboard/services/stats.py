"""Statistics for the public: opinions per law, per office and per channel, the shares of
each outcome, and the adoption rate over time. A few grouped queries, whatever the size."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, extract, func, select
from sqlalchemy.orm import Session

from noticeboard.models import Channel, Law, Office, Opinion, Outcome
from noticeboard.services.adoptions import ADOPTED

DECIDED = (Outcome.ADOPTED, Outcome.PARTIALLY_ADOPTED, Outcome.NOT_ADOPTED)
MAX_MONTHS = 24  # beyond this many months the rate is shown by quarter
MAX_QUARTERS = 40  # and beyond this many quarters, by year


@dataclass(frozen=True)
class LawCount:
    slug: str
    title: str
    title_en: str | None
    opinions: int
    adopted: int


@dataclass(frozen=True)
class OfficeCount:
    slug: str | None  # None: online submissions through no office
    name: str | None
    name_en: str | None
    opinions: int


@dataclass(frozen=True)
class Period:
    year: int
    part: int  # month (1-12), quarter (1-4), or 0 for a whole year
    unit: str  # "month", "quarter" or "year"
    decided: int
    adopted: int  # adopted or partially adopted

    @property
    def rate(self) -> float:
        return self.adopted / self.decided if self.decided else 0.0


@dataclass(frozen=True)
class Stats:
    total: int
    per_law: list[LawCount]
    per_office: list[OfficeCount]
    per_channel: list[tuple[Channel, int]]
    outcomes: list[tuple[Outcome, int]]
    adoption: list[Period]


def public_stats(session: Session) -> Stats:
    adopted = func.sum(case((Opinion.outcome.in_(ADOPTED), 1), else_=0))
    per_law = [
        LawCount(slug=s, title=t, title_en=e, opinions=int(n), adopted=int(a or 0))
        for s, t, e, n, a in session.execute(
            select(Law.slug, Law.title, Law.title_en, func.count(Opinion.id), adopted)
            .join(Opinion, Opinion.law_id == Law.id)
            .group_by(Law.id, Law.slug, Law.title, Law.title_en)
            .order_by(func.count(Opinion.id).desc(), Law.slug)
        )
    ]
    per_office = [
        OfficeCount(slug=s, name=n, name_en=e, opinions=int(c))
        for s, n, e, c in session.execute(
            select(Office.slug, Office.name, Office.name_en, func.count(Opinion.id))
            .select_from(Opinion)
            .outerjoin(Office, Office.id == Opinion.office_id)
            .group_by(Office.id, Office.slug, Office.name, Office.name_en)
            .order_by(func.count(Opinion.id).desc(), Office.slug)
        )
    ]
    per_channel = [
        (Channel(channel), int(n))
        for channel, n in session.execute(
            select(Opinion.channel, func.count(Opinion.id))
            .group_by(Opinion.channel)
            .order_by(func.count(Opinion.id).desc())
        )
    ]
    counts: dict[Outcome, int] = {
        Outcome(outcome): int(n)
        for outcome, n in session.execute(
            select(Opinion.outcome, func.count(Opinion.id)).group_by(Opinion.outcome)
        )
    }
    outcomes = [(o, counts.get(o, 0)) for o in Outcome]
    return Stats(
        total=sum(n for _, n in outcomes),
        per_law=per_law,
        per_office=per_office,
        per_channel=per_channel,
        outcomes=outcomes,
        adoption=adoption_over_time(session),
    )


def adoption_over_time(session: Session) -> list[Period]:
    """Of the opinions decided in each period, how many were adopted wholly or partly."""
    year = extract("year", Opinion.decided_at)
    month = extract("month", Opinion.decided_at)
    adopted = func.sum(case((Opinion.outcome.in_(ADOPTED), 1), else_=0))
    rows = [
        (int(y), int(m), int(n), int(a or 0))
        for y, m, n, a in session.execute(
            select(year, month, func.count(Opinion.id), adopted)
            .where(Opinion.outcome.in_(DECIDED), Opinion.decided_at.is_not(None))
            .group_by(year, month)
            .order_by(year, month)
        )
    ]
    if not rows:
        return []
    first, last = rows[0], rows[-1]
    months = (last[0] - first[0]) * 12 + last[1] - first[1] + 1
    unit = "month" if months <= MAX_MONTHS else "quarter" if months <= MAX_QUARTERS * 3 else "year"
    periods: dict[tuple[int, int], list[int]] = {}
    for y, m, n, a in rows:
        part = m if unit == "month" else (m - 1) // 3 + 1 if unit == "quarter" else 0
        total = periods.setdefault((y, part), [0, 0])
        total[0] += n
        total[1] += a
    return [
        Period(year=y, part=p, unit=unit, decided=n, adopted=a)
        for (y, p), (n, a) in sorted(periods.items())
    ]
