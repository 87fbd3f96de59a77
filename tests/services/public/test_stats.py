"""Public statistics: the figures summed from one grouped query agree with counting each
figure on its own, on the demo data (several laws, offices, channels and outcomes)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import Opinion, Outcome
from noticeboard.services.accounts.users import make_hasher
from noticeboard.services.demo.loader import load_demo
from noticeboard.services.public.adoptions import ADOPTED
from noticeboard.services.public.stats import public_stats


def test_every_figure_matches_a_count_of_its_own(db_session: Session) -> None:
    load_demo(db_session, make_hasher("CHEAPEST"))
    db_session.commit()
    opinions = db_session.scalars(select(Opinion)).all()
    stats = public_stats(db_session)

    assert stats.total == len(opinions)
    per_law = Counter(o.law.slug for o in opinions)
    adopted = Counter(o.law.slug for o in opinions if o.outcome in ADOPTED)
    assert [(c.slug, c.opinions, c.adopted) for c in stats.per_law] == sorted(
        ((slug, n, adopted[slug]) for slug, n in per_law.items()), key=lambda t: (-t[1], t[0])
    )
    per_office = Counter(o.office.slug if o.office else None for o in opinions)
    assert {c.slug: c.opinions for c in stats.per_office} == per_office
    counts = [c.opinions for c in stats.per_office]
    assert counts == sorted(counts, reverse=True)
    assert dict(stats.per_channel) == Counter(o.channel for o in opinions)
    assert dict(stats.outcomes) == {o: sum(p.outcome is o for p in opinions) for o in Outcome}
    assert len(stats.per_law) > 1
    assert len(stats.per_office) > 3
    assert sum(n for outcome, n in stats.outcomes if outcome in ADOPTED) > 0
