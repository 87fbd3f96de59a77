"""Statistics for the public: opinions per law, per office and per channel, the shares of
each outcome, and the adoption rate over time. Two grouped queries, whatever the size."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, extract, func, select
from sqlalchemy.orm import Session

from noticeboard.models import Channel, Law, Office, Opinion, Outcome
from noticeboard.services.public.adoptions import ADOPTED

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
    # One grouped pass over the opinions (at most laws x offices x channels x outcomes
    # rows back, a few thousand), summed here: at a million opinions one scan of an
    # index that holds the four columns, instead of one scan of the table per figure.
    by_law: dict[int, list[int]] = {}
    by_office: dict[int | None, int] = {}
    by_channel: dict[Channel, int] = {}
    counts: dict[Outcome, int] = {}
    for law_id, office_id, channel_value, outcome_value, n in session.execute(
        select(
            Opinion.law_id, Opinion.office_id, Opinion.channel, Opinion.outcome, func.count()
        ).group_by(Opinion.law_id, Opinion.office_id, Opinion.channel, Opinion.outcome)
    ):
        channel, outcome = Channel(channel_value), Outcome(outcome_value)
        law = by_law.setdefault(law_id, [0, 0])
        law[0] += n
        law[1] += n if outcome in ADOPTED else 0
        by_office[office_id] = by_office.get(office_id, 0) + n
        by_channel[channel] = by_channel.get(channel, 0) + n
        counts[outcome] = counts.get(outcome, 0) + n
    laws = session.scalars(select(Law).where(Law.id.in_(by_law))).all()
    per_law = sorted(
        (
            LawCount(law.slug, law.title, law.title_en, by_law[law.id][0], by_law[law.id][1])
            for law in laws
        ),
        key=lambda c: (-c.opinions, c.slug),
    )
    offices = {o.id: o for o in session.scalars(select(Office).where(Office.id.in_(by_office)))}
    online = OfficeCount(None, None, None, by_office.get(None, 0))  # through no office
    per_office = sorted(
        [
            OfficeCount(o.slug, o.name, o.name_en, by_office[office_id])
            for office_id, o in offices.items()
        ]
        + ([online] if online.opinions else []),
        key=lambda c: (-c.opinions, c.slug is None, c.slug or ""),
    )
    per_channel = sorted(by_channel.items(), key=lambda item: (-item[1], item[0].value))
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
