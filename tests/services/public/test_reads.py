"""Read models behind the public boards: short redlines, article numbers in searches,
the adoption rate over time, and the demo's decisions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import ChangeLink, Decision, Opinion, Outcome
from noticeboard.services.demo.decisions import add_demo_decisions, edit_phrases
from noticeboard.services.permissions import SYSTEM
from noticeboard.services.public.boards import ELLIPSIS, trim_ops
from noticeboard.services.public.search import article_number
from noticeboard.services.public.stats import adoption_over_time
from tests import factories
from tests.web.adoption_scenario import V1, V2


def test_trim_keeps_every_short_edit_with_context() -> None:
    ops = [[0, "甲" * 100], [-1, "县级"], [1, "省级"], [0, "乙" * 10], [1, "新增"], [0, "丙" * 100]]
    trimmed = trim_ops(ops, context=5)
    assert trimmed == [
        [0, ELLIPSIS + "甲" * 5],
        [-1, "县级"],
        [1, "省级"],
        [0, "乙" * 10],  # short enough to keep whole
        [1, "新增"],
        [0, "丙" * 5 + ELLIPSIS],
    ]


def test_trim_cuts_long_runs_and_stops_at_the_budget() -> None:
    assert trim_ops([[1, "x" * 500]], max_run=10) == [[1, "x" * 10 + ELLIPSIS]]
    middle = trim_ops([[-1, "a"], [0, "b" * 100], [1, "c"]], context=3)
    assert middle[1] == [0, "bbb" + ELLIPSIS + "bbb"]
    many = [[op, "字" * 30] for _ in range(20) for op in (0, 1)]
    trimmed = trim_ops(many, context=30, budget=100)
    assert sum(len(text) for _, text in trimmed) <= 100 + 30 + 1
    assert trimmed[-1] == [0, ELLIPSIS]
    assert trim_ops([]) == []


@pytest.mark.parametrize(
    ("query", "number"),
    [
        ("第十二条", "12"),
        ("第12条", "12"),
        ("12", "12"),
        ("第一百一十八条", "118"),
        ("第十二条之一", "12-1"),
        ("Article 12", "12"),
        ("art. 5", "5"),
        ("Section 31A", "31A"),
        ("§ 7", "7"),
        ("未成年人", None),
        ("十二", None),  # a bare Chinese numeral is a word, not an article
        ("", None),
    ],
)
def test_article_number_reads_how_people_name_articles(query: str, number: str | None) -> None:
    assert article_number(query) == number


def test_adoption_rate_by_month_then_by_quarter(db_session: Session) -> None:
    version = factories.make_version(db_session)
    decided = [
        (datetime(2024, 1, 5, tzinfo=UTC), Outcome.ADOPTED),
        (datetime(2024, 1, 20, tzinfo=UTC), Outcome.NOT_ADOPTED),
        (datetime(2024, 3, 2, tzinfo=UTC), Outcome.PARTIALLY_ADOPTED),
    ]
    for moment, outcome in decided:
        opinion = factories.make_opinion(db_session, version)
        opinion.outcome, opinion.decided_at = outcome, moment
    factories.make_opinion(db_session, version)  # pending: not counted
    db_session.flush()
    periods = adoption_over_time(db_session)
    assert [(p.unit, p.year, p.part, p.decided, p.adopted) for p in periods] == [
        ("month", 2024, 1, 2, 1),
        ("month", 2024, 3, 1, 1),
    ]
    assert periods[0].rate == 0.5
    late = factories.make_opinion(db_session, version)
    late.outcome, late.decided_at = Outcome.ADOPTED, datetime(2026, 8, 1, tzinfo=UTC)
    db_session.flush()
    quarters = adoption_over_time(db_session)
    assert [(p.unit, p.year, p.part) for p in quarters] == [
        ("quarter", 2024, 1),
        ("quarter", 2026, 3),
    ]


def test_edit_phrases_name_the_main_edit_with_its_context() -> None:
    diff = [[0, "并向国务院食品"], [-1, "药品"], [1, "安全"], [0, "监督管理部门通报。"]]
    assert edit_phrases(diff, english=False) == (
        "国务院食品药品监督管理部门通报",
        "国务院食品安全监督管理部门通报",
    )
    heading = [
        [1, "[Citizenship]\n"],
        [0, "Every person "],
        [-1, "may"],
        [1, "shall"],
        [0, " vote"],
    ]
    assert edit_phrases(heading, english=True) == (
        "Every person may vote",
        "Every person shall vote",
    )


def test_demo_decisions_adopt_opinions_whose_article_changed(db_session: Session) -> None:
    law = factories.make_law(db_session)
    v1 = factories.make_version(db_session, law, V1)
    factories.make_version(db_session, law, V2)
    office = factories.make_office(db_session, slug="demo-office")
    articles = {a.label: a for a in v1.articles}
    changed = factories.make_opinion(db_session, v1, office=office, articles=[articles["第二条"]])
    story = factories.make_opinion(
        db_session, v1, articles=[articles["第三条"]], summary="删除保证金"
    )
    unchanged = [
        factories.make_opinion(db_session, v1, articles=[articles["第一条"]]) for _ in range(8)
    ]
    assert add_demo_decisions(db_session, SYSTEM) >= 2
    # The first candidate of each office and every story with a changed article: adopted.
    assert changed.outcome in (Outcome.ADOPTED, Outcome.PARTIALLY_ADOPTED)
    assert changed.summary.startswith("建议将第二条中的“县级")
    assert story.outcome is Outcome.ADOPTED
    assert story.summary == "删除保证金"  # staff's own words are kept
    links = db_session.scalars(select(ChangeLink)).all()
    assert {link.opinion_id for link in links} == {changed.id, story.id}
    assert {o.outcome for o in unchanged} <= {Outcome.NOT_ADOPTED, Outcome.PENDING}
    for opinion in db_session.scalars(select(Opinion).where(Opinion.outcome != Outcome.PENDING)):
        decision = db_session.scalar(select(Decision).where(Decision.opinion_id == opinion.id))
        assert decision is not None
        assert decision.outcome is opinion.outcome
        assert decision.decided_at == opinion.decided_at
        if opinion.outcome is Outcome.NOT_ADOPTED:
            assert decision.reason_code is not None
            assert decision.public_reason
